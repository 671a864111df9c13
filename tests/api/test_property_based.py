"""A property-based run over the whole schema (schemathesis): every operation, fed data generated from
the schema, answers without a server error and with a response the schema describes (status, content
type, body). It runs in-process against the WSGI app with a Chamber branch's token (a lender's officer's
for the referrals) over a small world (applications, a list, a group mid-course with participants, two
graduates of an earlier group with their defences and certificates, their loan referrals forwarded to
the lender), so reads find rows and marks and decisions reach the service. Bounded: 20 examples per
operation, no deadline."""

import datetime

import pytest
import schemathesis
import time_machine
from django.core import signals
from django.db import close_old_connections, transaction
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from accounts.models import Role
from bastau.wsgi import application as wsgi_app
from certificates.models import Certificate
from programme.loader import load_mci
from tests.factories import (
    DistrictFactory,
    StreamFactory,
    make_api_token,
    make_application,
    make_certified,
    make_loan_programme,
    make_modules,
    make_officer,
    make_participants,
    make_staff,
)
from tests.financing.helpers import forwarded
from tests.training.helpers import make_group, put

MID_COURSE = datetime.datetime(2026, 12, 21, 4, 0, tzinfo=datetime.UTC)
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]


@pytest.fixture(autouse=True)
def _clock():  # replaces tests/api/conftest.py's: mid-course, so some teaching days can be marked
    with time_machine.travel(MID_COURSE, tick=False):
        yield


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """Built once for the module inside a transaction that is rolled back at its end (each test's own
    transaction nests in it as a savepoint). The app is called as a WSGI app, not through Django's test
    client, so Django's request signals would close the connection after each call: as the test client
    does, they are off meanwhile."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    with django_db_blocker.unblock(), time_machine.travel(MID_COURSE, tick=False):
        outer = transaction.atomic()
        outer.__enter__()
        try:
            yield _build_world()
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)
            signals.request_started.connect(close_old_connections)
            signals.request_finished.connect(close_old_connections)


def _build_world() -> dict:
    district = DistrictFactory()
    chamber_user = make_staff(Role.CHAMBER, district=district)
    stream = StreamFactory()
    make_modules()
    make_application(district=district)
    group = make_group(chamber_user, stream, "Group A")
    participants = make_participants(district, stream, 2)
    put(chamber_user, group, participants)
    Certificate.objects.create(
        number="BST-1", iin="900517300019", holder_name="Серікбаев Нұрлан", kind="completion", issued_on=MID_COURSE
    )
    # Graduates of an earlier group: defended, certified, their referrals forwarded to the lender.
    load_mci()
    graduates, _done = make_certified(district, stream, 2, group_name="Group G")
    programme = make_loan_programme()
    referrals = [forwarded(graduate, programme, chamber_user) for graduate in graduates]
    return {
        "key": make_api_token(chamber_user),
        "keys": {"/api/referrals/": make_api_token(make_officer(programme.lender), name="Bank")},
        # Half the generated codes are swapped for real ones, so reads and writes reach real rows.
        "codes": {
            "/api/applications/": str(participants[0].code),
            "/api/applicant-lists/": str(participants[0].applicant_list.code),
            "/api/groups/": str(group.code),
            "/api/participants/": str(participants[1].code),
            "/api/defences/": str(graduates[0].code),
            "/api/referrals/": str(referrals[0].code),
        },
        "number": Certificate.objects.get(application=graduates[0]).number,
    }


# Loaded when the module is collected (the schema needs no database); schemathesis.pytest.from_fixture
# would load it per test but reads a pytest internal that pytest 9.2 renamed.
schema = schemathesis.openapi.from_wsgi("/api/schema/?format=json", wsgi_app)


@schema.parametrize()
@settings(
    max_examples=20,
    database=None,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.filter_too_much],
)
@pytest.mark.slow  # a minute or more: outside `make test-quick`
@pytest.mark.django_db
def test_the_whole_schema(case, world):
    path = case.operation.path
    params = case.path_parameters or {}
    if "code" in params and str(params["code"])[-1:] in "02468ace":
        params["code"] = next(code for prefix, code in world["codes"].items() if path.startswith(prefix))
    if "number" in params and str(params["number"])[-1:] in "02468ace":
        params["number"] = world["number"]
    key = next((key for prefix, key in world["keys"].items() if path.startswith(prefix)), world["key"])
    case.call_and_validate(headers={"Authorization": f"Bearer {key}"}, checks=CHECKS)
