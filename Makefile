# One-command entry points. Each target creates the virtualenv it needs on first use.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
TEST_WORKERS ?= 3  # pytest-xdist workers for `make test` (module fixtures stay per file: --dist loadfile); 3 on 2 cores: 17:32 against 18:12 with 2, back to back on one quiet machine (workers wait on sandboxes and subprocesses)

.PHONY: venv demo test lint bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[dev]"
	touch $(STAMP)

venv: $(STAMP)

demo: $(STAMP)  ## start the sandbox, sync it into lac_demo.duckdb and print a summary
	$(BIN)/lac demo

test: $(STAMP)  ## the whole suite (PostgreSQL tests skip locally unless a server runs; .ci/run starts one)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/pytest -n $(TEST_WORKERS) --dist loadfile --durations=30

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

bench: $(STAMP)  ## benchmarks: prints a table
	$(BIN)/python -m benchmarks

clean:
	rm -rf $(VENV) lac_demo.duckdb landing .lac_demo
