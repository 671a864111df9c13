"""Form controls whose words follow the page's language, not the browser's.

A browser's own date picker and file button speak the browser's language ("mm/dd/yyyy",
"Choose File"), whatever language the page is in. These replace them: dates are text typed in
the page's format (parsed with the format files' DATE_INPUT_FORMATS), file inputs get a button
and a "no file chosen" text of ours (templates/bootstrap5/layout/field_file.html).
"""

from django import forms
from django.utils.translation import gettext_lazy as _


class DateTextInput(forms.DateInput):
    """A date typed as DD.MM.YYYY (the first of the language's DATE_INPUT_FORMATS)."""

    input_type = "text"

    def __init__(self, attrs=None):
        base = {"inputmode": "numeric", "autocomplete": "off", "class": "input-date", "placeholder": _("DD.MM.YYYY")}
        super().__init__({**base, **(attrs or {})})


class DateTimeTextInput(forms.DateTimeInput):
    """A date and time typed as DD.MM.YYYY HH:MM."""

    input_type = "text"

    def __init__(self, attrs=None):
        base = {"autocomplete": "off", "class": "input-datetime", "placeholder": _("DD.MM.YYYY HH:MM")}
        super().__init__({**base, **(attrs or {})})
