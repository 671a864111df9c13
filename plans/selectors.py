"""Reading business plans: what later stages (the commission's defence, loan referrals) ask."""

from applications.models import Application
from plans.models import BusinessPlan, PlanVersion


def frozen_version_of(application: Application | int) -> PlanVersion | None:
    """The version the participant marked ready for defence, or None (one query)."""
    application_id = application if isinstance(application, int) else application.pk
    return PlanVersion.objects.frozen().select_related("plan").filter(plan__application_id=application_id).first()


def frozen_versions_for(application_ids) -> dict[int, PlanVersion]:
    """{application id: frozen version} for the applications that have one (one query)."""
    return {
        version.plan.application_id: version
        for version in PlanVersion.objects.frozen()
        .select_related("plan")
        .filter(plan__application_id__in=list(application_ids))
    }


def plan_of(application: Application) -> BusinessPlan | None:
    return BusinessPlan.objects.filter(application=application).first()


def versions_of(plan: BusinessPlan) -> list[PlanVersion]:
    return list(plan.versions.order_by("-number"))
