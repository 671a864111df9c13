import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError

from programme.loader import load_holidays, load_mci
from programme.models import Holiday, MciRate, Stream
from programme.selectors import mci_on, next_stream_for, stream_open_for
from tests.factories import DistrictFactory, ProgrammeYearFactory, StreamFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("day", "tenge"),
    [
        (datetime.date(2018, 6, 1), 2405),  # the article's year: 8,000 MCI ≈ 19 million tenge
        (datetime.date(2020, 3, 31), 2651),  # the day before the mid-year change
        (datetime.date(2020, 4, 1), 2778),  # the change takes effect
        (datetime.date(2026, 11, 26), 4325),
    ],
)
def test_the_mci_in_force_is_the_latest_value_on_or_before_the_day(day, tenge):
    load_mci()
    assert mci_on(day) == tenge


def test_there_is_no_mci_before_the_table_starts():
    load_mci()
    with pytest.raises(LookupError):
        mci_on(datetime.date(2016, 12, 31))


def test_loading_mci_and_holidays_twice_adds_nothing():
    load_mci(), load_holidays()
    counts = MciRate.objects.count(), Holiday.objects.count()
    assert load_mci() == 0 and load_holidays() == 0
    assert (MciRate.objects.count(), Holiday.objects.count()) == counts == (12, 14)


def test_an_admin_edit_of_a_holiday_name_survives_reloading():
    load_holidays()
    Holiday.objects.filter(month=12, day=16).update(name_en="Independence Day (edited)")
    load_holidays()
    assert Holiday.objects.get(month=12, day=16, year=None).name_en == "Independence Day (edited)"


def test_a_stream_number_must_be_between_one_and_six():
    with pytest.raises(IntegrityError):
        StreamFactory(number=7)


def test_a_stream_cannot_close_before_it_opens():
    stream = StreamFactory.build(
        year=ProgrammeYearFactory(),
        application_opens=datetime.date(2026, 5, 1),
        application_closes=datetime.date(2026, 4, 1),
    )
    with pytest.raises(ValidationError) as info:
        stream.full_clean()
    assert "application_closes" in info.value.message_dict


def test_two_streams_of_a_year_cannot_share_a_number():
    StreamFactory(number=2)
    with pytest.raises(IntegrityError):
        StreamFactory(number=2)


def test_a_stream_takes_its_course_defaults_of_25_teaching_days_in_30_and_12_modules():
    stream = StreamFactory()
    assert (stream.teaching_days, stream.calendar_days, stream.modules_count, stream.absence_limit) == (25, 30, 12, 3)
    assert stream.course_end == stream.course_start + datetime.timedelta(days=29)


def test_the_open_stream_is_found_for_a_district_and_a_restricted_stream_only_for_its_districts():
    district, elsewhere = DistrictFactory(), DistrictFactory()
    national = StreamFactory(number=1)
    restricted = StreamFactory(
        number=2,
        application_opens=datetime.date(2026, 12, 1),
        application_closes=datetime.date(2026, 12, 20),
        course_start=datetime.date(2027, 1, 11),
    )
    restricted.districts.add(district)
    assert stream_open_for(district, datetime.date(2026, 11, 15)) == national
    assert stream_open_for(district, datetime.date(2026, 12, 5)) == restricted
    assert stream_open_for(elsewhere, datetime.date(2026, 12, 5)) is None
    assert next_stream_for(district, datetime.date(2026, 11, 15)) == restricted
    assert next_stream_for(elsewhere, datetime.date(2026, 11, 15)) is None
    assert Stream.objects.for_district(district).count() == 2
