from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _

from accounts import passwords, throttle
from accounts.access import action_required
from accounts.forms import LoginForm, PasswordResetCodeForm, PasswordResetRequestForm
from accounts.models import User
from core.pagination import Paginator


class LoginView(auth_views.LoginView):
    """Django's login, throttled per client IP (accounts/throttle.py) before the password is checked."""

    authentication_form = LoginForm
    redirect_authenticated_user = True

    def post(self, request, *args, **kwargs):
        if throttle.blocked(request, "login") or throttle.failures_blocked(request):
            return throttle.too_many(request)
        return super().post(request, *args, **kwargs)


@action_required("accounts.view_colleagues")
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


# --- Password reset and change ------------------------------------------------------------------

RESET_SENT = _(
    "If an account matches, we have sent a link to its e-mail or a code to its phone. "
    "A code by SMS is entered below; a link by e-mail opens the page to set the new password."
)


@login_not_required
def password_reset(request):
    """Ask for a reset by phone, e-mail or username. The answer is the same whether or not an
    account matches; the request is throttled per IP and per account."""
    form = PasswordResetRequestForm(request.POST or None)
    if request.method == "POST":
        if throttle.blocked(request, "password-reset"):
            return throttle.too_many(request)
        if form.is_valid():
            identifier = form.cleaned_data["identifier"]
            account = passwords.account_for(identifier)
            if account is not None and not throttle.limited_for(request, "password-reset-account", f"{account.pk}"):
                passwords.request_reset(identifier)
            messages.info(request, RESET_SENT)
            return redirect("accounts:password_reset_code")
    return _form_page(request, form, _("Forgotten password"), _("Enter the phone, e-mail or username of your account."))


@login_not_required
def password_reset_code(request):
    """Set a new password with the code sent by SMS."""
    form = PasswordResetCodeForm(request.POST or None)
    if request.method == "POST":
        if throttle.blocked(request, "password-reset"):
            return throttle.too_many(request)
        if form.is_valid():
            form.user.set_password(form.cleaned_data["new_password1"])
            form.user.save(update_fields=["password"])
            messages.success(request, _("Your new password is set: log in with it."))
            return redirect("accounts:login")
    return _form_page(
        request, form, _("Set a new password"), _("Enter your phone, the code from the SMS and a new password.")
    )


def _form_page(request, form, title, intro):
    return render(request, "accounts/form_page.html", {"form": form, "title": title, "intro": intro})


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "accounts/form_page.html"
    success_url = reverse_lazy("accounts:login")
    extra_context = {"title": _("Set a new password")}

    def form_valid(self, form):
        messages.success(self.request, _("Your new password is set: log in with it."))
        return super().form_valid(form)


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "accounts/form_page.html"
    success_url = reverse_lazy("portal:home")
    extra_context = {"title": _("Change the password")}

    def form_valid(self, form):
        messages.success(self.request, _("Your password has been changed."))
        return super().form_valid(form)
