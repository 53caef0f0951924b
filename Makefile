# Two entry points for people: `make demo` and `make test`. Everything they need is installed here.
SHELL := /bin/bash
VENV ?= .venv
PY := $(VENV)/bin/python
VCAR := $(VENV)/bin/vcar
PORT ?= 8501

.PHONY: demo test test-fast test-later test-at test-container container-tools typecheck lint format bench fuzz screenshots browser java audit lock clean help

help:
	@echo "make demo   - install, generate sample data, ingest it and serve the dashboard on :$(PORT)"
	@echo "make test   - install with dev tools; ruff, mypy, the dependency audit and every test (CI runs this)"
	@echo "make test-fast - ruff, mypy and the unit and known-answer tests (no subprocesses, no browser)"
	@echo "make test-later - the whole suite with the clock moved 45 and 400 days on (VCAR_NOW)"
	@echo "make test-container - build the image with podman, run compose.yaml, ingest, restart (prints its figures)"
	@echo "make bench  - run the benchmarks in benchmarks/ (prints figures)"
	@echo "make fuzz   - the parser fuzz tests with 2,000 examples each (make test runs 40)"
	@echo "make screenshots - refresh docs/screenshots/ (README's pictures) in headless chromium"
	@echo "make audit  - check every pin of requirements.lock for known vulnerabilities (make test runs it)"
	@echo "make lock   - re-resolve the dependencies into requirements.lock (then make test and make audit)"

$(PY):
	python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

# Stamps make re-runs fast: pip runs again only when pyproject.toml or the lock changed. Every install is
# constrained by requirements.lock, so what runs is what `make audit` checked.
# The demo installs a copy (an editable install makes setuptools warn about folders that shadow the package),
# installed again when the code changes; after make test's editable install (current for this pyproject and lock)
# the code runs live and the demo installs nothing.
SOURCES := $(shell git ls-files etl dashboard queries 2>/dev/null)
DEV_CURRENT = [ -f $(VENV)/.dev-installed ] && [ $(VENV)/.dev-installed -nt pyproject.toml ] && \
	[ $(VENV)/.dev-installed -nt requirements.lock ]

$(VENV)/.demo-installed: pyproject.toml requirements.lock $(SOURCES) | $(PY)
	@if $(DEV_CURRENT); then :; else echo "installing vcar-insights and its dependencies (a minute or two)"; \
		$(PY) -m pip install --quiet -c requirements.lock '.[demo]'; fi
	touch $@

$(VENV)/.dev-installed: pyproject.toml requirements.lock | $(PY)
	$(PY) -m pip install --quiet -c requirements.lock -e '.[dev]'
	touch $@ $(VENV)/.demo-installed

demo: $(VENV)/.demo-installed
	$(VCAR) demo --port $(PORT)

# The layout is kept by the linter's whitespace, indentation and blank-line rules (pyproject.toml), not a formatter.
lint: $(VENV)/.dev-installed
	$(VENV)/bin/ruff check .

format: $(VENV)/.dev-installed
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

# The Spark tests (tests/ingest/test_spark.py) need a Java runtime (17 or newer for pyspark 4). Installed here when
# missing and we are root; otherwise those tests are skipped and pytest shows why.
java:
	@if command -v java >/dev/null; then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
		echo "installing a headless Java runtime for the Spark tests (apt-get)"; \
		(DEBIAN_FRONTEND=noninteractive apt-get install -y -qq default-jre-headless >/dev/null 2>&1 || \
		 (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq default-jre-headless >/dev/null)) || \
		echo "Java could not be installed: the Spark tests will be skipped"; \
	else echo "java is missing and this is not root: the Spark tests will be skipped"; fi

typecheck: $(VENV)/.dev-installed
	$(VENV)/bin/mypy

test: lint typecheck browser java audit
	$(PY) -m pytest -rs -m "not container" -n 2 --dist loadfile

test-fast: lint typecheck
	$(PY) -m pytest -q -m "not slow and not browser"

