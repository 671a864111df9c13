"""Messages that come from Django and libraries but have no Kazakh translation in their own
catalogues. Listing them here lets `makemessages` put them in ours (locale/kk)."""

from django.utils.translation import gettext_noop, ngettext

EXTRA_MESSAGES = [
    gettext_noop("- Select an option -"),
    gettext_noop("Enter a valid email address."),
    gettext_noop("This field is required."),
    gettext_noop("Enter a valid date."),
    gettext_noop("Enter a whole number."),
    gettext_noop("Enter a number."),
    gettext_noop("Select a valid choice. That choice is not one of the available choices."),
    gettext_noop("This password is too common."),
    gettext_noop("This password is entirely numeric."),
    gettext_noop("The password is too similar to the %(verbose_name)s."),
    gettext_noop("Please enter a correct %(username)s and password. Note that both fields may be case-sensitive."),
    gettext_noop("This account is inactive."),
]


def _plural_markers():  # never called: only here so makemessages extracts the plural forms
    return ngettext(
        "This password is too short. It must contain at least %d character.",
        "This password is too short. It must contain at least %d characters.",
        10,
    )
