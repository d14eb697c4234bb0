# eventwire: `make run` and `make test` do all set-up on a fresh machine (Python 3.11 and make).
SHELL := /bin/bash
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

export PREFECT_HOME ?= $(CURDIR)/.prefect
export PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS ?= 120
export PREFECT_SERVER_ANALYTICS_ENABLED ?= false
export DO_NOT_TRACK ?= 1
export PYTHONDONTWRITEBYTECODE :=

.PHONY: install run test check lint format types eval eval-dates bench calibrate serve actors verbs snapshot browser clean help

help:
	@echo "make run    install what is needed and run the pipeline once on the bundled samples"
	@echo "make test   install what is needed and run the test suite"
	@echo "make check  format check, lint, types and tests"
	@echo "make eval   score the coder on ../shared/eval (skipped where absent)"
	@echo "make eval-dates  publication dates on real news pages from two pinned sdists (downloaded once)"
	@echo "make bench  coder throughput against bare spaCy; eventwire run on 3,000 generated stories"
	@echo "make serve  local Prefect server on http://127.0.0.1:4200, deployments on their schedules, a worker"
	@echo "make actors rebuild data/reference/actors from ../shared/reference/petrarch2"
	@echo "make verbs  rebuild the CAMEO-derived verb lexicon in data/reference/verbs"
	@echo "make calibrate  refit the confidence model on the ConfliBERT tuning half"
	@echo "make snapshot   rewrite tests/golden/sample_events.jsonl after a deliberate coder change"

install: $(STAMP)

# Hash-pinned install: uv itself comes from .ci/bootstrap.lock, everything else from
# requirements.lock; bytecode is compiled at install so every start is fast.
$(STAMP): requirements.lock .ci/bootstrap.lock pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --require-hashes -r .ci/bootstrap.lock
	$(BIN)/uv pip sync --quiet --python $(BIN)/python --require-hashes --compile-bytecode requirements.lock
	$(BIN)/uv pip install --quiet --python $(BIN)/python --no-deps --no-build-isolation --compile-bytecode -e .
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/eventwire run

# Chromium for the release page's browser test: Debian's package, installed when root.
browser:
	@command -v chromium >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null) \
	      || echo "chromium could not be installed; the browser test will be skipped"; \
	  else echo "not root: chromium not installed; the browser test will be skipped"; fi; }

test: $(STAMP) browser
	$(BIN)/pytest

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(STAMP)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

types: $(STAMP)
	$(BIN)/mypy

check: lint types test

eval: $(STAMP)
	$(BIN)/python tools/eval.py $(EVAL_ARGS)

eval-dates: $(STAMP)
	$(BIN)/python tools/eval_dates.py $(EVAL_DATES_ARGS)

bench: $(STAMP)
	$(BIN)/python tools/bench.py --processes 2

calibrate: $(STAMP)
	$(BIN)/python tools/calibrate.py

verbs: $(STAMP)
	$(BIN)/python tools/build_verbs.py

# The golden sample events (tests/flows/test_sample_golden.py): recode the samples and rewrite the file.
snapshot: $(STAMP)
	EVENTWIRE_UPDATE_GOLDEN=1 $(BIN)/pytest -q -rs tests/flows/test_sample_golden.py

serve: $(STAMP)
	$(BIN)/python -m flows.cli.serve $(SERVE_ARGS)

actors: $(STAMP)
	$(BIN)/python tools/build_actors.py

clean:
	rm -rf data/working data/releases .prefect .prefect-test .pytest_cache .mypy_cache .ruff_cache
