"""Start-up with bad environment variables, and the production security check."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PROD = {
    "DEBUG": "0",
    "SECRET_KEY": "x7!k2P9q#mZ4vB8wL1nR6tY3uE5oA0sD-fGhJkLzXcVbNm_QwErTy",
    "ALLOWED_HOSTS": "bastau.example.kz",
    "DATABASE_URL": "postgres://bastau:secret@db.example.kz:5432/bastau",
    "REDIS_URL": "redis://cache.example.kz:6379/0",
    "EMAIL_URL": "smtp+tls://portal:secret@mail.example.kz:587",
    "PORTAL_URL": "https://bastau.example.kz",
}


def run_manage(*args, **env):
    under_test = {"DEBUG", "SECRET_KEY", "DATABASE_URL", "REDIS_URL", "PORTAL_URL", "PORT"}
    base = {k: v for k, v in os.environ.items() if k not in under_test}
    # Real variables win over a local .env, so every value under test is passed explicitly.
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**base, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


pytestmark = pytest.mark.slow


def test_check_deploy_is_clean_with_production_settings():
    result = run_manage("check", "--deploy", "--fail-level", "WARNING", **PROD)
    assert result.returncode == 0, result.stderr + result.stdout
    assert "no issues" in result.stdout


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        ("DEBUG", "maybe", "DEBUG='maybe' is not a boolean"),
        ("DATABASE_URL", "mysqlx://nowhere", "DATABASE_URL has an unknown database scheme"),
        ("REDIS_URL", "localhost:6379", "REDIS_URL must start with redis://"),
        ("SECURE_HSTS_SECONDS", "a year", "SECURE_HSTS_SECONDS='a year' is not a whole number"),
        (
            "SECRET_KEY",
            "dev-only-insecure-key-do-not-use-in-production-bastau-portal-0123456789",
            "SECRET_KEY is the development key",
        ),
    ],
)
def test_a_malformed_variable_stops_start_up_naming_it(name, value, message):
    result = run_manage("check", **{**PROD, name: value})
    assert result.returncode != 0
    assert message in result.stderr


def test_production_without_allowed_hosts_stops_start_up():
    env = {**PROD, "ALLOWED_HOSTS": ""}
    result = run_manage("check", **env)
    assert result.returncode != 0
    assert "ALLOWED_HOSTS" in result.stderr


def test_check_deploy_refuses_a_portal_url_on_this_machine_in_production():
    result = run_manage("check", "--deploy", **{**PROD, "PORTAL_URL": "http://127.0.0.1:8000"})
    assert result.returncode != 0
    assert "bastau.E001" in result.stderr and "bastau.E002" in result.stderr
    assert "PORTAL_URL='http://127.0.0.1:8000' points at this machine" in result.stderr


@pytest.mark.parametrize("port", [{}, {"PORT": "8001"}])
def test_check_deploy_without_portal_url_in_production_refuses_the_default(port):
    result = run_manage("check", "--deploy", **{k: v for k, v in PROD.items() if k != "PORTAL_URL"}, **port)
    assert result.returncode != 0
    assert "bastau.E002" in result.stderr


# What an applicant receives: the status SMS (with its link) and the certificate's QR address.
LINKS = """
from applications.models import Application, StatusChange
from applications.notifications import _render
from certificates.models import Certificate
from certificates.rendering import verification_url
change = StatusChange(application=Application(number="2026-0001", language="en"), to_status="eligible")
print("SMS", _render(change)["sms"])
print("QR", verification_url(Certificate()))
"""


def _links(**env) -> dict[str, str]:
    result = run_manage("shell", "-c", LINKS, DEBUG="1", **env)
    assert result.returncode == 0, result.stderr
    return dict(line.split(" ", 1) for line in result.stdout.splitlines() if line[:3] in ("SMS", "QR "))


def test_in_development_sms_links_and_the_qr_code_lead_to_the_port_the_demo_serves_on():
    links = _links(PORT="8001")
    assert "Eligible. http://127.0.0.1:8001/" in links["SMS"]
    assert links["QR"].startswith("http://127.0.0.1:8001/")
    assert _links()["QR"].startswith("http://127.0.0.1:8000/")  # no PORT: runserver's default port
    # an explicit PORTAL_URL wins over the port
    links = _links(PORT="8001", PORTAL_URL="https://bastau.example.kz")
    assert "https://bastau.example.kz/" in links["SMS"] and links["QR"].startswith("https://bastau.example.kz/")


def test_a_port_that_is_not_one_stops_start_up():
    result = run_manage("check", DEBUG="1", PORT="80010")
    assert result.returncode != 0 and "PORT=80010 is not a port number" in result.stderr


def test_make_run_serves_and_seeds_with_the_port_it_is_given():
    make = shutil.which("make")
    if make is None:
        pytest.skip("no make on this machine")
    result = subprocess.run(
        [make, "-n", "run", "PORT=8001"], cwd=ROOT, capture_output=True, text=True, timeout=30, check=True
    )
    assert "PORT=8001 .venv/bin/python manage.py runserver 127.0.0.1:8001" in result.stdout
    assert "PORT=8001 .venv/bin/python manage.py seed_demo" in result.stdout


@pytest.mark.parametrize(
    ("url", "ids"),
    [
        ("https://bastau.example.kz", []),
        ("https://bastau.example.kz/portal/", []),
        ("http://bastau.example.kz", ["bastau.E001"]),
        ("bastau.example.kz", ["bastau.E001"]),
        ("", ["bastau.E001"]),
        ("https://localhost", ["bastau.E002"]),
        ("https://LOCALHOST:8443", ["bastau.E002"]),
        ("https://portal.localhost", ["bastau.E002"]),
        ("https://127.0.0.1", ["bastau.E002"]),
        ("https://127.0.1.1:8000", ["bastau.E002"]),
        ("https://[::1]:8000", ["bastau.E002"]),
        ("https://0.0.0.0", ["bastau.E002"]),
        ("http://localhost:8000", ["bastau.E001", "bastau.E002"]),
        ("https://[::1", ["bastau.E001"]),  # not a URL at all
    ],
)
def test_the_portal_url_check_in_production(settings, url, ids):
    from core.checks import check_portal_url

    settings.DEBUG = False
    settings.PORTAL_URL = url
    assert [e.id for e in check_portal_url(None)] == ids


def test_the_portal_url_check_leaves_development_alone(settings):
    from core.checks import check_portal_url

    settings.DEBUG = True
    settings.PORTAL_URL = "http://127.0.0.1:8000"
    assert check_portal_url(None) == []
