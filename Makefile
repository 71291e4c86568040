# Two commands set everything up on a fresh machine:
#   make build / make serve   create .venv, install gloss, build the example site
#   make test                 the same plus the test dependencies, then the test suite
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
PORT   ?= 8000
BASE_URL ?=

.PHONY: build serve check test lint clean

# gloss was installed as `gloss` before it became gloss-transcripts (PyPI's `gloss`
# is another program): an older .venv loses the old name, so one owns bin/gloss.
$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip uninstall --quiet --yes gloss 2>/dev/null || true
	$(PY) -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: $(VENV)/.installed
	$(PY) -m pip install --quiet -e '.[test]'
	touch $@

# axe-core, the accessibility engine tests/test_accessibility.py injects into
# Chromium: from npm, once, so the tests need no network. Pinned: a new axe
# release adds rules, and a rule should start failing pages when we upgrade,
# not on a fresh machine one morning. Without npm the tests skip (fail under CI).
AXE_VERSION := 4.14.1
AXE := $(VENV)/node/.installed-axe-$(AXE_VERSION)
$(AXE): | $(VENV)/.installed
	@if command -v npm >/dev/null 2>&1; then \
	  npm install --prefix $(VENV)/node --no-audit --no-fund --silent axe-core@$(AXE_VERSION) && touch $@; \
	else echo "npm not found: the accessibility tests will skip (apt-get install npm)"; fi

build: $(VENV)/.installed
	$(PY) build.py build $(if $(BASE_URL),--base-url $(BASE_URL))

serve: $(VENV)/.installed
	$(PY) build.py serve --port $(PORT)

check: $(VENV)/.installed
	$(PY) build.py check

test: $(VENV)/.installed-test $(AXE) lint
	$(PY) -m pytest

lint: $(VENV)/.installed-test
	$(VENV)/bin/ruff check gloss tests build.py scripts bench
	$(VENV)/bin/mypy

clean:
	rm -rf site $(VENV)
