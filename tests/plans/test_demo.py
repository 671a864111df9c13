"""seed_demo's business plans: written by two participants of the group mid-course, through the services."""

import pytest
from django.core.management import call_command

from plans.models import BusinessPlan, PlanComment, PlanVersion

pytestmark = pytest.mark.django_db


def test_the_demo_group_mid_course_writes_its_plans(settings):
    settings.DEBUG = True
    call_command("seed_demo")
    submitted = BusinessPlan.objects.get(application__applicant__username="student1")
    draft = BusinessPlan.objects.get(application__applicant__username="student2")
    assert submitted.language == "ru" and draft.language == "kk"
    version = PlanVersion.objects.get(plan=submitted)
    assert version.figures.loan_need == 3_200_000 and version.figures.payback_months == 12
    assert set(PlanComment.objects.filter(version=version).values_list("section", flat=True)) == {"market", "risks"}
    assert not draft.versions.exists() and draft.draft_sections["summary"].startswith("Жүк тасымалы")
    # Nobody in the group mid-course has frozen a plan (the demo graduates of finished groups have).
    mid_course = PlanVersion.objects.filter(plan__application__memberships__group__name="Бастау-0")
    assert not mid_course.filter(frozen_at__isnull=False).exists()
    plans, versions = BusinessPlan.objects.count(), PlanVersion.objects.count()
    call_command("seed_demo")
    assert (BusinessPlan.objects.count(), PlanVersion.objects.count()) == (plans, versions)  # nothing twice
