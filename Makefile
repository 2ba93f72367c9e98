# csplatform — the two commands: `make run` and `make test`. See README.md.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
HOST   ?= 127.0.0.1
PORT   ?= 8000
# Links in the e-mails the app prints or sends point here; `make run` serves it.
SITE_URL ?= http://$(HOST):$(PORT)
export SITE_URL
export PIP_DISABLE_PIP_VERSION_CHECK := 1
# pytest-xdist processes: one per core of a CI machine.
TEST_WORKERS ?= 2

.DEFAULT_GOAL := help
.PHONY: help run test any-day api-contract lint format bench install dev worker beat clean \
	messages check-messages compile-messages

help:  ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-8s %s\n", $$1, $$2}'

# The stamp files make a second `make run` skip the install when nothing changed.
$(VENV)/.installed: pyproject.toml constraints.txt
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --constraint constraints.txt --editable .
	@touch $@

$(VENV)/.installed-dev: $(VENV)/.installed
	$(BIN)/python -m pip install --quiet --constraint constraints.txt --editable '.[dev]'
	@touch $@

install: $(VENV)/.installed  ## Create .venv and install the app
dev: $(VENV)/.installed-dev  ## Also install the test and lint tools

run: $(VENV)/.installed compile-messages  ## Serve the app on SQLite with demo data (tasks run inline)
	@$(BIN)/python manage.py migrate --noinput -v 0
	@$(BIN)/python manage.py seed_demo --if-empty
	@echo
	@echo "  csplatform is starting at http://$(HOST):$(PORT)/"
	@echo "  the in-app widget on a stand-in vendor page: http://$(HOST):$(PORT)/widget/demo/"
	@echo
	@WIDGET_DEMO_PAGE=true $(BIN)/python manage.py runserver $(HOST):$(PORT)

test: $(VENV)/.installed-dev compile-messages  ## Run the whole test suite
	$(BIN)/python manage.py makemigrations --check --dry-run
	$(BIN)/python -m pytest -n $(TEST_WORKERS) --dist worksteal

# The tests marked any_day read the calendar: run them under each date of tests/clock.py.
ANY_DAY_DATES ?= $(shell sed -n 's/^ANY_DAY_DATES = (\(.*\))$$/\1/p' tests/clock.py | tr -d '",')
any-day: $(VENV)/.installed-dev  ## Run the date-sensitive tests under five pinned dates
	@set -e; for day in $(ANY_DAY_DATES); do \
	  echo "== tests marked any_day, on $$day"; \
	  CSPLATFORM_TEST_NOW=$$day $(BIN)/python -m pytest -m any_day -n $(TEST_WORKERS) --dist worksteal -q --reuse-db; \
	done

# A live server on a database of its own; schemathesis as staff, a customer and anonymous.
api-contract: $(VENV)/.installed-dev  ## Check the API answers as its OpenAPI schema says
	$(BIN)/python -m tests.api_contract

lint: $(VENV)/.installed-dev  ## ruff, the import contracts, and mypy against its baseline
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports
	$(BIN)/mypy | $(BIN)/mypy-baseline filter --baseline-path .ci/mypy-baseline.txt --ignore-categories note --hide-stats
	$(BIN)/python .ci/messages.py check

# The .mo files are built from the committed .po catalogues, never committed (README).
compile-messages: $(VENV)/.installed
	@$(BIN)/python manage.py compilemessages --ignore=.venv -v 0

messages: $(VENV)/.installed-dev  ## Update locale/*/django.po from the marked strings
	$(BIN)/python .ci/messages.py update

check-messages: $(VENV)/.installed-dev  ## Fail on untranslated, fuzzy, mismatched or stale entries
	$(BIN)/python .ci/messages.py check

format: $(VENV)/.installed-dev  ## Apply ruff's fixes and formatting
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

bench: $(VENV)/.installed-dev  ## Run tests/benchmarks and print measured vs reference figures
	$(BIN)/python -m pytest tests/benchmarks -m benchmark -s

worker: $(VENV)/.installed  ## A Celery worker (needs REDIS_URL)
	$(BIN)/celery -A csplatform worker -l info

beat: $(VENV)/.installed  ## Celery beat (needs REDIS_URL)
	$(BIN)/celery -A csplatform beat -l info --schedule $${TMPDIR:-/tmp}/csplatform-beat

clean:  ## Remove the virtualenv, the SQLite database and collected static files
	rm -rf $(VENV) db.sqlite3 staticfiles .pytest_cache .ruff_cache
