# teamroots — `make run` sets up and runs the sample plant; `make test` sets up and runs every test.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-$(shell cksum pyproject.toml | cut -d' ' -f1)

.PHONY: install run test lint bench load i18n clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	rm -f $(VENV)/.installed-*
	touch $@

install: $(STAMP)

run: install
	$(BIN)/teamroots init
	$(BIN)/teamroots demo --replace --history
	$(BIN)/teamroots census
	$(BIN)/teamroots assess --as-of 2026-07-31
	$(BIN)/teamroots assess
	$(BIN)/teamroots plan leaders
	$(BIN)/teamroots plan training
	$(BIN)/teamroots plan links
	$(BIN)/teamroots report --out report.html
	$(BIN)/teamroots user demo
	$(BIN)/teamroots serve

test: install
	$(BIN)/ruff check src tests bench
	$(BIN)/python -m pytest -n 2 -q

lint: install
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench

bench: install
	$(BIN)/python bench/run_all.py

# 200 users for 10 minutes on two app processes, a job worker and the local PostgreSQL.
load: install
	$(BIN)/python -m pip install --quiet -e '.[dev,bench]'
	$(BIN)/python bench/load_test.py

# Refresh the message catalog after adding or changing user-facing strings.
i18n: install
	$(BIN)/pybabel extract -F babel.cfg -k N_ -k _ -k gettext -k TeamrootsError -k ConfigError -k UnsafeFile -k NotFound -k NotAllowed -k NoFeasiblePlan -k InvalidRequest -k BadFile -k DatabaseBusy -k message -k Bad --no-location --sort-output \
	  -o src/teamroots/locales/teamroots.pot src
	$(BIN)/pybabel update -D teamroots -i src/teamroots/locales/teamroots.pot \
	  -d src/teamroots/locales --no-fuzzy-matching

clean:
	rm -rf $(VENV) teamroots.db teamroots.db-wal teamroots.db-shm teamroots-queue.db* report.html
