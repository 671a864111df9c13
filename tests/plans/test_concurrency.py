"""Two tabs at once, on PostgreSQL: two freezes of different versions, two saves from one revision."""

import pytest
from django.db import connection

from core.errors import Conflict
from plans import services
from plans.models import BusinessPlan, PlanVersion
from tests.concurrency import race
from tests.factories import DistrictFactory, StreamFactory, make_draft_plan, make_in_training


@pytest.fixture
def participant(transactional_db):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL's row locks")
    apps, _group = make_in_training(DistrictFactory(), StreamFactory(), 1)
    make_draft_plan(apps[0])
    return apps[0]


def test_two_versions_frozen_at_once_one_wins(participant):
    user = participant.applicant
    v1 = services.plan_submit(actor=user, application=participant)
    v2 = services.plan_submit(actor=user, application=participant)
    outcomes = race([lambda v=v: services.plan_freeze(actor=user, version=v) for v in (v1, v2)])
    assert sum(isinstance(o, Conflict) for o in outcomes) == 1
    assert PlanVersion.objects.filter(frozen_at__isnull=False).count() == 1


def test_two_tabs_saving_from_one_revision_one_wins(participant):
    user = participant.applicant

    def save(text, tab):
        return lambda: services.plan_save_draft(
            actor=user, application=participant, sections={"summary": text}, base_revision=1, client=tab
        )

    outcomes = race([save("Бірінші бет", "a"), save("Екінші бет", "b")])
    saved = [o for o in outcomes if isinstance(o, BusinessPlan)]
    assert len(saved) == 1 and sum(isinstance(o, Conflict) for o in outcomes) == 1
    plan = BusinessPlan.objects.get()
    assert plan.draft_revision == 2 and plan.draft_sections["summary"] == saved[0].draft_sections["summary"]
