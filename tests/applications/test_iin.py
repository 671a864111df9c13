import datetime

import pytest
from django.core.exceptions import ValidationError

from applications.iin import check_digit, make_iin, parse_iin
from core.pii import mask_iin


@pytest.mark.parametrize(
    ("iin", "birth_date", "sex"),
    [
        ("061211600012", datetime.date(2006, 12, 11), "F"),  # DOMAIN.md's known-valid examples
        ("791028302728", datetime.date(1979, 10, 28), "M"),
    ],
)
def test_known_valid_iins_give_their_date_of_birth_and_sex(iin, birth_date, sex):
    data = parse_iin(iin)
    assert (data.birth_date, data.sex) == (birth_date, sex)


def test_the_first_weights_give_the_check_digit():
    # 7·1 + 9·2 + 1·3 + 0·4 + 2·5 + 8·6 + 3·7 + 0·8 + 2·9 + 7·10 + 2·11 = 217, and 217 mod 11 = 8
    digits = "79102830272"
    assert check_digit(digits) == sum(int(d) * w for d, w in zip(digits, range(1, 12), strict=True)) % 11 == 8


def test_the_second_weights_are_used_when_the_first_give_ten():
    body = "90010130081"  # first weights: remainder 10; second weights: 1
    assert sum(int(d) * w for d, w in zip(body, range(1, 12), strict=True)) % 11 == 10
    assert check_digit(body) == 1
    assert parse_iin(body + "1").birth_date == datetime.date(1990, 1, 1)
    with pytest.raises(ValidationError, match="check digit does not match"):
        parse_iin(body + "0")


def test_a_number_whose_check_digit_is_ten_twice_was_never_issued():
    body = "90010130080"
    assert check_digit(body) is None
    for last in "0123456789":
        with pytest.raises(ValidationError) as info:
            parse_iin(body + last)
        assert info.value.code == "iin_never_issued"


@pytest.mark.parametrize("bad", ["", "12345", "7910283027281", "79102830272a", "791028 02728"])
def test_anything_but_twelve_digits_is_refused(bad):
    with pytest.raises(ValidationError, match="exactly 12 digits"):
        parse_iin(bad)


def test_a_mistyped_digit_is_caught_by_the_check_digit():
    with pytest.raises(ValidationError) as info:
        parse_iin("791028302729")
    assert info.value.code == "iin_check_digit"


@pytest.mark.parametrize("century_digit", ["0", "7", "8", "9"])
def test_a_century_digit_outside_one_to_six_is_refused(century_digit):
    body = f"900101{century_digit}0001"
    digit = check_digit(body)
    if digit is None:  # never-issued body: move the serial
        body = f"900101{century_digit}0002"
        digit = check_digit(body)
    with pytest.raises(ValidationError) as info:
        parse_iin(body + str(digit))
    assert info.value.code == "iin_century"


@pytest.mark.parametrize("date_part", ["901301", "900230", "900000", "910229"])
def test_an_impossible_date_of_birth_is_refused(date_part):
    for serial in range(1, 20):
        body = f"{date_part}3{serial:04d}"
        if (digit := check_digit(body)) is not None:
            break
    with pytest.raises(ValidationError) as info:
        parse_iin(body + str(digit))
    assert info.value.code == "iin_date"


def test_the_29th_of_february_of_a_leap_year_is_a_date():
    iin = make_iin(datetime.date(2000, 2, 29), "F")
    assert parse_iin(iin).birth_date == datetime.date(2000, 2, 29)
    assert iin[6] == "6"


@pytest.mark.parametrize(
    ("year", "sex", "digit"),
    [(1899, "M", "1"), (1899, "F", "2"), (1950, "M", "3"), (1950, "F", "4"), (2005, "M", "5"), (2005, "F", "6")],
)
def test_the_seventh_digit_encodes_century_and_sex(year, sex, digit):
    iin = make_iin(datetime.date(year, 6, 1), sex)
    assert iin[6] == digit
    data = parse_iin(iin)
    assert data.birth_date.year == year and data.sex == sex


def test_screens_that_do_not_need_it_show_only_the_last_four_digits():
    assert mask_iin("791028302728") == "••••••••2728"
