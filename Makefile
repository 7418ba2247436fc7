# motcua: `make run` serves the demo office on http://127.0.0.1:8000, `make test` tests it.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
MOTCUA := $(VENV)/bin/motcua
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: install run test test-postgres lint bench clean

$(VENV)/.installed: pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -c constraints.txt -e '.[dev]'
	touch $@

install: $(VENV)/.installed

# Migrate, seed the demo organisation, deploy processes/ and serve (demo mode: demo users,
# demo signing secret). Set MOTCUA_DATABASE_URL to use another database.
run: install
	MOTCUA_DEMO_MODE=true $(MOTCUA) migrate
	MOTCUA_DEMO_MODE=true $(MOTCUA) demo
	MOTCUA_DEMO_MODE=true $(MOTCUA) deploy processes/ --actor designer
	MOTCUA_DEMO_MODE=true $(MOTCUA) serve --host $(HOST) --port $(PORT)

# Every test; PostgreSQL variants run too when MOTCUA_TEST_POSTGRES_URL is set.
test: install
	$(PY) -m pytest -q

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/mypy

bench: install
	$(PY) -m bench

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache motcua.db motcua.db-wal motcua.db-shm
