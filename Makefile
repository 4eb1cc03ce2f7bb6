# Toezeggingenregister — the two set-up commands are `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 5000
export FLASK_APP := app

.PHONY: run serve test test-fast lint format typecheck bench bench-1m loadtest wrk clean browser translations messages

$(VENV)/.installed: requirements.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.txt
	touch $@

$(VENV)/.installed-dev: $(VENV)/.installed requirements-dev.txt
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $@

## translations: compile the English catalogue (the .po files are the source, .mo is built);
## only when the .po changed, so a `make run` inside the tests never rewrites the file while
## other test processes read it
CATALOGUE := app/translations/en/LC_MESSAGES/messages
translations: $(CATALOGUE).mo
$(CATALOGUE).mo: $(CATALOGUE).po | $(VENV)/.installed
	$(BIN)/pybabel compile --statistics -d app/translations

## messages: after changing user-visible text, re-extract it and update the catalogues
messages: $(VENV)/.installed
	$(BIN)/pybabel extract -F babel.cfg -k _l -k lazy_gettext --no-location --sort-output \
		-o app/translations/messages.pot app
	$(BIN)/pybabel update -i app/translations/messages.pot -d app/translations --width 100

## run: install, migrate, seed, then serve on http://$(HOST):$(PORT) with the scheduler beside it
run: export BASE_URL ?= http://$(HOST):$(PORT)
run: $(VENV)/.installed translations
	@echo "Links in e-mails en bestanden wijzen naar $$BASE_URL."
	$(BIN)/flask db upgrade
	$(BIN)/flask seed
	$(BIN)/flask users first-admin
	@echo "De scheduler (herinneringen) draait mee; hij zegt bij de start waar e-mails heen gaan."
	$(BIN)/flask scheduler & scheduler=$$!; \
	trap 'kill $$scheduler 2>/dev/null' EXIT INT TERM; \
	$(BIN)/flask run --host $(HOST) --port $(PORT)

## serve: production on this machine (README "In productie"): install, `flask db upgrade`, then
## gunicorn with gunicorn.conf.py and APP_ENV=production. Settings come from the environment and,
## with ENV_FILE=path, from that file too (KEY=value lines, as systemd's EnvironmentFile reads
## them; a variable already set in the environment wins). It needs SECRET_KEY, DATABASE_URL and
## BASE_URL; BIND (default 127.0.0.1:8000), WEB_CONCURRENCY and GUNICORN_THREADS choose the rest.
serve: export APP_ENV := production
serve: $(VENV)/.installed translations
	$(WITH_ENV_FILE) $(BIN)/flask db upgrade
	exec $(WITH_ENV_FILE) $(BIN)/gunicorn -c gunicorn.conf.py

#: `make serve ENV_FILE=…`: run a command with that file's settings added to the environment.
WITH_ENV_FILE = $(if $(ENV_FILE),$(BIN)/dotenv -f $(ENV_FILE) run --no-override --)

## browser: Debian's Chromium for the Playwright tests (Playwright's own download cannot work here)
browser:
	@command -v chromium >/dev/null 2>&1 || { apt-get update -qq && apt-get install -y -qq chromium >/dev/null; }

## test: the whole suite, on SQLite and PostgreSQL (TEST_DATABASE_URL), on two processes (each
## xdist worker has its own PostgreSQL schema, see tests/conftest.py): serially it neared 15 minutes
test: $(VENV)/.installed-dev browser translations
	$(BIN)/python -m pytest -n 2

## test-fast: the loop while working: SQLite only, no browser and no slow tests (under a minute)
test-fast: $(VENV)/.installed-dev translations
	$(BIN)/python -m pytest -n 2 -m "not browser and not postgres and not slow"

lint: $(VENV)/.installed-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

format: $(VENV)/.installed-dev
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

typecheck: $(VENV)/.installed-dev
	$(BIN)/mypy

## wrk: the HTTP load generator `make bench` runs (Debian's package)
wrk:
	@command -v wrk >/dev/null 2>&1 || { apt-get update -qq && apt-get install -y -qq wrk >/dev/null; }

## bench: 100,000 promises on SQLite and PostgreSQL, served by gunicorn, measured with wrk
## (README "Metingen"); COUNT=… for another size; BENCH_POSTGRES_URL names the database it recreates
bench: $(VENV)/.installed-dev translations wrk
	$(BIN)/python -m benchmarks --count $(or $(COUNT),100000)

## bench-1m: the same on PostgreSQL with 1,000,000 promises (COUNT=200000 for a shorter try)
bench-1m: $(VENV)/.installed-dev translations wrk
	$(BIN)/python -m benchmarks --databases postgresql --count $(or $(COUNT),1000000) \
		--output benchmarks/results-1m.json --no-letter

## loadtest: 50 readers and 5 clerks for 60 s against gunicorn on PostgreSQL (README "Metingen");
## COUNT=… for another size, DURATION=… seconds; LOAD_POSTGRES_URL names the database it recreates
loadtest: $(VENV)/.installed-dev translations
	$(BIN)/python -m benchmarks.load --count $(or $(COUNT),100000) --duration $(or $(DURATION),60)

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .mypy_cache
