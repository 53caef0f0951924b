# Two entry points for people: `make demo` and `make test`. Everything they need is installed here.
SHELL := /bin/bash
VENV ?= .venv
PY := $(VENV)/bin/python
VCAR := $(VENV)/bin/vcar
PORT ?= 8501

.PHONY: demo test lint format bench screenshots clean help

help:
	@echo "make demo   - install, generate sample data, ingest it and serve the dashboard on :$(PORT)"
	@echo "make test   - install with dev tools, run ruff and the whole pytest suite"
	@echo "make bench  - run the benchmarks in benchmarks/ (prints figures)"

$(PY):
	python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

# Stamps make re-runs fast: pip runs again only when pyproject.toml changed.
$(VENV)/.demo-installed: pyproject.toml | $(PY)
	$(PY) -m pip install --quiet -e '.[demo]'
	touch $@

$(VENV)/.dev-installed: pyproject.toml | $(PY)
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $@ $(VENV)/.demo-installed

demo: $(VENV)/.demo-installed
	$(VCAR) demo --port $(PORT)

lint: $(VENV)/.dev-installed
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: $(VENV)/.dev-installed
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

test: lint
	$(PY) -m pytest

bench: $(VENV)/.dev-installed
	command -v goaccess >/dev/null || apt-get install -y goaccess || echo "goaccess could not be installed: no comparison"
	$(PY) benchmarks/ingest_logs.py

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
