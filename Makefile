# Two entry points for a fresh machine: `make demo` and `make test` (see README).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-dev
NODE_STAMP := node_modules/.installed

.PHONY: demo demo-lists test lint types unit venv assets clean bench

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

venv: $(STAMP)

# Front-end libraries (htmx, vega, vega-lite, vega-embed, axe-core) from the npm registry into node_modules/,
# served locally by the web app; never copied into the repository. Without npm the pages still work (no charts)
# and the browser tests skip (they fail under CI=true).
$(NODE_STAMP): package.json package-lock.json
	@if command -v npm >/dev/null 2>&1; then \
		npm ci --no-audit --no-fund --ignore-scripts --loglevel=error && touch $(NODE_STAMP); \
	else echo "npm not found: charts and browser tests need it (see docs/workspace.md)"; fi

assets: $(NODE_STAMP)

## demo: build the environment, run the national primaries and lists, serve http://127.0.0.1:8000
demo: $(STAMP) $(NODE_STAMP)
	TANDAU_ENVIRONMENT=development $(BIN)/tandau demo --replace --db demo-out/demo.db --work-dir demo-out

## demo-lists: the list-formation job alone, printed in the terminal
demo-lists: $(STAMP)
	$(BIN)/tandau demo run --out demo-out

## test: lint, type-check and run the whole test suite
test: lint types unit

lint: $(STAMP)
	$(BIN)/ruff check src tests benchmarks

types: $(STAMP)
	$(BIN)/mypy

# one test process per core (pytest-xdist); tests sharing a costly fixture stay in one process (tests/conftest.py)
unit: $(STAMP) $(NODE_STAMP)
	$(BIN)/python -m pytest -q -n auto --dist loadgroup

bench: $(STAMP)
	$(BIN)/python benchmarks/bench_lists.py --json
	$(BIN)/python benchmarks/bench_seats.py --json
	$(BIN)/python benchmarks/bench_tally.py --json

clean:
	rm -rf $(VENV) node_modules demo-out .pytest_cache .mypy_cache .ruff_cache
