"""The search index stage refuses a Pagefind that cannot index Chinese."""

from __future__ import annotations

import pytest

from site_gen.errors import BuildError
from site_gen.index import PAGEFIND_VERSION, PRELOADED, check_banner, check_preloaded, pagefind_executable


def test_extended_binary_is_installed():
    assert pagefind_executable().name == "pagefind_extended"


def test_banner_of_the_pinned_extended_build_passes():
    check_banner(f"\nRunning Pagefind v{PAGEFIND_VERSION} (Extended)\nRunning from: ...\n")


def test_plain_build_is_refused():
    with pytest.raises(BuildError, match="without Chinese segmentation"):
        check_banner(f"Running Pagefind v{PAGEFIND_VERSION}\n")


def test_other_version_is_refused():
    with pytest.raises(BuildError, match="1.5.x misses Chinese words"):
        check_banner("Running Pagefind v1.5.2 (Extended)\n")


def test_unrecognised_output_is_refused():
    with pytest.raises(BuildError, match="could not tell which Pagefind ran"):
        check_banner("something else\n")


def test_bundle_without_a_preloaded_file_is_refused():
    bundle = {f"pagefind/{name}": b"x" for name in PRELOADED}
    check_preloaded(bundle)
    del bundle["pagefind/wasm.unknown.pagefind"]
    with pytest.raises(BuildError, match="has no wasm.unknown.pagefind, which the search page preloads"):
        check_preloaded(bundle)
