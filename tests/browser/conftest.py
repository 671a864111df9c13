"""Real-browser tests: Playwright for Python driving Debian's Chromium (never a downloaded one).

Skipped with a reason when /usr/bin/chromium is absent; with BASTAU_REQUIRE_SERVICES=1 (as
.ci/run sets, after installing it) a missing browser is an error.
"""

import os
from dataclasses import dataclass
from pathlib import Path

import pytest

CHROMIUM = Path(os.environ.get("BASTAU_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
PASSWORD = "bastau-demo-2026"  # the public demo password (README)


def _why_not() -> str | None:
    if not CHROMIUM.exists():
        return f"Chromium not found at {CHROMIUM} (apt-get install chromium)"
    try:
        import axe_playwright_python  # noqa: F401
        import playwright  # noqa: F401
    except ImportError as exc:
        return f"Playwright or axe-playwright-python is not installed ({exc})"
    return None


@pytest.fixture(scope="package", autouse=True)
def _sync_orm_beside_playwright():
    """Playwright's sync API keeps an event loop in this thread, so Django takes the seeding and the
    test database's flush for async code; they are plain synchronous code. Only for this package:
    the variable must not reach the other tests (`check --deploy` rightly refuses it)."""
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    yield
    if previous is None:
        os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    else:
        os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture(scope="package")
def browser():
    """One Chromium for the package's tests; stopped with the package, so Playwright's event loop
    is gone before the test database is torn down."""
    why = _why_not()
    if why is not None:
        if os.environ.get("BASTAU_REQUIRE_SERVICES") == "1":
            pytest.fail(f"The browser tests are required here: {why}", pytrace=False)
        pytest.skip(why)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@dataclass
class Demo:
    url: str
    usernames: list[str]


def _seed_demo() -> list[str]:
    """Seed in a thread of its own: Playwright keeps an event loop running in this one, and the
    certificates' signing (pyHanko) runs one of its own."""
    from concurrent.futures import ThreadPoolExecutor

    from django.core.management import call_command
    from django.db import connection

    from portal.demo import seed_demo

    def seed():
        try:
            call_command("load_reference_data", verbosity=0)
            return sorted(seed_demo())
        finally:
            connection.close()

    with ThreadPoolExecutor(1) as pool:
        return pool.submit(seed).result()


@pytest.fixture
def demo(live_server, django_db_blocker, settings):
    """The demo data (every role, applications in every state) behind a live server, seeded for this
    test alone: for a test that changes it (the database is emptied after the test)."""
    settings.DEBUG = False
    with django_db_blocker.unblock():
        usernames = _seed_demo()
    return Demo(url=live_server.url, usernames=usernames)


@pytest.fixture(scope="package")
def _shared_demo_server(django_db_setup, django_db_blocker):
    """A live server of the package's own (not pytest-django's `live_server`, which empties the
    database after every test), and the database emptied when the package's tests are done, so
    nothing seeded here reaches the tests outside the package."""
    from django.core.management import call_command
    from django.db import connection
    from django.test.utils import setup_databases, teardown_databases
    from pytest_django.live_server_helper import LiveServer

    own_setup = None
    if connection.settings_dict["NAME"] != connection.creation._get_test_db_name():
        # Only tests of this fixture were selected: pytest-django set up no test database for them.
        with django_db_blocker.unblock():
            own_setup = setup_databases(verbosity=0, interactive=False, aliases={"default"})
    server = LiveServer("localhost")
    server._live_server_modified_settings.enable()
    yield server
    server._live_server_modified_settings.disable()
    server.stop()
    with django_db_blocker.unblock():
        call_command("flush", interactive=False, verbosity=0)
        if own_setup is not None:
            teardown_databases(own_setup, verbosity=0)


_SEEDED: dict[str, list[str]] = {}


@pytest.fixture
def shared_demo(_shared_demo_server, django_db_blocker):
    """The demo data behind a live server, seeded once and shared by the tests that only read it (the
    walk over every page, a refused form). Seeded again only when a test that changes the data
    (`demo`) emptied the database after itself, which this notices from the demo's logins being
    gone. The database is open to the server's thread for the test's length."""
    from accounts.models import User

    with django_db_blocker.unblock():
        if not _SEEDED or not User.objects.filter(username__in=_SEEDED["usernames"][:1]).exists():
            _SEEDED["usernames"] = _seed_demo()
        yield Demo(url=_shared_demo_server.url, usernames=_SEEDED["usernames"])
