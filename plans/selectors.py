"""Reading business plans: what later stages (the commission's defence, loan referrals) ask."""

from applications.models import Application
from plans.models import BusinessPlan, PlanVersion


def version_for_commission(application: Application | int) -> PlanVersion | None:
    """The version of the participant's plan the commission reads (PlanVersion.objects.for_commission:
    the one marked ready for defence), or None (one query)."""
    application_id = application if isinstance(application, int) else application.pk
    return (
        PlanVersion.objects.for_commission().select_related("plan").filter(plan__application_id=application_id).first()
    )


def versions_for_commission(application_ids) -> dict[int, PlanVersion]:
    """{application id: the version the commission reads} for the applications that have one (one query)."""
    return {
        version.plan.application_id: version
        for version in PlanVersion.objects.for_commission()
        .select_related("plan")
        .filter(plan__application_id__in=list(application_ids))
    }


# The names later stages have called them by (the loan referral carries the same version).
frozen_version_of = version_for_commission
frozen_versions_for = versions_for_commission


def plan_of(application: Application) -> BusinessPlan | None:
    return BusinessPlan.objects.filter(application=application).first()


def versions_of(plan: BusinessPlan) -> list[PlanVersion]:
    return list(plan.versions.order_by("-number"))
