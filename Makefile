# The two commands a newcomer types: `make run` and `make test`. See README.md.
SHELL := /bin/bash
.DEFAULT_GOAL := help

VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
PYTHON ?= python3

TEST_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/cte_portal
TEST_REDIS_URL ?= redis://127.0.0.1:6379/15

.PHONY: help run test install install-dev assets messages check-services lint format bench migrate clean

help:
	@echo "make run    - set up and serve the portal with demo data at http://127.0.0.1:8000"
	@echo "make test   - set up and run the whole test suite (PostgreSQL + Redis)"
	@echo "make lint   - ruff check, ruff format --check, makemigrations --check"
	@echo "make bench  - time pages against a trivial page under gunicorn + PostgreSQL"

$(VENV)/bin/activate:
	$(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip

# Reinstall only when pyproject.toml changes.
$(VENV)/.installed: pyproject.toml | $(VENV)/bin/activate
	$(PIP) install --quiet -e .
	touch $@

$(VENV)/.installed-dev: pyproject.toml | $(VENV)/bin/activate
	$(PIP) install --quiet -e '.[dev]'
	touch $@ $(VENV)/.installed

install: $(VENV)/.installed assets messages
install-dev: $(VENV)/.installed-dev assets messages

# USWDS and axe-core come from npm (package-lock.json) and are served from our static files.
node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

assets: node_modules/.installed

# Spanish: compiled in Python (polib), so gettext is needed only to extract new strings.
messages: $(VENV)/.installed
	$(PY) scripts/compile_messages.py

migrate: install
	$(PY) manage.py migrate --noinput

run: install
	$(PY) manage.py migrate --noinput
	$(PY) manage.py seed_demo
	@echo ""
	@echo "  CTE Portal: http://127.0.0.1:8000"
	@echo "  Demo accounts (password: demo-password):"
	@echo "    staff@demo.example  counselor@demo.example  student@demo.example  employer@demo.example"
	@echo ""
	$(PY) manage.py runserver 127.0.0.1:8000

# Standard library only, so it answers before anything is installed.
check-services:
	@DATABASE_URL=$${DATABASE_URL:-$(TEST_DATABASE_URL)} TEST_REDIS_URL=$${TEST_REDIS_URL:-$(TEST_REDIS_URL)} \
		$(PYTHON) scripts/check_services.py

test: check-services install-dev
	DATABASE_URL=$${DATABASE_URL:-$(TEST_DATABASE_URL)} TEST_REDIS_URL=$${TEST_REDIS_URL:-$(TEST_REDIS_URL)} \
		$(PY) -m pytest $(PYTEST_ARGS)

lint: install-dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(PY) manage.py makemigrations --check --dry-run

format: install-dev
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

bench: check-services install-dev
	DATABASE_URL=$${DATABASE_URL:-$(TEST_DATABASE_URL)_bench} $(PY) scripts/bench.py
	DATABASE_URL=$${DATABASE_URL:-$(TEST_DATABASE_URL)_bench} $(PY) scripts/bench_notifications.py

clean:
	rm -rf $(VENV) node_modules staticfiles db.sqlite3
