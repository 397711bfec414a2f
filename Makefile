# One command to run the suite, one to test it. Needs Python 3.11+ as $(PYTHON).
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-$(shell cksum < pyproject.toml | cut -d' ' -f1)

.PHONY: env up test test-fast lint bench bench-data clean i18n

# --compile-bytecode: with PYTHONDONTWRITEBYTECODE set (as on these machines) nothing is cached at import, and
# every process (a report kernel, a pipeline step, a test run) would compile pandas, Panel, Bokeh… again.
$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11) and "Python 3.11+ needed, found " + sys.version.split()[0])'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check uv
	$(BIN)/uv pip install --quiet --compile-bytecode --python $(BIN)/python -e '.[test,dev]'
	rm -f $(VENV)/.installed-*
	touch $@

env: $(STAMP)           ## create or update the virtual environment

up: env                 ## database + migrations + pipelines (when needed) + all apps on :5006
	$(BIN)/tanso up

test: env               ## every test: unit, integration (PostgreSQL), pipelines, report, browser, deploy
	$(BIN)/python -m pytest

test-fast: env          ## unit tests only
	$(BIN)/python -m pytest tests/unit -q

lint: env
	$(BIN)/ruff check src apps tests benchmarks
	$(BIN)/bandit -q -c pyproject.toml -r src apps

# The benchmarks that read the dev database (served_app, report_build, sectors, news, community)
# get it migrated and loaded here (a pipeline skips what is loaded already); the others prepare
# their own (etl_load, vcm_search: a scratch database; startup, auth: a fresh embedded server).
bench-data: env         ## the dev database (DATABASE_URL or embedded) migrated and loaded, for make bench
	$(BIN)/tanso db upgrade
	$(BIN)/tanso pipeline run etl
	$(BIN)/tanso pipeline run sectors
	$(BIN)/tanso pipeline run vcm

# Every script in benchmarks/ except pgbinary.py, which is a module (etl_load.py's baseline encoder).
BENCHMARKS := $(filter-out benchmarks/pgbinary.py,$(sort $(wildcard benchmarks/*.py)))

bench: bench-data       ## performance figures (printed, not asserted): every benchmark in benchmarks/
	@set -e; for script in $(BENCHMARKS); do echo "== $$script"; $(BIN)/python $$script; done

i18n: env              ## add the message keys used in the code to both catalogs (empty = to translate)
	$(BIN)/python -m tanso.ui.i18n

clean:
	-$(BIN)/tanso db stop
	rm -rf $(VENV) .tanso
