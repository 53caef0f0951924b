# Two entry points for people: `make demo` and `make test`. Everything they need is installed here.
SHELL := /bin/bash
VENV ?= .venv
PY := $(VENV)/bin/python
VCAR := $(VENV)/bin/vcar
PORT ?= 8501

.PHONY: demo test lint format bench fuzz screenshots browser clean help

help:
	@echo "make demo   - install, generate sample data, ingest it and serve the dashboard on :$(PORT)"
	@echo "make test   - install with dev tools, run ruff and the whole pytest suite"
	@echo "make bench  - run the benchmarks in benchmarks/ (prints figures)"
	@echo "make fuzz   - the parser fuzz tests with 2,000 examples each (make test runs 40)"
	@echo "make screenshots - refresh docs/screenshots/ (README's pictures) in headless chromium"

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

# The browser test drives Debian's chromium. Installed here when missing and we are root; otherwise the
# browser tests are skipped and pytest shows why.
browser:
	@if command -v chromium >/dev/null; then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
		echo "installing chromium for the browser tests (apt-get)"; \
		(DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver >/dev/null 2>&1 || \
		 (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver >/dev/null)) || \
		echo "chromium could not be installed: the browser tests will be skipped"; \
	else echo "chromium is missing and this is not root: the browser tests will be skipped"; fi

test: lint browser
	$(PY) -m pytest -rs

bench: $(VENV)/.dev-installed
	command -v goaccess >/dev/null || DEBIAN_FRONTEND=noninteractive apt-get install -y goaccess || echo "goaccess could not be installed: no comparison"
	$(PY) benchmarks/ingest_logs.py
	$(PY) benchmarks/dashboard_pages.py

fuzz: $(VENV)/.dev-installed
	VCAR_FUZZ_EXAMPLES=2000 $(PY) -m pytest -q tests/test_fuzz.py

screenshots: $(VENV)/.dev-installed browser
	$(PY) scripts/browser_tour.py --out docs/screenshots

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
