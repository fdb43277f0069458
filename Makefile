# Kindling: `make run` sets up and starts everything on embedded defaults; `make test` runs all tests.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: install run web worker migrate demo test lint format test-deps bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q -e '.[dev]'
	touch $(STAMP)

## Create the virtualenv in .venv/ and install Kindling with its dependencies.
install: $(STAMP)

migrate: install
	$(BIN)/python manage.py migrate --noinput

demo: migrate
	$(BIN)/python manage.py load_demo

## Install, migrate, load the demo workspace once, start the web server and a worker with beat.
run: demo
	./scripts/run.sh

web: migrate
	$(BIN)/gunicorn crm.wsgi --bind $${HOST:-127.0.0.1}:$${PORT:-8000} --threads 4

worker: migrate
	$(BIN)/celery -A crm worker -B -Q default,send,inbox,dns,ai,import --loglevel=info

## Programs the tests drive for real: Chromium, Dovecot (IMAP), NSD (DNS). Best effort.
test-deps: install
	./scripts/install_test_programs.sh

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy .

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

## Run every test (SQLite by default; set DATABASE_URL / CELERY_BROKER_URL for PostgreSQL/Redis).
test: test-deps lint
	$(BIN)/python -m pytest -n 2 -p no:randomly $(PYTEST_ARGS)

clean:
	rm -rf $(VENV) var/celery var/static
