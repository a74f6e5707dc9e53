# Two commands: `make run` (set up and start the dashboard) and `make test` (set up and test).
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
DB ?= data/evaluation.duckdb

.PHONY: run test lint system-deps demo clean-db

run: $(VENV)/.runtime-installed $(DB)
	$(PY) -m streamlit run serve.py --server.address 127.0.0.1 --server.port 8501 \
		--server.headless true --browser.gatherUsageStats false

test: $(VENV)/.dev-installed system-deps
	$(PY) -m pytest

lint: $(VENV)/.dev-installed
	$(VENV)/bin/ruff check .

demo: $(VENV)/.runtime-installed
	$(PY) -m evalcore build-demo --db $(DB)

$(DB): | $(VENV)/.runtime-installed
	$(PY) -m evalcore build-demo --db $(DB)

clean-db:
	rm -f $(DB) $(DB).wal

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

$(VENV)/.runtime-installed: requirements.txt | $(VENV)/bin/python
	$(PY) -m pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.dev-installed: requirements.txt requirements-dev.txt | $(VENV)/bin/python
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $@ $(VENV)/.runtime-installed

system-deps:
	bash scripts/ensure_system_deps.sh

# Performance benchmark (README, section Performance): the full run takes ~15 minutes on
# 2 cores; bench-smoke (< 2 minutes) checks that the benchmark still runs, not its targets.
.PHONY: bench bench-smoke
bench: $(VENV)/.dev-installed system-deps
	$(PY) -m bench

bench-smoke: $(VENV)/.dev-installed system-deps
	$(PY) -m bench --smoke
