# corpus: `make run` to use it, `make test` to test it. Everything lives in .venv.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run serve soak bench bench-smoke test lint install install-dev clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# Stamps re-run pip only when a requirements file changed.
$(VENV)/.installed: requirements.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.installed-dev: requirements.txt requirements-dev.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $@ $(VENV)/.installed

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

# `make run` is for a local machine. It writes .env.local once (debug on, so the admin's static files
# are served, a random secret key, and DATABASE_URL if set) that every manage.py command reads: no
# exports needed later.
run: install
	$(BIN)/python -m config.env_file
	$(BIN)/python manage.py migrate --no-input
	$(BIN)/python manage.py load_corpus_once
	$(BIN)/python manage.py check_corpus
	$(BIN)/python manage.py ensure_local_superuser
	@echo "Admin: http://$(HOST):$(PORT)/admin/  API: http://$(HOST):$(PORT)/api/  API docs: http://$(HOST):$(PORT)/api/docs/"
	@echo "API token for writes: $(BIN)/python manage.py drf_create_token <username>"
	$(BIN)/python manage.py runserver $(HOST):$(PORT)

# `make serve` is production: gunicorn on config.wsgi, debug off, static files collected and served
# by WhiteNoise, migrations applied. Like any server it reads the environment only, never .env.local
# (DJANGO_ENV_FILE= keeps manage.py's steps on the database gunicorn uses). README: "Running in production".
# Swagger UI documents the API; the sidecar's ReDoc is never served, so collectstatic leaves it out.
serve: export DJANGO_ENV_FILE =
serve: export DJANGO_DEBUG = 0
serve: install
	$(BIN)/python manage.py collectstatic --no-input --verbosity 0 --ignore redoc
	$(BIN)/python manage.py migrate --no-input
	exec $(BIN)/gunicorn --config config/gunicorn.py --bind $(HOST):$(PORT) config.wsgi

# Minutes of mixed reads and writes against `make serve` on PostgreSQL while its database connections
# are killed now and then; not part of CI. DATABASE_URL=postgres://... make soak SOAK_ARGS="--seconds 20"
soak: install
	$(BIN)/python bench/soak.py $(SOAK_ARGS)

# The API at archive scale against plain DRF, Datasette and a framework-free floor, with wrk (apt-get install
# wrk) on PostgreSQL: README, "Benchmark". The data is generated once into the database corpus_bench on
# DATABASE_URL's server and kept; BENCH_ARGS="--regenerate" makes it again. bench-smoke is CI's short run.
bench: install
	$(BIN)/python bench/run.py $(BENCH_ARGS)

bench-smoke: install
	$(BIN)/python bench/run.py --smoke $(BENCH_ARGS)

# SQLite by default; set DATABASE_URL=postgres://... to run the same suite on PostgreSQL. The tests run in
# TEST_WORKERS processes (pytest-xdist), each with its own test database; TEST_WORKERS=0 runs them in this one.
# worksteal: a worker that runs out takes tests queued for the other, so a few long tests (the fuzzing, the
# browser) do not leave one process idle at the end.
TEST_WORKERS ?= 2
test: install-dev
	$(BIN)/python -m pytest -n $(TEST_WORKERS) $$([ "$(TEST_WORKERS)" = 0 ] || echo --dist worksteal) $(PYTEST_ARGS)

lint: install-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

clean:
	rm -rf $(VENV) .pytest_cache
