# motcua: `make run` serves the demo office on http://127.0.0.1:8000, `make test` tests it.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
MOTCUA := $(VENV)/bin/motcua
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: install assets run test test-postgres lint bench screenshots clean

$(VENV)/.installed: pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -c constraints.txt -e '.[dev]'
	touch $@

install: $(VENV)/.installed

# The browser libraries of the web pages (htmx, bpmn-js, Chart.js), from the npm registry as
# pinned by api/web/package-lock.json, copied into api/web/static/vendor (no bundler).
WEB := api/web
$(WEB)/static/vendor/.built: $(WEB)/package.json $(WEB)/package-lock.json $(WEB)/copy_assets.py
	cd $(WEB) && npm ci --no-audit --no-fund --loglevel=error
	$(PYTHON) $(WEB)/copy_assets.py
	touch $@

assets: $(WEB)/static/vendor/.built

# Migrate, seed the demo organisation, deploy processes/ and serve (demo mode: demo users,
# demo signing secret). Set MOTCUA_DATABASE_URL to use another database.
run: install assets
	MOTCUA_DEMO_MODE=true $(MOTCUA) migrate
	MOTCUA_DEMO_MODE=true $(MOTCUA) demo
	MOTCUA_DEMO_MODE=true $(MOTCUA) deploy processes/ --actor designer
	MOTCUA_DEMO_MODE=true $(MOTCUA) serve --host $(HOST) --port $(PORT)

# Every test; PostgreSQL variants run too when MOTCUA_TEST_POSTGRES_URL is set.
# Browser tests (tests/browser) drive /usr/bin/chromium and are skipped without it.
# Everything but the PostgreSQL tests runs on TEST_WORKERS processes (pytest-xdist); the
# PostgreSQL tests share one database, so they run after, in one process (exit 5: none).
TEST_WORKERS ?= 2
test: install assets
	$(PY) -m pytest -q -n $(TEST_WORKERS) -m "not postgres"
	$(PY) -m pytest -q -m postgres || [ $$? -eq 5 ]

# The import contracts (pyproject.toml) run in `make test` too: tests/unit/test_import_contracts.py.
lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/mypy
	$(VENV)/bin/lint-imports --no-cache

# docs/screenshots/*.png: the main pages of a simulated office, taken by Chromium.
screenshots: install assets
	$(PY) -m tests.browser.screenshots

# Benchmarks (a few minutes): figures as JSON lines, bench/results.json and the plot in docs/.
# BENCH_ARGS=--full loads a million dossiers (about half an hour); PostgreSQL figures need
# BENCH_ARGS="--postgres postgresql+psycopg://…" on a database the benchmarks may wipe.
bench: install
	$(PY) -m bench $(BENCH_ARGS)

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache motcua.db motcua.db-wal motcua.db-shm motcua-files \
		$(WEB)/node_modules $(WEB)/static/vendor
