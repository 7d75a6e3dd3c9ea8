# ClassContact portal: `make run` for a demo on SQLite, `make test` for the whole suite.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-$(shell cat requirements.txt requirements-dev.txt | cksum | cut -d' ' -f1)
COMPILE := $(VENV)/bin/pip-compile --quiet --generate-hashes --allow-unsafe --strip-extras \
	--no-emit-index-url --no-emit-find-links
RUN_ENV := DEBUG=1 DEMO_MODE=1 DATABASE_URL=sqlite:///$(CURDIR)/db.sqlite3 REDIS_URL= \
	EMAIL_BACKEND=django.core.mail.backends.console.EmailBackend

.PHONY: run test bench lint messages install audit lock

install: $(STAMP)

# Production needs requirements.txt only (the image installs nothing else); development and
# the tests add requirements-dev.txt. Both are pinned with hashes: `make lock` rebuilds them.
$(STAMP): requirements.txt requirements-dev.txt
	@test -n "$(PYTHON)" || { echo "Python 3.11 is needed: apt-get install python3 python3-venv"; exit 1; }
	$(PYTHON) -m venv $(VENV) || { echo "Creating the virtualenv failed: apt-get install python3-venv"; exit 1; }
	$(VENV)/bin/pip install --quiet --upgrade pip
	$(VENV)/bin/pip install --quiet --require-hashes -r requirements.txt -r requirements-dev.txt
	rm -f $(VENV)/.installed-*
	touch $(STAMP)

run: $(STAMP)
	$(RUN_ENV) $(PY) manage.py prepare_demo_db
	$(RUN_ENV) $(PY) manage.py migrate --noinput
	$(RUN_ENV) $(PY) manage.py seed_demo
	@echo "Portal: http://127.0.0.1:8000  (admin: http://127.0.0.1:8000/admin/)"
	$(RUN_ENV) $(PY) manage.py runserver 127.0.0.1:8000

test: $(STAMP)
	@$(PY) tests/preflight.py > .test-env || { rm -f .test-env; exit 1; }
	@. ./.test-env && rm -f .test-env && $(VENV)/bin/ruff check --quiet . && \
		TESTING=1 $(PY) manage.py makemigrations --check --dry-run > /dev/null && \
		$(VENV)/bin/pytest $(PYTEST_ARGS)

# BENCH_SCALE=5 multiplies every seeded count; BENCH_COMPARE=5 measures ×1 and ×5 (two
# databases) and prints them side by side with their ratio.
BENCH_SCALE ?= 1
BENCH_COMPARE ?=
BENCH_MODE = $(if $(BENCH_COMPARE),--compare $(BENCH_COMPARE),--scale $(BENCH_SCALE))

bench: $(STAMP)
	@$(PY) tests/preflight.py --bench > .test-env || { rm -f .test-env; exit 1; }
	@. ./.test-env && rm -f .test-env && DEBUG=0 SECRET_KEY=bench-only-secret-key-bench-only-secret-key-0123456789 SECURE_SSL_REDIRECT=0 \
		SECURE_COOKIES=0 sh -c '$(PY) manage.py collectstatic --noinput -v0 && $(PY) manage.py bench $(BENCH_MODE) $(BENCH_ARGS) && $(PY) manage.py bench_pdf && $(PY) manage.py bench_report_pdf && $(PY) manage.py bench_outage'

lint: $(STAMP)
	$(VENV)/bin/ruff check . && $(VENV)/bin/ruff format --check .

messages: $(STAMP)
	$(PY) manage.py makemessages -l fr -l en --ignore=.venv --ignore=staticfiles
	$(PY) manage.py compilemessages --ignore=.venv

# Known vulnerabilities of the production requirements (needs access to PyPI and the OSV database).
audit: $(STAMP)
	$(VENV)/bin/pip-audit --strict --disable-pip --require-hashes -r requirements.txt

lock: $(STAMP)
	$(COMPILE) --output-file requirements.txt requirements.in
	$(COMPILE) --output-file requirements-dev.txt requirements-dev.in
