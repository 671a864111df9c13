from django.contrib.auth import views as auth_views
from django.core.paginator import Paginator
from django.shortcuts import render

from accounts import throttle
from accounts.access import role_required
from accounts.forms import LoginForm
from accounts.models import STAFF_ROLES, User


class LoginView(auth_views.LoginView):
    """Django's login, throttled per client IP (accounts/throttle.py) before the password is checked."""

    authentication_form = LoginForm
    redirect_authenticated_user = True

    def post(self, request, *args, **kwargs):
        if throttle.blocked(request, "login") or throttle.failures_blocked(request):
            return throttle.too_many(request)
        return super().post(request, *args, **kwargs)


@role_required(*STAFF_ROLES)
def colleagues(request):
    """Staff of the organisations in the user's area, with their role and office."""
    users = (
        User.objects.visible_to(request.user)
        .filter(is_active=True)
        .select_related("organisation__district", "organisation__region")
        .order_by("organisation__name_ru", "last_name", "first_name")
    )
    page = Paginator(users, 50).get_page(request.GET.get("page"))
    return render(request, "accounts/colleagues.html", {"page": page})
