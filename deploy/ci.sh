#!/usr/bin/env bash
# The CI steps as plain commands: GitHub Actions (.github/workflows/site.yml)
# calls this file, and any other host (GitLab CI, Woodpecker, a cron job on a
# server, a laptop) runs the same steps the same way.  See deploy/README.md.
#
#   deploy/ci.sh install            create .venv and install site-gen
#   deploy/ci.sh validate [REF]     check content/; annotations for GitHub when GITHUB_ACTIONS=true,
#                                   problems on lines changed since REF first
#   deploy/ci.sh build              build content/ into $OUT (default output/) with --base-url "$BASE_URL"
#   deploy/ci.sh diff REF           what this branch changes since it left REF: $DIFF_DIR/diff.md and diff.json
#   deploy/ci.sh test               the whole test suite (make test)
#
# Environment: SITE_GEN (the site-gen command, default .venv/bin/site-gen, or
# site-gen on PATH), CONTENT (default content), OUT (default output), BASE_URL
# (the public address, default none), DIFF_DIR (default diff), SEARCH (set to
# "no" to skip the search index), PYTHON (default python3).
set -euo pipefail
cd "$(dirname "$0")/.."

CONTENT=${CONTENT:-content}
OUT=${OUT:-output}
BASE_URL=${BASE_URL:-}
DIFF_DIR=${DIFF_DIR:-diff}
PYTHON=${PYTHON:-python3}

site_gen() {
  if [ -n "${SITE_GEN:-}" ]; then
    "$SITE_GEN" "$@"
  elif [ -x .venv/bin/site-gen ]; then
    .venv/bin/site-gen "$@"
  elif command -v site-gen >/dev/null 2>&1; then
    site-gen "$@"
  else
    echo "site-gen is not installed: run deploy/ci.sh install first" >&2
    exit 2
  fi
}

usage() {
  sed -n '5,11p' "$0" | sed 's/^# \{0,1\}//' >&2
  exit 2
}

command=${1:-}
[ $# -gt 0 ] && shift
case "$command" in
  install)
    "$PYTHON" -m venv .venv
    .venv/bin/python -m pip install --quiet --upgrade pip
    .venv/bin/python -m pip install --quiet -e .
    ;;
  validate)
    if [ "${GITHUB_ACTIONS:-}" = "true" ]; then
      site_gen validate --content "$CONTENT" --format github ${1:+--changed-since "$1"}
    else
      site_gen validate --content "$CONTENT"
    fi
    ;;
  build)
    search=--search
    [ "${SEARCH:-yes}" = "no" ] && search=--no-search
    site_gen build --content "$CONTENT" --out "$OUT" --base-url "$BASE_URL" "$search"
    ;;
  diff)
    [ $# -eq 1 ] || { echo "usage: deploy/ci.sh diff REF   (e.g. origin/main)" >&2; exit 2; }
    mkdir -p "$DIFF_DIR"
    site_gen diff --git "$1" --content "$CONTENT" --markdown "$DIFF_DIR/diff.md" --json "$DIFF_DIR/diff.json" >/dev/null
    cat "$DIFF_DIR/diff.md"
    ;;
  test)
    make test
    ;;
  *)
    usage
    ;;
esac
