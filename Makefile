# Two commands for a newcomer: `make run` and `make test`. Both build .venv/ from pyproject.toml,
# pinned by requirements.lock (an unpinned install silently breaks: see README, "Known limits").
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
INBOX ?=
LAKEHOUSE ?= lakehouse
SCALE ?= small

export DO_NOT_TRACK := 1
export DBT_SEND_ANONYMOUS_USAGE_STATS := false

.PHONY: install browser java run test dev bench clean

$(STAMP): pyproject.toml requirements.lock
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip 2>&1 | grep -v "is ignored" || true
	$(BIN)/pip install --quiet -c requirements.lock -e '.[test]' 2>&1 | grep -v "is ignored" || true
	$(BIN)/python -c "import dagster, dagster_dbt, duckdb, ccus"  # fail here, not later
	touch $(STAMP)

install: $(STAMP)

# Debian's Chromium and Japanese fonts: the PNG copies of the charts (kaleido) in make run,
# the page tests in make test.
browser:
	@if ! command -v chromium >/dev/null || ! fc-list 2>/dev/null | grep -qi "Noto Sans CJK"; then \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && $$SUDO apt-get install -y -qq chromium fonts-noto-cjk >/dev/null; \
	fi

# A Java runtime for the Spark engine (pyspark starts a JVM; the equality test runs it).
java:
	@if ! command -v java >/dev/null; then \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && $$SUDO apt-get install -y -qq openjdk-17-jre-headless >/dev/null; \
	fi

run: install browser
	@if [ -z "$(INBOX)" ]; then \
	  if [ ! -d inbox ]; then echo "No INBOX given: simulating a '$(SCALE)' sample inbox into inbox/"; \
	    $(BIN)/ccus simulate --scale $(SCALE) --out inbox || exit 1; fi; \
	  $(BIN)/ccus run --inbox inbox --lakehouse $(LAKEHOUSE); \
	else \
	  $(BIN)/ccus run --inbox $(INBOX) --lakehouse $(LAKEHOUSE); \
	fi

# Three workers on two cores, a test file per worker: the end-to-end tests spend much of their
# time waiting on subprocesses (a full run with two workers kept the cores half idle). The
# slowest modules start first (tests/conftest.py orders them; --no-loadscope-reorder keeps that
# order: by default xdist hands out the files with the most tests first, and the Spark cluster's
# module, few tests but the longest, started ten minutes late).
test: install browser java
	$(BIN)/python -m pytest -q -n 3 --dist loadfile --no-loadscope-reorder --durations=15

dev: install
	$(BIN)/ccus dev --inbox $(or $(INBOX),inbox) --lakehouse $(LAKEHOUSE)

# A benchmark, not a timed test: prints a table and writes bench/results.json (see README).
bench: install java
	$(BIN)/python bench/run.py

clean:
	rm -rf lakehouse inbox .dagster_home dbt_project/target dbt_project/logs
