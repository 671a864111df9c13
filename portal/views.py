from django.contrib.auth.decorators import login_not_required
from django.shortcuts import render
from django.views import i18n
from django.views.decorators.http import require_POST

from accounts.models import Organisation, Role, User
from accounts.scoping import scope_for
from applications.models import Application
from applications.next_step import next_steps_for
from geography.models import District, Region
from portal.worklist import worklist_for
from programme.models import Stream


@login_not_required
def home(request):
    """The public landing page, or the home page made for the user's role."""
    user = request.user
    if not user.is_authenticated:
        return render(request, "core/landing.html")
    role = Role.ADMIN if user.is_superuser else user.role
    context = {"role": role, "role_label": Role(role).label}
    if role == Role.CITIZEN:
        applications = list(
            Application.objects.visible_to(user).select_related("stream__year").order_by("-submitted_at")
        )
        context["applications"] = applications
        context["next_steps"] = next_steps_for(applications[0], user) if applications else []
        return render(request, "core/home/citizen.html", context)
    scope = scope_for(user)  # a staff account without an organisation stops here (403)
    context.update(
        organisation=user.organisation,
        colleagues=User.objects.visible_to(user).filter(is_active=True).count(),
        streams=Stream.objects.select_related("year").order_by("-application_opens")[:6],
        worklist=worklist_for(user, role),
    )
    if scope.national:
        context.update(
            regions=Region.objects.count(),
            districts=District.objects.count(),
            organisations=Organisation.objects.count(),
        )
    return render(request, f"core/home/{role}.html", context)


@login_not_required
@require_POST
def set_language(request):
    """Switch the language, and remember it on the account of a logged-in user."""
    response = i18n.set_language(request)
    lang = request.POST.get("language")
    if request.user.is_authenticated and lang in dict(User.Language.choices):
        request.user.language = lang
        request.user.save(update_fields=["language"])
    return response
