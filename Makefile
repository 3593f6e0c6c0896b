# Shanzhi 善治 — development commands. `make run` and `make test` are all most people need.
#
# Every target creates .venv on first use and reinstalls the project only when
# pyproject.toml has changed since the last install (stamp file inside .venv).

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.shanzhi-installed
# -qq: errors only. PYTHONWARNINGS quiets setuptools' notes while it builds the editable install.
PIP := PYTHONWARNINGS=ignore $(BIN)/python -m pip -qq --disable-pip-version-check --no-input

.DEFAULT_GOAL := help
.PHONY: help venv run migrate demo test test-browser lint format messages

help:
	@echo "make run           start the site on http://127.0.0.1:8000 with a worker and the demo data"
	@echo "make test          run the test suite (without the browser journeys)"
	@echo "make test-browser  run the Playwright journeys in Debian chromium"
	@echo "make lint          ruff check and ruff format --check"
	@echo "make format        ruff format and ruff check --fix"
	@echo "make messages      update and compile the Chinese catalogue (the English is in the code)"

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(STAMP): pyproject.toml | $(BIN)/python
	$(PIP) install -e '.[dev]'
	@touch $@

venv: $(STAMP)

# Development configuration: DEBUG on, no HTTPS, no services needed (SQLite, filesystem broker).
run migrate demo messages: export DEBUG = 1

migrate: venv
	$(BIN)/python manage.py migrate --verbosity 0

demo: migrate
	$(BIN)/python manage.py seed_demo

run: demo
	$(BIN)/python scripts/devserver.py

# -n auto: one test process per core (pytest-xdist); each has its own test database.
test: venv
	$(BIN)/pytest -q -n auto

test-browser: venv
	$(BIN)/pytest -q -m browser

lint: venv
	$(BIN)/ruff check --quiet .
	$(BIN)/ruff format --check --quiet .

format: venv
	$(BIN)/ruff format --quiet .
	$(BIN)/ruff check --quiet --fix .

messages: venv
	$(BIN)/python manage.py makemessages -l zh_Hans --no-obsolete \
		--ignore 'var/*' --ignore 'staticfiles/*' --ignore 'static/vendor/*' \
		--ignore 'tests/*' --ignore 'benchmarks/*' --verbosity 0
	$(BIN)/python manage.py compilemessages --ignore '$(VENV)/*' --ignore 'var/*' --verbosity 0
