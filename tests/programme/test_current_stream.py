"""A stream select's default is one rule written twice, in SQL (`Stream.objects.current_on`) and over
streams a page has read (`programme.models.current_of`): both give the same stream on every day."""

import datetime

import pytest

from programme.models import Stream, current_of
from tests.factories import StreamFactory

pytestmark = pytest.mark.django_db

DAYS = [datetime.date(2026, 1, 1) + datetime.timedelta(days=n) for n in range(0, 365, 9)]


def _streams():
    opens = [(2, 1), (4, 1), (6, 1), (8, 1), (10, 1)]
    return [
        StreamFactory(
            number=number,
            application_opens=datetime.date(2026, month, day),
            application_closes=datetime.date(2026, month, day) + datetime.timedelta(days=20),
            course_start=datetime.date(2026, month, day) + datetime.timedelta(days=30),
        )
        for number, (month, day) in enumerate(opens, start=1)
    ]


def test_the_query_and_the_rule_over_read_streams_agree_on_every_day():
    streams = _streams()
    for day in DAYS:
        assert current_of(streams, day) == Stream.objects.current_on(day), day


def test_before_any_stream_opens_the_first_to_open_is_the_default_and_later_the_latest_opened():
    first, second, *_ = _streams()
    assert Stream.objects.current_on(datetime.date(2026, 1, 5)) == first
    assert current_of([second, first], datetime.date(2026, 1, 5)) == first
    assert Stream.objects.current_on(datetime.date(2026, 5, 5)) == second
    assert current_of([], datetime.date(2026, 5, 5)) is None
