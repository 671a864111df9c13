"""The programme's rules for applications, in one place (DOMAIN.md steps 1–2)."""

import datetime
import re

from django.core.exceptions import ValidationError
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from accounts.models import OrganisationKind
from applications.models import DOCUMENT_EXTENSIONS, Channel

MINIMUM_AGE = 18
CONSENT_VERSION = "2026-11"

# The channel of an application registered by staff follows their organisation.
CHANNEL_OF_ORGANISATION = {
    OrganisationKind.EMPLOYMENT_CENTRE: Channel.EMPLOYMENT_CENTRE,
    OrganisationKind.CHAMBER_BRANCH: Channel.CHAMBER,
    OrganisationKind.AKIMAT: Channel.AKIMAT,
}

DOCUMENT_TYPES = DOCUMENT_EXTENSIONS  # type recognised from the content -> stored extension
DOCUMENT_MAX_BYTES = 10 * 1024 * 1024


# A date of birth is a real one: from 1900 to today. Anything else (9999-12-31 typed on the form or
# found in a register) is refused on the field or the row, before any arithmetic on it.
EARLIEST_BIRTH_DATE = datetime.date(1900, 1, 1)


def birth_date_error(birth_date: datetime.date, today: datetime.date) -> str | None:
    """Why the date of birth cannot be real, or None."""
    if birth_date < EARLIEST_BIRTH_DATE or birth_date > today:
        return str(
            _("Enter a date of birth between %(first)s and today.") % {"first": date_format(EARLIEST_BIRTH_DATE)}
        )
    return None


def eighteenth_birthday(birth_date: datetime.date) -> datetime.date:
    """The day a person turns 18; someone born on 29 February turns 18 on 1 March."""
    try:
        return birth_date.replace(year=birth_date.year + MINIMUM_AGE)
    except ValueError:
        return datetime.date(birth_date.year + MINIMUM_AGE, 3, 1)


def is_adult_on(birth_date: datetime.date, day: datetime.date) -> bool:
    return day >= eighteenth_birthday(birth_date)


UNDER_AGE_MESSAGE = _("You can take part from %(date)s, when you turn 18.")


# Names are written in Cyrillic, Kazakh letters included, as in the identity card (DOMAIN.md).
NAME_RE = re.compile(r"^[А-Яа-яЁёӘәҒғҚқҢңӨөҰұҮүҺһІі]+(?:[ '\-][А-Яа-яЁёӘәҒғҚқҢңӨөҰұҮүҺһІі]+)*$")


def validate_cyrillic_name(value: str) -> None:
    if not NAME_RE.match(value.strip()):
        raise ValidationError(_("Write the name in Cyrillic letters, as in the identity card."), code="name")
