"""The commission reads only the version of a plan frozen for the defence: with an earlier version
submitted before it, a later one after it and a draft written on, the service, the session page, the
plan's pages and the "plans.view" rule all take the frozen one (plans PlanVersion.objects.for_commission)."""

import datetime

import pytest
import time_machine
from django.urls import reverse

from accounts import policy
from commissions import services
from plans import selectors as plan_selectors
from plans import services as plan_services
from plans.models import BusinessPlan, PlanVersion
from tests.factories import PLAN_SECTIONS_KK, make_commission, make_draft_plan, make_finished

pytestmark = pytest.mark.django_db


def _submit(application, summary: str) -> PlanVersion:
    make_draft_plan(application, sections={**PLAN_SECTIONS_KK, "summary": summary})
    return plan_services.plan_submit(actor=application.applicant, application=application)


@pytest.fixture
def versions(district, stream):
    """v1 submitted, v2 submitted and later frozen, v3 submitted after it, then a draft written on;
    the participant marks v2 (not the latest) ready for defence."""
    apps, group = make_finished(district, stream, 1)
    application = apps[0]
    earlier = _submit(application, "Бірінші нұсқа: бақша.")
    frozen = _submit(application, "Екінші нұсқа: қой шаруашылығы.")
    later = _submit(application, "Үшінші нұсқа: құс фермасы.")
    make_draft_plan(application, sections={**PLAN_SECTIONS_KK, "summary": "Жоба: ара шаруашылығы."})
    frozen = plan_services.plan_freeze(actor=application.applicant, version=frozen)
    day = group.days.order_by("-date").first().date + datetime.timedelta(days=1)
    return application, group, day, earlier, frozen, later


def test_the_service_gives_the_commission_the_frozen_version_not_the_earlier_nor_the_latest(district, versions):
    application, group, day, earlier, frozen, later = versions
    assert later.number > frozen.number > earlier.number  # the frozen one is neither the first nor the last
    assert plan_selectors.version_for_commission(application) == frozen
    assert services.frozen_plans([application.pk]) == {application.pk: frozen}
    commission = make_commission(district)
    with time_machine.travel(datetime.datetime.combine(day, datetime.time(6), tzinfo=datetime.UTC), tick=False):
        session = services.session_schedule(
            actor=commission.secretary,
            group_id=group.pk,
            held_on=day,
            place="Akimat hall",
            present_ids=[s.pk for s in commission.seats],
        )
    assert list(session.defences.values_list("application_id", flat=True)) == [application.pk]
    member = commission.seats[2].user
    assert list(PlanVersion.objects.visible_to(member)) == [frozen]
    assert list(BusinessPlan.objects.visible_to(member)) == [frozen.plan]
    assert policy.can(member, "plans.view", frozen)
    assert not policy.can(member, "plans.view", earlier) and not policy.can(member, "plans.view", later)


def test_the_session_page_links_the_frozen_version_and_the_others_are_not_found(login, district, versions):
    application, group, day, earlier, frozen, later = versions
    commission = make_commission(district)
    with time_machine.travel(datetime.datetime.combine(day, datetime.time(6), tzinfo=datetime.UTC), tick=False):
        session = services.session_schedule(
            actor=commission.secretary,
            group_id=group.pk,
            held_on=day,
            place="Akimat hall",
            present_ids=[s.pk for s in commission.seats],
        )
        client = login(commission.seats[2].user)
        page = client.get(reverse("commissions:session", args=[session.code])).content.decode()
        assert reverse("plans:version", args=[frozen.code]) in page
        for other in (earlier, later):
            assert reverse("plans:version", args=[other.code]) not in page
        opened = client.get(reverse("plans:version", args=[frozen.code]))
        assert opened.status_code == 200 and "Екінші нұсқа" in opened.content.decode()
        for other in (earlier, later):
            assert client.get(reverse("plans:version", args=[other.code])).status_code == 404
            assert client.get(reverse("plans:pdf", args=[other.code])).status_code == 404
