# Two commands: `make run` (set up and start the dashboard) and `make test` (set up and test).
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
DB ?= data/evaluation.duckdb

.PHONY: run test lint system-deps demo clean-db serve-public

run: $(VENV)/.runtime-installed $(DB)
	$(PY) -m streamlit run serve.py --server.address 127.0.0.1 --server.port 8501 \
		--server.headless true --browser.gatherUsageStats false

# The public tier on loopback (README, "Many viewers"): the writer on WRITER_PORT, REPLICAS
# read-only replicas on the published snapshot (READER_PORT and up), nginx on PORT (public)
# and ADMIN_PORT (the writer). Ctrl-C stops them all. `make run` stays the one-process default.
REPLICAS ?= 2
PORT ?= 8080
ADMIN_PORT ?= 8081
WRITER_PORT ?= 8501
READER_PORT ?= 8601
serve-public: $(VENV)/.runtime-installed $(DB)
	bash scripts/ensure_system_deps.sh --serve
	$(PY) scripts/serve_public.py --replicas $(REPLICAS) --port $(PORT) \
		--admin-port $(ADMIN_PORT) --writer-port $(WRITER_PORT) \
		--reader-port $(READER_PORT) --db $(DB)

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

# Performance benchmark (README, section Performance): the full run takes ~17-25 minutes on
# 2 cores; bench-smoke (< 2 minutes) checks that the benchmark still runs, not its targets.
.PHONY: bench bench-smoke
bench: $(VENV)/.dev-installed system-deps
	$(PY) -m bench

bench-smoke: $(VENV)/.dev-installed system-deps
	$(PY) -m bench --smoke
