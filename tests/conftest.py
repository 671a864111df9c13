import os

import pytest
from django.core.cache import cache
from django.utils import translation

from accounts.models import Role
from bastau.celery import app as celery_app
from tests.factories import PASSWORD, DistrictFactory, UserFactory, make_staff


def pytest_configure(config):
    """Under pytest-xdist (scripts/test.sh runs one test process per core) each process takes a Redis
    database of its own, below the one given, for the broker, the results and the cache: a worker that
    one process starts never takes the other's tasks, and one's `cache.clear()` never wipes the other's
    counters. Subprocess workers read REDIS_URL from the environment, so it is set there too."""
    from urllib.parse import urlsplit, urlunsplit

    from django.conf import settings

    worker, url = os.environ.get("PYTEST_XDIST_WORKER"), os.environ.get("REDIS_URL")
    if not worker or not url:
        return
    parts = urlsplit(url)
    base = int(parts.path.strip("/") or 0)
    own = urlunsplit(parts._replace(path=f"/{(base - 1 - int(worker.removeprefix('gw'))) % 16}"))
    os.environ["REDIS_URL"] = own
    settings.REDIS_URL = settings.CELERY_BROKER_URL = settings.CELERY_RESULT_BACKEND = own
    settings.CACHES = {**settings.CACHES, "default": {**settings.CACHES["default"], "LOCATION": own}}
    celery_app.conf.broker_url = celery_app.conf.result_backend = own


@pytest.fixture(scope="session")
def signing_pair(tmp_path_factory):
    """A self-signed key and certificate for the certificate PDFs, made once per run (never committed)."""
    from certificates.signing import make_self_signed_pair

    return make_self_signed_pair(tmp_path_factory.mktemp("signing"), passphrase="test-passphrase")


@pytest.fixture(autouse=True)
def _isolate(settings, tmp_path, signing_pair):
    """Each test starts in English, with an empty cache (no lockouts carried over) and tasks run
    in-process (Django's test set-up keeps e-mail in memory). The worker tests start a real worker."""
    settings.LANGUAGE_CODE = "en"
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # fast, tests only
    settings.CERTIFICATE_SIGNING_KEY, settings.CERTIFICATE_SIGNING_CERT = map(str, signing_pair)
    settings.CERTIFICATE_SIGNING_PASSPHRASE = "test-passphrase"
    celery_app.conf.task_always_eager = True
    celery_app.conf.task_eager_propagates = True
    cache.clear()
    with translation.override("en"):
        yield


@pytest.fixture
def district(db):
    return DistrictFactory()


@pytest.fixture
def other_district(db):
    return DistrictFactory()


@pytest.fixture
def centre_user(district):
    return make_staff(Role.EMPLOYMENT_CENTRE, district=district)


@pytest.fixture
def outsider(other_district):
    """Staff with the same role in another district: must never see `district`'s data."""
    return make_staff(Role.EMPLOYMENT_CENTRE, district=other_district)


@pytest.fixture
def citizen(db):
    return UserFactory(role=Role.CITIZEN, phone="+77015550101")


@pytest.fixture
def login(client):
    def _login(user):
        client.force_login(user, backend="accounts.backends.PhoneOrEmailBackend")
        return client

    return _login


@pytest.fixture
def password():
    return PASSWORD
