"""The Chamber forms a group: its schedule of teaching days, its trainers, moving a day."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from accounts.models import Role
from tests.factories import StreamFactory, make_modules, make_staff
from tests.training.helpers import MONDAY, holiday, make_group
from training import services
from training.models import TeachingDay, TrainingGroup

pytestmark = pytest.mark.django_db

date = datetime.date


@pytest.fixture
def holidays(db):
    """Independence Day (16–17 Dec) and New Year every year, and a one-off day off on 31 December 2026."""
    return [
        holiday(12, 16),
        holiday(12, 17),
        holiday(1, 1),
        holiday(1, 2),
        holiday(12, 31, year=2026),
        holiday(12, 8, year=2027),  # one-off in another year: 8 December 2026 is a teaching day
    ]


def days_of(group) -> list[TeachingDay]:
    return list(TeachingDay.objects.filter(group=group).select_related("module").order_by("date"))


def test_a_new_group_gets_its_teaching_days_without_sundays_or_holidays(chamber_user, stream, modules, holidays):
    group = make_group(chamber_user, stream)

    days = days_of(group)
    dates = [d.date for d in days]
    assert len(days) == 25
    assert [d.ordinal for d in days] == list(range(1, 26))
    assert dates[0] == MONDAY
    assert dates[-1] == date(2027, 1, 9)  # 4 January without the five days off
    assert [d for d in dates if d.weekday() == 6] == []
    assert not {date(2026, 12, 16), date(2026, 12, 17), date(2026, 12, 31), date(2027, 1, 1), date(2027, 1, 2)} & {
        *dates
    }
    assert date(2026, 12, 8) in dates
    assert (days[0].module.number, days[-1].module.number) == (1, 12)
    numbers = [d.module.number for d in days]
    assert numbers == sorted(numbers)
    assert (group.district, group.region, group.created_by) == (
        chamber_user.organisation.district,
        chamber_user.organisation.district.region,
        chamber_user,
    )


def test_the_streams_number_of_teaching_days_sets_the_schedule(chamber_user, modules):
    stream = StreamFactory(teaching_days=20)

    days = days_of(make_group(chamber_user, stream))

    assert len(days) == 20
    assert [d.ordinal for d in days] == list(range(1, 21))
    assert days[-1].date == date(2026, 12, 29)  # 20 days and 3 Sundays from Monday 7 December
    assert [d.module.number for d in days][-1] == 12


def test_the_trainers_of_the_district_are_set_on_the_group(chamber_user, stream, modules, trainer, district):
    second = make_staff(Role.TRAINER, district=district)

    group = make_group(chamber_user, stream, trainers=[trainer, second])

    assert set(group.trainers.all()) == {trainer, second}


def test_a_trainer_of_another_district_is_refused(chamber_user, stream, modules, trainer, other_district):
    stranger = make_staff(Role.TRAINER, district=other_district)

    with pytest.raises(ValidationError) as info:
        make_group(chamber_user, stream, trainers=[trainer, stranger])

    assert info.value.message_dict == {"trainers": [f"{stranger.full_name} is not a trainer of your district."]}
    assert not TrainingGroup.objects.exists()
    assert not TeachingDay.objects.exists()


def test_someone_who_is_not_a_trainer_cannot_be_a_groups_trainer(chamber_user, stream, modules, district):
    colleague = make_staff(Role.CHAMBER, district=district)

    with pytest.raises(ValidationError, match="is not a trainer of your district"):
        make_group(chamber_user, stream, trainers=[colleague])


def test_a_second_group_of_the_same_name_in_the_stream_is_refused(chamber_user, stream, modules):
    make_group(chamber_user, stream, "Group A")

    with pytest.raises(ValidationError) as info:
        make_group(chamber_user, stream, "Group A")

    assert info.value.message_dict == {"name": ["Your district already has a group of this name in this stream."]}
    assert TrainingGroup.objects.count() == 1
    make_group(chamber_user, StreamFactory(), "Group A")  # another stream may use the name
    assert TrainingGroup.objects.count() == 2


def test_another_district_may_use_the_same_group_name(chamber_user, stream, modules, other_district):
    make_group(chamber_user, stream, "Group A")

    make_group(make_staff(Role.CHAMBER, district=other_district), stream, "Group A")

    assert TrainingGroup.objects.filter(name="Group A").count() == 2


def test_a_schedule_needs_every_module_title(chamber_user, stream):
    make_modules(5)

    with pytest.raises(ValidationError, match="Only 5 module titles are set up; the stream needs 12."):
        make_group(chamber_user, stream)

    assert not TrainingGroup.objects.exists()


@pytest.mark.parametrize("role", [Role.TRAINER, Role.EMPLOYMENT_CENTRE])
def test_only_the_chamber_forms_groups(stream, modules, district, role):
    with pytest.raises(PermissionDenied):
        make_group(make_staff(role, district=district), stream)


def test_the_chamber_creates_a_group_from_the_groups_page(login, chamber_user, stream, modules, trainer):
    client = login(chamber_user)

    response = client.post(
        reverse("training:groups"),
        {
            "stream": stream.pk,
            "name": "Group A",
            "place": "Akimat hall",
            "course_start": "2026-12-07",
            "capacity": 25,
            "trainers": [trainer.pk],
        },
    )

    group = TrainingGroup.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("training:group", args=[group.code])
    assert (group.capacity, list(group.trainers.all()), group.days.count()) == (25, [trainer], 25)
    listing = client.get(reverse("training:groups")).text
    assert "Group Group A created with its schedule." in listing
    assert listing.count('data-testid="group-row"') == 1


def test_the_group_page_shows_the_schedule_of_teaching_days(login, chamber_user, stream, modules, trainer):
    group = make_group(chamber_user, stream, trainers=[trainer])

    response = login(chamber_user).get(reverse("training:group", args=[group.code]))

    assert response.status_code == 200
    assert response.text.count('data-testid="teaching-day"') == 25
    assert trainer.full_name in response.text
    assert "1. Module 1" in response.text
    assert "12. Module 12" in response.text


# --- Moving a teaching day ----------------------------------------------------------------------


@pytest.fixture
def group(chamber_user, stream, modules, holidays):
    return make_group(chamber_user, stream)


def move(chamber_user, day, new_date):
    return services.teaching_day_move(actor=chamber_user, group=day.group, day_id=day.pk, new_date=new_date)


@pytest.mark.parametrize(
    ("new_date", "message"),
    [
        (date(2026, 12, 13), "That day is a Sunday or a public holiday."),
        (date(2026, 12, 16), "That day is a Sunday or a public holiday."),
        (date(2026, 12, 31), "That day is a Sunday or a public holiday."),
        (date(2026, 12, 9), "The group already has a teaching day on that date."),
    ],
    ids=["sunday", "yearly holiday", "one-off holiday", "taken date"],
)
def test_a_day_cannot_move_to_a_sunday_a_holiday_or_another_teaching_day(chamber_user, group, new_date, message):
    day = days_of(group)[0]

    with pytest.raises(ValidationError) as info:
        move(chamber_user, day, new_date)

    assert info.value.message_dict == {"date": [message]}
    day.refresh_from_db()
    assert day.date == MONDAY


def test_a_moved_day_takes_its_place_in_date_order(chamber_user, group):
    before = days_of(group)
    second = before[1]

    move(chamber_user, second, date(2027, 1, 11))  # after the last day, Saturday 9 January

    after = days_of(group)
    assert len(after) == 25
    assert [d.ordinal for d in after] == list(range(1, 26))
    assert after[-1].pk == second.pk
    assert after[-1].date == date(2027, 1, 11)
    assert after[-1].module == second.module  # the day keeps its module
    assert after[1].pk == before[2].pk
    assert after[1].ordinal == 2


def test_a_day_moved_back_into_the_course_takes_its_ordinal_there(chamber_user, group):
    days = days_of(group)
    second, last = days[1], days[-1]
    move(chamber_user, second, date(2027, 1, 11))  # frees Tuesday 8 December

    move(chamber_user, last, date(2026, 12, 8))

    after = days_of(group)
    assert [d.ordinal for d in after] == list(range(1, 26))
    assert [d.pk for d in after[:3]] == [days[0].pk, last.pk, days[2].pk]
    assert [d.pk for d in after[-2:]] == [days[-2].pk, second.pk]
    dates = [d.date for d in after]
    assert dates == sorted(dates)


def test_the_chamber_moves_a_day_from_the_group_page(login, chamber_user, group):
    client = login(chamber_user)
    day = days_of(group)[0]
    url = reverse("training:move_day", args=[group.code])

    refused = client.post(url, {"day": day.pk, "date": "2026-12-13"})
    refused_message = client.get(reverse("training:groups")).text
    moved = client.post(url, {"day": day.pk, "date": "2027-01-11"})
    moved_message = client.get(reverse("training:groups")).text

    assert refused.url == moved.url == reverse("training:group", args=[group.code])
    assert "That day is a Sunday or a public holiday." in refused_message
    assert "The teaching day has been moved." in moved_message
    day.refresh_from_db()
    assert (day.date, day.ordinal) == (date(2027, 1, 11), 25)


def test_the_chamber_of_another_district_cannot_move_a_groups_day(login, group, other_district):
    stranger = make_staff(Role.CHAMBER, district=other_district)
    day = days_of(group)[0]

    response = login(stranger).post(
        reverse("training:move_day", args=[group.code]), {"day": day.pk, "date": "2027-01-11"}
    )

    assert response.status_code == 404
    day.refresh_from_db()
    assert day.date == MONDAY


def test_a_day_of_another_districts_group_cannot_be_moved_through_ones_own_group_page(
    login, chamber_user, group, other_district, stream
):
    theirs = make_group(make_staff(Role.CHAMBER, district=other_district), stream, "Elsewhere")
    their_day = days_of(theirs)[0]

    response = login(chamber_user).post(
        reverse("training:move_day", args=[group.code]), {"day": their_day.pk, "date": "2027-01-11"}
    )

    assert response.status_code in (302, 404)  # refused, not a server error
    their_day.refresh_from_db()
    assert their_day.date == MONDAY