# The suite on another day: every test, browser tests included, with the product's clock moved (VCAR_NOW, an
# offset such as +400d or an ISO date-time), so a test that passes only this month fails here. CI runs +400d.
NOW ?= +400d
test-at: $(VENV)/.dev-installed browser java
	VCAR_NOW=$(NOW) $(PY) -m pytest -q -rs -m "not container" -n 2 --dist loadfile

test-later:
	$(MAKE) test-at NOW=+45d
	$(MAKE) test-at NOW=+400d

# The container test (tests/project/test_container.py) needs podman, runc, debootstrap and uidmap from Debian, installed
# here when missing and we are root, and podman-compose 1.1 or newer (Debian's 1.0.3 cannot run network_mode: host),
# installed from PyPI into data/container/tools. Without them the test is skipped and pytest says why.
PODMAN_COMPOSE_VERSION ?= 1.6.0
container-tools:
	@if command -v podman >/dev/null && command -v runc >/dev/null && command -v debootstrap >/dev/null; then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
		echo "installing podman, runc, debootstrap and uidmap for the container test (apt-get)"; \
		(DEBIAN_FRONTEND=noninteractive apt-get install -y -qq podman runc debootstrap uidmap >/dev/null 2>&1 || \
		 (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq podman runc debootstrap uidmap >/dev/null)) || \
		echo "podman could not be installed: the container test will be skipped"; \
	else echo "podman is missing and this is not root: the container test will be skipped"; fi
	@[ -x data/container/tools/bin/podman-compose ] || { python3 -m venv data/container/tools && \
		data/container/tools/bin/pip install --quiet podman-compose==$(PODMAN_COMPOSE_VERSION); } || \
		echo "podman-compose could not be installed: the container test will be skipped"

test-container: $(VENV)/.dev-installed browser container-tools
	$(PY) -m pytest -rs -m container tests/project/test_container.py

# Known vulnerabilities in the pinned set fail the build; an unreachable registry is reported, not failed.
audit: $(VENV)/.dev-installed
	$(PY) scripts/audit_deps.py requirements.lock

lock:
	rm -rf .lock-venv && python3 -m venv .lock-venv && .lock-venv/bin/pip install --quiet --upgrade pip
	.lock-venv/bin/pip install --quiet '.[dev,demo]'
	{ echo "# Every distribution the project installs, pinned: what make test runs is what make audit checks."; \
	  echo "# Installed with 'pip install -c requirements.lock'; refreshed by 'make lock'."; \
	  .lock-venv/bin/pip freeze --exclude-editable | grep -v '^vcar-insights'; } > requirements.lock
	rm -rf .lock-venv

bench: $(VENV)/.dev-installed
	command -v goaccess >/dev/null || DEBIAN_FRONTEND=noninteractive apt-get install -y goaccess || echo "goaccess could not be installed: no comparison"
	$(PY) benchmarks/ingest_logs.py
	$(MAKE) java
	$(PY) benchmarks/spark_scale.py
	$(PY) benchmarks/dashboard_pages.py
	$(MAKE) browser
	$(PY) benchmarks/dashboard_load.py

fuzz: $(VENV)/.dev-installed
	VCAR_FUZZ_EXAMPLES=2000 $(PY) -m pytest -q tests/ingest/test_fuzz.py

screenshots: $(VENV)/.dev-installed browser
	@fc-list 2>/dev/null | grep -q "Noto Sans CJK" || { [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null && \
		echo "installing fonts-noto-cjk so that Chinese text shows in the screenshots (apt-get)" && \
		(DEBIAN_FRONTEND=noninteractive apt-get install -y -qq fonts-noto-cjk >/dev/null 2>&1 || \
		 (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq fonts-noto-cjk >/dev/null)); } || \
		echo "fonts-noto-cjk could not be installed: Chinese text will show as boxes"
	$(PY) scripts/browser_tour.py --out docs/screenshots

clean:
	rm -rf $(VENV) .lock-venv .pytest_cache .ruff_cache .mypy_cache
