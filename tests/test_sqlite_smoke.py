"""The embedded default (SQLite, tasks in-process) migrates, seeds and serves the home page."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SCRIPT = """
import django
django.setup()
from django.core.management import call_command
from django.test import Client
call_command("migrate", verbosity=0)
call_command("seed_demo", verbosity=0)
client = Client()
client.cookies["bastau_language"] = "en"
assert client.get("/").status_code == 200
assert client.get("/health/").json() == {"status": "ok"}
assert client.post("/accounts/login/", {"username": "centre", "password": "bastau-demo-2026"}).status_code == 302
page = client.get("/")
assert page.status_code == 200, page.status_code
assert 'href="/staff/applications/"' in page.text  # the centre's navigation
# Every demo login reaches every page of its navigation.
import re
for username in ["admin", "analyst", "centre", "centre_zerendi", "akimat", "chamber", "trainer", "commission",
                 "finance", "citizen", "bank_editor"]:
    client = Client()
    client.cookies["bastau_language"] = "en"
    assert client.post("/accounts/login/", {"username": username, "password": "bastau-demo-2026"}).status_code == 302
    home = client.get("/")
    assert home.status_code == 200, (username, home.status_code)
    nav = home.text.split('id="main-nav"', 1)[1].split("</ul>", 1)[0]
    for url in re.findall(r'href="(/[^"]*)"', nav):
        answer = client.get(url, follow=True)  # "Apply" leads a citizen with an application to it
        assert answer.status_code == 200, (username, url, answer.status_code)
print("OK")
"""


@pytest.mark.slow
def test_the_embedded_default_runs_on_sqlite(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL"}}
    env.update(
        DEBUG="1",
        DATABASE_URL=f"sqlite:///{tmp_path / 'smoke.sqlite3'}",
        DJANGO_SETTINGS_MODULE="bastau.settings",
        ALLOWED_HOSTS="testserver",
    )
    result = subprocess.run(
        [sys.executable, "-c", SCRIPT], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 0, result.stderr[-3000:]
    assert "OK" in result.stdout
    assert "tasks run eagerly" in result.stderr
