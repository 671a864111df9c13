"""The registration number of a graduate's business: the BIN of a company or the IIN of a sole
proprietor. Both are 12 digits with the same check digit (applications/iin.py); a BIN's first four
digits are the year and month of registration and its fifth the kind of entity (4 a resident legal
entity, 5 a non-resident, 6 a joint sole proprietorship), where an IIN has the day of birth."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from applications.iin import check_digit, parse_iin

BIN_KINDS = frozenset("456")


def validate_bin(value: str) -> str:
    number = (value or "").strip()
    if len(number) != 12 or not (number.isascii() and number.isdigit()):
        raise ValidationError(_("A BIN or IIN has exactly 12 digits."), code="registration_format")
    expected = check_digit(number[:11])
    if expected is None or int(number[11]) != expected:
        raise ValidationError(_("This number is mistyped: its check digit does not match."), code="registration_check")
    if not 1 <= int(number[2:4]) <= 12 or number[4] not in BIN_KINDS:
        raise ValidationError(_("This is not a BIN: digits 3–4 are the month, digit 5 is 4, 5 or 6."), code="bin_shape")
    return number


def validate_registration_number(value: str) -> str:
    """A valid BIN, or a valid IIN (a sole proprietor's), else a ValidationError saying what is wrong."""
    number = (value or "").strip()
    if len(number) != 12 or not (number.isascii() and number.isdigit()):
        raise ValidationError(_("A BIN or IIN has exactly 12 digits."), code="registration_format")
    if number[4] in BIN_KINDS:  # an IIN's fifth digit is the first of a day of the month: 0–3
        return validate_bin(number)
    parse_iin(number)
    return number
