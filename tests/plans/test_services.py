"""The draft, its revisions, versions and freezing, through the services as the pages call them."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from core.errors import Conflict, Refused
from plans import services
from plans.models import SECTION_MAX_LENGTH, BusinessPlan, PlanVersion
from tests.factories import (
    PLAN_FINANCE,
    DistrictFactory,
    StreamFactory,
    make_draft_plan,
    make_finished,
    make_frozen_plan,
    make_participants,
)


def save(application, **kwargs):
    return services.plan_save_draft(actor=application.applicant, application=application, **kwargs)


def test_the_first_save_makes_the_plan_in_the_applications_language(participant):
    plan = save(participant, sections={"summary": "Қой шаруашылығы"})
    assert plan.language == "kk"  # the application is in English: the plan is in Kazakh or Russian
    assert plan.draft_revision == 1
    assert plan.draft_sections["summary"] == "Қой шаруашылығы"
    assert plan.draft_sections["risks"] == ""


def test_each_save_moves_the_revision_on_and_keeps_the_other_part(participant):
    save(participant, sections={"summary": "Бір"})
    plan = save(participant, finance=PLAN_FINANCE, base_revision=1)
    assert plan.draft_revision == 2
    assert plan.draft_sections["summary"] == "Бір"  # a finance-only save leaves the text
    plan = save(participant, sections={"summary": "Екі"}, base_revision=2)
    assert plan.draft_finance["own_funds"] == 300_000 and plan.draft_revision == 3


def test_a_stale_save_never_overwrites_a_newer_one(participant):
    save(participant, sections={"summary": "Бір"})  # revision 1
    save(participant, sections={"summary": "Екі, жаңасы"}, base_revision=1, client="tab-a")  # revision 2
    with pytest.raises(Conflict) as exc:
        save(participant, sections={"summary": "Бір, ескісі"}, base_revision=1, client="tab-b")
    assert exc.value.code == "plans.stale"
    plan = BusinessPlan.objects.get()
    assert (plan.draft_revision, plan.draft_sections["summary"]) == (2, "Екі, жаңасы")


def test_a_retried_save_is_done_once(participant):
    save(participant, sections={"summary": "Бір"})
    save(participant, sections={"summary": "Екі"}, base_revision=1, client="tab-a")
    # The answer was lost; the same text comes again based on revision 1: nothing changes, no conflict.
    plan = save(participant, sections={"summary": "Екі"}, base_revision=1, client="tab-b")
    assert plan.draft_revision == 2


def test_the_tab_that_made_the_revision_goes_on_from_it(participant):
    save(participant, sections={"summary": "Бір"})
    save(participant, sections={"summary": "Екі"}, base_revision=1, client="tab-a")  # answer lost: tab-a still at 1
    plan = save(participant, sections={"summary": "Екі, үш"}, base_revision=1, client="tab-a")
    assert (plan.draft_revision, plan.draft_sections["summary"]) == (3, "Екі, үш")


def test_text_lengths_are_bounded_with_a_message_on_the_section(participant):
    with pytest.raises(ValidationError) as exc:
        save(participant, sections={"market": "ә" * (SECTION_MAX_LENGTH + 1)})
    assert list(exc.value.message_dict) == ["market"]
    assert "At most 10000 characters" in exc.value.message_dict["market"][0]
    assert save(participant, sections={"market": "ә" * SECTION_MAX_LENGTH}).draft_revision == 1


def test_a_bad_amount_is_refused_on_its_field_and_nothing_is_saved(participant):
    with pytest.raises(ValidationError) as exc:
        save(participant, finance={**PLAN_FINANCE, "own_funds": 1.5})
    assert list(exc.value.message_dict) == ["own_funds"]
    assert not BusinessPlan.objects.exists()


def test_submitting_makes_numbered_versions_from_the_draft(participant):
    make_draft_plan(participant)
    first = services.plan_submit(actor=participant.applicant, application=participant)
    save(participant, sections={"summary": "Түзетілген"}, base_revision=1)
    second = services.plan_submit(actor=participant.applicant, application=participant)
    assert (first.number, second.number) == (1, 2)
    assert first.sections["summary"].startswith("Қой") and second.sections["summary"] == "Түзетілген"
    assert first.figures.loan_need == 2_200_000
    assert first.frozen_at is None and first.submitted_by == participant.applicant


def test_an_empty_plan_cannot_be_submitted(participant):
    save(participant, sections={"summary": "   "})
    with pytest.raises(ValidationError):
        services.plan_submit(actor=participant.applicant, application=participant)
    assert not PlanVersion.objects.exists()


def test_freezing_a_version_closes_the_plan(participant):
    make_draft_plan(participant)
    v1 = services.plan_submit(actor=participant.applicant, application=participant)
    v2 = services.plan_submit(actor=participant.applicant, application=participant)
    frozen = services.plan_freeze(actor=participant.applicant, version=v1)  # any version may be chosen
    assert frozen.frozen_at is not None and frozen.frozen_by == participant.applicant
    with pytest.raises(Conflict):
        services.plan_freeze(actor=participant.applicant, version=v2)
    with pytest.raises(Conflict) as exc:
        save(participant, sections={"summary": "Кейін"}, base_revision=1)
    assert exc.value.code == "plans.frozen"
    with pytest.raises(Conflict):
        services.plan_submit(actor=participant.applicant, application=participant)
    assert BusinessPlan.objects.get().draft_sections["summary"].startswith("Қой")
    assert PlanVersion.objects.filter(frozen_at__isnull=False).get() == v1


def test_the_database_keeps_one_frozen_version_per_plan(participant):
    version = make_frozen_plan(participant)
    # The service refuses a second freeze (above); the database holds even against a direct update.
    second = PlanVersion.objects.create(plan=version.plan, number=2, language="kk", submitted_by=participant.applicant)
    with pytest.raises(IntegrityError), transaction.atomic():
        PlanVersion.objects.filter(pk=second.pk).update(frozen_at=version.frozen_at)


def test_a_finished_course_may_still_write_and_freeze(db):
    apps, _group = make_finished(DistrictFactory(), StreamFactory(), 1)
    version = make_frozen_plan(apps[0])
    assert version.frozen_at is not None


def test_before_the_course_the_plan_is_not_open(db):
    application = make_participants(DistrictFactory(), StreamFactory(), 1)[0]  # passed the test, no group yet
    with pytest.raises(Refused):
        save(application, sections={"summary": "Ерте"})


def test_comments_per_section(participant, trainer):
    make_draft_plan(participant)
    version = services.plan_submit(actor=participant.applicant, application=participant)
    comment = services.plan_comment(actor=trainer, version=version, section="market", text="Бәсекелестерді атаңыз.")
    assert (comment.section, comment.author) == ("market", trainer)
    with pytest.raises(ValidationError) as exc:
        services.plan_comment(actor=trainer, version=version, section="nowhere", text="")
    assert set(exc.value.message_dict) == {"section", "text"}
    with pytest.raises(Refused):
        services.plan_comment(actor=participant.applicant, version=version, section="market", text="Өзім")
