# Portail CUCS: `make run` and `make test` are the whole quick start.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run worker test lint format check-system install migrate demo messages clean

run: install migrate demo
	@echo "Portail CUCS: http://$(HOST):$(PORT)/  (Ctrl-C to stop the server and its worker)"
	@PORTAL_BASE_URL="$${PORTAL_BASE_URL:-http://$(HOST):$(PORT)}" sh scripts/serve.sh $(BIN) $(HOST):$(PORT)

# The background worker alone (PDFs, seminar e-mails), e.g. beside another server;
# it first frees what a worker that died left half-done.
worker: install migrate
	$(BIN)/python manage.py worker --interval 1

# The whole suite on every core (pytest-xdist, one test file per worker, so a
# module's fixtures are built once); `make test PYTEST_ARGS=tests/x.py::test`
# runs in one process.
PYTEST_ARGS ?= -n auto --dist loadfile

test: install
	$(BIN)/python -m pytest $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/djlint --check templates */templates
	$(BIN)/lint-imports

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .
	$(BIN)/djlint --reformat templates */templates

check-system:
	@$(PYTHON) scripts/check_system.py

install: check-system $(STAMP)

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	@$(BIN)/python scripts/check_system.py --weasyprint
	@touch $(STAMP)

migrate: install
	$(BIN)/python manage.py migrate --noinput

demo: install
	$(BIN)/python manage.py seed_demo

messages: install
	$(BIN)/python manage.py makemessages -l fr -l en --no-location --ignore=.venv --ignore=staticfiles
	$(BIN)/python manage.py compilemessages --ignore=.venv

clean:
	rm -rf $(VENV) staticfiles .pytest_cache
