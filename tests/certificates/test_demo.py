"""seed_demo's certified group: a certificate of completion and one of participation, issued through
the services and rendered after the seed commits; safe to run again."""

import pytest
from django.core.management import call_command

from applications.models import Status
from certificates.models import Certificate

pytestmark = pytest.mark.django_db


def test_the_demo_has_a_finished_group_with_both_kinds_of_certificate(settings, django_capture_on_commit_callbacks):
    settings.DEBUG = True
    with django_capture_on_commit_callbacks(execute=True):
        call_command("seed_demo")
    certificates = list(Certificate.objects.filter(group__name="Бастау-С").select_related("application"))
    assert sorted((c.kind, c.application.status) for c in certificates) == [
        (Certificate.Kind.COMPLETION, Status.CERTIFIED),
        (Certificate.Kind.PARTICIPATION, Status.PARTICIPATION_CERTIFIED),
    ]
    assert {c.render_state for c in certificates} == {Certificate.Render.READY}

    issued = Certificate.objects.count()
    call_command("seed_demo")
    assert Certificate.objects.count() == issued  # seeding again issues nothing twice
