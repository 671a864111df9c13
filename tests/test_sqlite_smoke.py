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
# The queue's search folds Cyrillic and Kazakh case too (SQLite's own LIKE folds only A-Z), and the
# masked IIN's last four digits find their application.
from accounts.models import User
from applications.models import Application
centre = User.objects.get(username="centre")
ours = Application.objects.filter(district=centre.organisation.district, status="submitted")
wanted = next(a for a in ours if not a.last_name.isascii() and not a.last_name[0].isascii())
link = f"/applications/{wanted.code}/"
assert link not in client.get("/staff/applications/", {"q": "no-such-name"}).text
for term in (wanted.last_name.lower(), wanted.last_name.upper(), wanted.last_name[1:4].upper(), wanted.iin[-4:]):
    assert link in client.get("/staff/applications/", {"q": term}).text, term
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


def test_the_sqlite_like_folds_every_alphabet_and_keeps_its_wildcards_and_escape():
    from core.sqlite import like

    assert like("%жұмабек%", "Жұмабеков") and like("%ӘБІЛ%", "Әбілов") and like("%иванов%", "ИВАНОВ")
    assert like("а_с", "АқС") and not like("а_с", "АққС")
    assert like(r"100\%", "100%", "\\") and not like(r"100\%", "1000", "\\")
    assert like(r"a\_b", "a_b", "\\") and not like(r"a\_b", "axb", "\\")
    assert like(None, "x") is None and like("%", None) is None


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
