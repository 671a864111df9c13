#!/usr/bin/env bash
# Run the whole test suite. Uses PostgreSQL (127.0.0.1:5432) and Redis (127.0.0.1:6379) when
# they answer; otherwise says so in one line and runs what it can on SQLite, skipping the
# worker tests. With BASTAU_REQUIRE_SERVICES=1 (set by .ci/run) a missing service is an error.
set -uo pipefail
cd "$(dirname "$0")/.."
./scripts/setup.sh || exit 1

PG_URL=${TEST_POSTGRES_URL:-postgres://postgres@127.0.0.1:5432/postgres}
REDIS=${TEST_REDIS_URL:-redis://127.0.0.1:6379/15}
require=${BASTAU_REQUIRE_SERVICES:-0}

probe() {
  .venv/bin/python - "$1" "$2" <<'PY'
import sys
kind, url = sys.argv[1], sys.argv[2]
try:
    if kind == "pg":
        import psycopg
        psycopg.connect(url, connect_timeout=3).close()
    else:
        import redis
        redis.Redis.from_url(url, socket_connect_timeout=3).ping()
except Exception as exc:
    print(f"{exc.__class__.__name__}: {str(exc).strip().splitlines()[0] if str(exc).strip() else ''}")
    sys.exit(1)
PY
}

if why=$(probe pg "$PG_URL"); then
  export DATABASE_URL="${PG_URL%/*}/bastau"
else
  if [ "$require" = 1 ]; then echo "PostgreSQL is required but not answering at $PG_URL ($why)."; exit 1; fi
  echo "PostgreSQL is not answering at 127.0.0.1:5432 ($why): running the tests on SQLite instead."
  export DATABASE_URL="sqlite:///$(pwd)/var/test.sqlite3"; mkdir -p var
fi
if probe redis "$REDIS" >/dev/null; then
  # Broker, result backend and cache on a Redis database of their own; unit tests still run
  # tasks in-process (tests/conftest.py), the worker tests start a real worker on it.
  export REDIS_URL="$REDIS"
else
  if [ "$require" = 1 ]; then echo "Redis is required but not answering at $REDIS."; exit 1; fi
  echo "Redis is not answering at 127.0.0.1:6379: the real-worker tests are skipped."
  unset REDIS_URL
fi

.venv/bin/ruff check --quiet . || exit 1
# One test process per core (pytest-xdist; tests/conftest.py gives each its own Redis database and
# pytest-django its own PostgreSQL database). BASTAU_TEST_PROCESSES=0 runs them in this process.
exec .venv/bin/python -m pytest -n "${BASTAU_TEST_PROCESSES:-2}" "$@"
