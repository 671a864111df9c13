"""The Kazakh individual identification number (IIN, ЖСН/ИИН).

12 digits: YYMMDD of birth, a century-and-sex digit (1/2: 1800s, 3/4: 1900s, 5/6: 2000s; odd
male, even female), a 4-digit serial and a check digit. Since 2013 the digits need not match the
person's data, so the date and sex only pre-fill the form; a mismatch is flagged, not refused.
"""

import datetime
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

WEIGHTS_FIRST = tuple(range(1, 12))
WEIGHTS_SECOND = (3, 4, 5, 6, 7, 8, 9, 10, 11, 1, 2)
CENTURY = {"1": 1800, "2": 1800, "3": 1900, "4": 1900, "5": 2000, "6": 2000}


@dataclass(frozen=True)
class IinData:
    birth_date: datetime.date
    sex: str  # "M" or "F"


def check_digit(first_eleven: str) -> int | None:
    """The check digit for 11 digits, or None when both weight sequences give 10 (never issued)."""
    digits = [int(c) for c in first_eleven]
    for weights in (WEIGHTS_FIRST, WEIGHTS_SECOND):
        remainder = sum(d * w for d, w in zip(digits, weights, strict=True)) % 11
        if remainder != 10:
            return remainder
    return None


def parse_iin(value: str) -> IinData:
    """Validate an IIN and return the date of birth and sex it encodes.

    Raises ValidationError with a message saying what is wrong.
    """
    iin = (value or "").strip()
    if len(iin) != 12 or not (iin.isascii() and iin.isdigit()):
        raise ValidationError(_("An IIN has exactly 12 digits."), code="iin_format")
    expected = check_digit(iin[:11])
    if expected is None:
        raise ValidationError(_("This IIN cannot exist: its check digit cannot be computed."), code="iin_never_issued")
    if int(iin[11]) != expected:
        raise ValidationError(_("This IIN is mistyped: its check digit does not match."), code="iin_check_digit")
    if iin[6] not in CENTURY:
        raise ValidationError(_("The 7th digit of an IIN must be from 1 to 6."), code="iin_century")
    try:
        birth_date = datetime.date(CENTURY[iin[6]] + int(iin[0:2]), int(iin[2:4]), int(iin[4:6]))
    except ValueError:
        raise ValidationError(_("The first six digits of this IIN are not a date of birth."), code="iin_date") from None
    return IinData(birth_date=birth_date, sex="M" if int(iin[6]) % 2 else "F")


def make_iin(birth_date: datetime.date, sex: str, serial: int = 1) -> str:
    """A valid IIN for the date, sex and serial (the next serial when the check digit is 10 twice)."""
    century_digit = {1800: 1, 1900: 3, 2000: 5}[birth_date.year // 100 * 100] + (sex == "F")
    while True:
        body = f"{birth_date:%y%m%d}{century_digit}{serial:04d}"
        digit = check_digit(body)
        if digit is not None:
            return body + str(digit)
        serial += 1
