"""Certificates issued at the same moment on PostgreSQL: one per person, numbers without gaps."""

import pytest
from django.db import connection, transaction

from certificates import services
from certificates.models import Certificate, CertificateCounter
from core.errors import Conflict
from tests.concurrency import race
from tests.factories import make_defended

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _postgresql():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL's row locks")


def test_two_requests_for_one_person_make_one_certificate_and_one_number(district, stream, chamber_user):
    (application,), _group = make_defended(district, stream, 1)
    colleague = type(chamber_user).objects.create(
        username="chamber-2", role=chamber_user.role, organisation=chamber_user.organisation
    )
    outcomes = race(
        [
            lambda actor=actor: services.certificate_issue(actor=actor, application_id=application.pk)
            for actor in (chamber_user, colleague, chamber_user)
        ]
    )
    certificate = Certificate.objects.get()
    assert sorted(created for _c, created in outcomes) == [False, False, True]
    assert {c.pk for c, _created in outcomes} == {certificate.pk}
    assert CertificateCounter.objects.get().last == 1 and certificate.sequence == 1


def test_a_double_click_on_the_group_issues_each_once(district, stream, chamber_user):
    apps, group = make_defended(district, stream, 4)
    outcomes = race([lambda: services.certificates_issue_for_group(actor=chamber_user, group_id=group.pk)] * 2)
    assert sorted((job.issued, job.already) for job in outcomes) == [(0, 4), (4, 0)]
    assert sorted(Certificate.objects.values_list("application_id", flat=True)) == sorted(a.pk for a in apps)


def test_numbers_given_at_the_same_moment_have_no_gaps_even_when_some_roll_back(district, stream, chamber_user):
    defended, _group = make_defended(district, stream, 8)
    kept, rolled_back = defended[:6], defended[6:]

    def issue_then_fail(application):
        with transaction.atomic():
            services.certificate_issue(actor=chamber_user, application_id=application.pk)
            raise Conflict("the request failed after issuing")  # its number must be given back

    calls = [lambda a=a: services.certificate_issue(actor=chamber_user, application_id=a.pk) for a in kept]
    calls += [lambda a=a: issue_then_fail(a) for a in rolled_back]
    calls += [lambda a=a: services.certificate_issue(actor=chamber_user, application_id=a.pk) for a in kept[:2]]
    outcomes = race(calls)
    assert sum(isinstance(o, Conflict) for o in outcomes) == 2
    assert sorted(Certificate.objects.values_list("application_id", flat=True)) == sorted(a.pk for a in kept)
    assert sorted(Certificate.objects.values_list("sequence", flat=True)) == [1, 2, 3, 4, 5, 6]
    assert CertificateCounter.objects.get().last == 6
    year = Certificate.objects.first().year
    assert sorted(Certificate.objects.values_list("number", flat=True)) == [
        services.format_number(year, n) for n in range(1, 7)
    ]
