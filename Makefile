# Guichet — the two set-up commands are `make run` and `make test` (see README.md).
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cat pyproject.toml | cksum | cut -d' ' -f1)
PYTEST_ARGS ?=

.PHONY: run serve test e2e qa lint format migrate seed system-check install worker beat messages bench bench-quick clean oidc-provider

system-check:
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info[:2] != (3, 11))' || { echo "Python 3.11 is required: sudo apt-get install python3.11 python3.11-venv"; exit 1; }
	@$(PYTHON) -c 'import ctypes.util, sys; sys.exit(not ctypes.util.find_library("magic"))' || { echo "Missing system library libmagic: sudo apt-get install libmagic1"; exit 1; }

$(STAMP): pyproject.toml
	@$(MAKE) --no-print-directory system-check
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV) || { echo "Cannot create a virtualenv: sudo apt-get install python3.11-venv"; exit 1; }
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	@rm -f $(VENV)/.installed-*
	@touch $@

# Compiled translation catalogues (.mo) are build output, remade when their .po changes.
PO_FILES := $(wildcard locale/*/LC_MESSAGES/*.po)
MO_FILES := $(PO_FILES:.po=.mo)

locale/%.mo: locale/%.po config/catalogues.py | $(STAMP)
	$(BIN)/python -m config.catalogues $<

install: $(STAMP) $(MO_FILES)

# The test OpenID Connect provider (tests/support/oidc_provider, node + oidc-provider) that
# the FranceConnect / ProConnect tests start; reinstalled when its lock file changes.
OIDC_PROVIDER := tests/support/oidc_provider

$(OIDC_PROVIDER)/node_modules: $(OIDC_PROVIDER)/package-lock.json
	@command -v npm >/dev/null || { echo "make oidc-provider needs node and npm: sudo apt-get install nodejs npm"; exit 1; }
	npm ci --prefix $(OIDC_PROVIDER) --no-audit --no-fund
	@touch $@

oidc-provider: $(OIDC_PROVIDER)/node_modules

migrate: install
	$(BIN)/python manage.py migrate --noinput

seed: migrate
	$(BIN)/python manage.py seed_demo

run: seed
	$(BIN)/python manage.py runserver 127.0.0.1:8000

# Production-like: gunicorn with the request body capped by its limit settings.
serve: migrate
	$(BIN)/python manage.py collectstatic --noinput
	$(BIN)/gunicorn config.wsgi:application --bind 127.0.0.1:8000 --workers 2 --limit-request-line 8190

worker: install
	$(BIN)/celery -A config worker --loglevel=INFO

beat: install
	$(BIN)/celery -A config beat --loglevel=INFO

test: install
	$(BIN)/python -m pytest $(PYTEST_ARGS)

# The browser tests and the cross-role journeys. The journeys need PostgreSQL and Redis
# (DATABASE_URL, REDIS_URL) and Java; without them they are skipped with the reason.
e2e: install
	$(BIN)/python -m pytest tests/e2e tests/journeys $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/python manage.py makemigrations --check --dry-run
	$(BIN)/lint-imports

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

qa: lint test

# Benchmarks (bench/README.md). `make bench`: PostgreSQL seeded with BENCH_SCALE demandes
# (default 100000; DATABASE_URL, else postgres://postgres@127.0.0.1:5432/guichet_bench), the
# portal and a bare Django project under gunicorn driven by wrk, then file inspection.
bench: install
	@command -v wrk >/dev/null || { echo "make bench needs wrk: sudo apt-get install wrk"; exit 1; }
	$(BIN)/python -m bench.seed
	$(BIN)/python -m bench.http
	$(BIN)/python -m bench.inspection

# In-process: pages through Django's test client against a bare view, and file inspection.
bench-quick: install
	$(BIN)/python -m bench.pages
	$(BIN)/python -m bench.inspection

# Developer command: extract new strings into the catalogues (needs GNU gettext), then
# compile them. Translate the new entries of locale/en, see docs/translations.md.
messages: install
	@command -v xgettext >/dev/null || { echo "make messages needs GNU gettext: sudo apt-get install gettext"; exit 1; }
	$(BIN)/python manage.py makemessages -l fr -l en --ignore=.venv --ignore=var --ignore=static --no-obsolete
	$(BIN)/python -m config.catalogues

clean:
	rm -rf $(VENV) var $(MO_FILES)
