from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.contrib.auth.forms import AuthenticationForm
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
