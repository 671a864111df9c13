from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.contrib.auth.forms import AuthenticationForm, SetPasswordForm
from django.utils.translation import gettext_lazy as _


class LoginForm(AuthenticationForm):
    username = forms.CharField(
        label=_("Phone, e-mail or username"),
        max_length=254,
        widget=forms.TextInput(attrs={"autofocus": True, "autocomplete": "username"}),
    )

    def get_invalid_login_error(self):
        # Name the field as its label does: Django's kk catalogue called it "Қолданушы атауы" while
        # the label says "пайдаланушы аты" (and our catalogue spells "құпиясөз" the portal's way).
        return forms.ValidationError(
            self.error_messages["invalid_login"],
            code="invalid_login",
            params={"username": _("phone, e-mail or username")},
        )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["password"].label = _("Password")  # our catalogue: "Құпиясөз", as everywhere else
        self.helper = FormHelper()
        self.helper.add_input(Submit("submit", _("Log in"), css_class="w-100"))


class PasswordResetRequestForm(forms.Form):
    identifier = forms.CharField(
        label=_("Phone, e-mail or username"),
        max_length=254,
        widget=forms.TextInput(attrs={"autofocus": True, "autocomplete": "username"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.add_input(Submit("submit", _("Send"), css_class="w-100"))


class PasswordResetCodeForm(SetPasswordForm):
    """The phone, the code from the SMS and the new password (validated by Django's validators)."""

    phone = forms.CharField(label=_("Mobile phone"), max_length=32, widget=forms.TextInput(attrs={"inputmode": "tel"}))
    code = forms.CharField(
        label=_("Code from the SMS"), max_length=6, widget=forms.TextInput(attrs={"inputmode": "numeric"})
    )
    field_order = ["phone", "code", "new_password1", "new_password2"]

    def __init__(self, *args, **kwargs):
        super().__init__(None, *args, **kwargs)
        self.helper = FormHelper()
        self.helper.add_input(Submit("submit", _("Set the new password"), css_class="w-100"))

    def clean(self):
        from accounts.passwords import check_code

        cleaned = super().clean()
        if self.errors:
            return cleaned
        self.user = check_code(cleaned.get("phone", ""), cleaned.get("code", ""))
        if self.user is None:
            raise forms.ValidationError(_("The code is wrong or has expired. Ask for a new one."))
        return cleaned
