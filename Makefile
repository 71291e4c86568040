# Two commands set everything up on a fresh machine:
#   make build / make serve   create .venv, install gloss (with search), build the example site
#   make test                 the same plus the test dependencies, then the test suite
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
PORT   ?= 8000
BASE_URL ?=

.PHONY: build serve check test lint clean

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[search]'
	touch $@

$(VENV)/.installed-test: $(VENV)/.installed
	$(PY) -m pip install --quiet -e '.[test]'
	touch $@

build: $(VENV)/.installed
	$(PY) build.py build $(if $(BASE_URL),--base-url $(BASE_URL))

serve: $(VENV)/.installed
	$(PY) build.py serve --port $(PORT)

check: $(VENV)/.installed
	$(PY) build.py check

test: $(VENV)/.installed-test lint
	$(PY) -m pytest

lint: $(VENV)/.installed-test
	$(VENV)/bin/ruff check gloss tests build.py scripts bench
	$(VENV)/bin/mypy

clean:
	rm -rf site $(VENV)
