"""The business plan's hooks into the citizen's path: its card and next step on the status page."""

from django.dispatch import receiver
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from accounts import policy
from applications import signals
from applications.panels import Panel


@receiver(signals.status_page_panels, dispatch_uid="plans-status-panel")
def plan_panel(sender, application, user, **kwargs):
    """The participant's plan: a link to write it, its versions, and whether it is ready for defence."""
    from plans.models import BusinessPlan
    from plans.policy import PLAN_STATUSES

    if application.status not in PLAN_STATUSES or not policy.can(user, "plans.read", application):
        return None
    plan = BusinessPlan.objects.filter(application=application).prefetch_related("versions").first()
    versions = sorted(plan.versions.all(), key=lambda v: -v.number) if plan else []
    frozen = next((v for v in versions if v.frozen_at), None)
    can_edit = policy.can(user, "plans.edit", application) and frozen is None
    next_step = None
    if can_edit and not versions:
        next_step = {
            "title": _("Write your business plan"),
            "body": _(
                "Write it section by section as the course goes; it is saved as you type. "
                "Submit it to your trainer for comments, then mark it ready for defence."
            ),
            "url": reverse("plans:edit", args=[application.code]),
            "url_label": _("Write your business plan"),
        }
    return Panel(
        "plans/_status_panel.html",
        {"plan": plan, "versions": versions, "frozen": frozen, "can_edit": can_edit, "application": application},
        order=30,
        next_step=next_step,
    )
