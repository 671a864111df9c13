.PHONY: run test test-quick setup lint format messages benchmark benchmark-pdf benchmark-funnel worker demo-reset

PORT ?= 8000

# Install everything, load reference and demo data, start the portal at http://127.0.0.1:8000
# (another port: make run PORT=8001; PORT also makes the links in SMS, e-mails and certificate QR codes
# lead to it, unless PORTAL_URL is set)
run: setup
	.venv/bin/python manage.py migrate --noinput
	PORT=$(PORT) .venv/bin/python manage.py seed_demo
	@echo ""
	@echo "Bastau portal: http://127.0.0.1:$(PORT)   (Ctrl+C stops it)"
	PORT=$(PORT) .venv/bin/python manage.py runserver 127.0.0.1:$(PORT)

# Start the demo again from nothing: delete the SQLite database, then migrate, seed and serve.
demo-reset:
	rm -f db.sqlite3
	$(MAKE) run PORT=$(PORT)

# Install everything and run the whole test suite (PostgreSQL and Redis when they answer).
test:
	./scripts/test.sh

# The quick signal while working: the whole suite but the browser, real-worker and slow tests.
test-quick:
	./scripts/test.sh -m "not browser and not worker and not slow"

setup:
	./scripts/setup.sh

# ruff, mypy (services, selectors, tasks; configured in pyproject.toml), then every pre-commit hook
# (ruff, django-upgrade, djhtml) on every file. Offline: the hooks run the tools installed in .venv.
lint: setup
	.venv/bin/ruff check .
	.venv/bin/ruff format --check .
	.venv/bin/mypy
	.venv/bin/pre-commit run --all-files --show-diff-on-failure

format:
	.venv/bin/ruff format . && .venv/bin/ruff check --fix .

# Extract strings for kk/ru and compile the catalogues (needs GNU gettext).
messages:
	.venv/bin/python manage.py makemessages -l kk -l ru -l en --ignore=.venv --ignore=staticfiles --no-obsolete
	.venv/bin/python manage.py compilemessages --ignore=.venv

worker:
	PORT=$(PORT) .venv/bin/celery -A bastau worker -B -Q pdf,celery --loglevel=INFO

# The staff pages at national scale, each against a bare floor view in the same run (gunicorn -w 2,
# wrk -c16, 200,000 applications); ratios and the load average go to docs/benchmarks.md.
BENCH_DB ?= postgres://postgres@127.0.0.1:5432/bastau_bench
BENCH_REDIS ?= redis://127.0.0.1:6379/1
benchmark: setup
	command -v wrk >/dev/null || apt-get install -y -qq wrk >/dev/null || (apt-get update -qq && apt-get install -y -qq wrk)
	DATABASE_URL=$(BENCH_DB) .venv/bin/python manage.py migrate --noinput -v0
	DATABASE_URL=$(BENCH_DB) .venv/bin/python manage.py seed_demo > /dev/null
	DATABASE_URL=$(BENCH_DB) .venv/bin/python manage.py benchmark --applications 200000 --out docs/benchmarks-latest.md

# Certificate PDFs through one real Celery worker against WeasyPrint alone (needs Redis); into docs/benchmarks.md.
benchmark-pdf: setup
	DATABASE_URL=$(BENCH_DB) .venv/bin/python manage.py migrate --noinput -v0
	DATABASE_URL=$(BENCH_DB) REDIS_URL=$(BENCH_REDIS) .venv/bin/python manage.py benchmark_pdf --renders 60

# The programme dashboard at national scale (a year of 150,000 applications with their history) in a
# throwaway database of its own; figures go to docs/benchmarks.md ("Programme dashboard").
FUNNEL_BENCH_DB ?= postgres://postgres@127.0.0.1:5432/bastau_bench_funnel
benchmark-funnel: setup
	DATABASE_URL=$(FUNNEL_BENCH_DB) .venv/bin/python manage.py migrate --noinput -v0
	DATABASE_URL=$(FUNNEL_BENCH_DB) .venv/bin/python manage.py seed_demo > /dev/null
	DATABASE_URL=$(FUNNEL_BENCH_DB) .venv/bin/python manage.py benchmark_funnel --applications 150000 --out docs/benchmarks-funnel-latest.md
