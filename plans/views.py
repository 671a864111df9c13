from django.http import Http404
from django.shortcuts import render

from accounts import policy
from plans.models import PlanVersion


def _version(request, code) -> PlanVersion:
    """A version the user may read: outside what they see it is a 404, seen but not theirs to read a 403."""
    version = (
        PlanVersion.objects.visible_to(request.user)
        .select_related("plan__application__district")
        .filter(code=code)
        .first()
    )
    if version is None:
        raise Http404
    policy.require(request.user, "plans.view", version)
    return version


def version_detail(request, code):
    version = _version(request, code)
    return render(request, "plans/version.html", {"version": version, "application": version.plan.application})


def plan_edit(request, code):
    """The participant's plan (the application's code): the editor while it is open (built on below)."""
    from applications.models import Application
    from plans.models import BusinessPlan

    application = Application.objects.visible_to(request.user).filter(code=code).first()
    if application is None:
        raise Http404
    policy.require(request.user, "plans.read", application)
    plan = BusinessPlan.objects.filter(application=application).first()
    version = plan.versions.order_by("-number").first() if plan else None
    if version is None:
        raise Http404
    return render(request, "plans/version.html", {"version": version, "application": application})
