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


@pytest.fixture
def demo(live_server, django_db_blocker, settings):
    """The demo data (every role, applications in every state) behind a live server."""
    from django.core.management import call_command

    from portal.demo import seed_demo

    settings.DEBUG = False
    with django_db_blocker.unblock():
        call_command("load_reference_data", verbosity=0)
        people = seed_demo()
    return Demo(url=live_server.url, usernames=list(people))
