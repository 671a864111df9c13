"""Participants are placed in their district's groups by capacity, one group each; moved by hand."""

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import Role
from applications.models import Status
from core.errors import NotFound
from tests.factories import make_accepted, make_other_stream, make_participants, make_staff
from tests.training.helpers import make_group, put
from training import services
from training.models import GroupMember

pytestmark = pytest.mark.django_db


def place(chamber_user, stream) -> tuple[int, int]:
    return services.participants_place(actor=chamber_user, stream=stream)


def sizes(*groups) -> list[int]:
    return [GroupMember.objects.current().filter(group=g).count() for g in groups]


def test_participants_fill_the_groups_in_name_order_up_to_their_capacity(chamber_user, district, stream, modules):
    second = make_group(chamber_user, stream, "Group B", capacity=2)
    first = make_group(chamber_user, stream, "Group A", capacity=3)
    participants = make_participants(district, stream, 6)

    placed, left = place(chamber_user, stream)

    assert (placed, left) == (5, 1)
    assert sizes(first, second) == [3, 2]
    assert GroupMember.objects.filter(application__in=participants).count() == 5
    assert all(m.placed_by == chamber_user for m in GroupMember.objects.all())


def test_the_first_group_by_name_is_filled_before_the_next(chamber_user, district, stream, modules):
    second = make_group(chamber_user, stream, "Group B", capacity=5)
    first = make_group(chamber_user, stream, "Group A", capacity=3)
    make_participants(district, stream, 4)

    assert place(chamber_user, stream) == (4, 0)

    assert sizes(first, second) == [3, 1]


def test_placing_twice_places_nobody_twice(chamber_user, district, stream, modules):
    group = make_group(chamber_user, stream, "Group A", capacity=3)
    make_participants(district, stream, 4)
    place(chamber_user, stream)

    assert place(chamber_user, stream) == (0, 1)

    assert sizes(group) == [3]
    assert GroupMember.objects.values("application").distinct().count() == 3


def test_a_participant_already_placed_by_hand_takes_a_place(chamber_user, district, stream, modules):
    group = make_group(chamber_user, stream, "Group A", capacity=3)
    early, *others = make_participants(district, stream, 4)
    put(chamber_user, group, [early])

    assert place(chamber_user, stream) == (2, 1)

    assert GroupMember.objects.current().get(application=early).group == group
    assert sizes(group) == [3]


def test_only_participants_of_the_district_and_stream_are_placed(
    chamber_user, district, other_district, stream, modules
):
    group = make_group(chamber_user, stream, "Group A", capacity=30)
    ours = make_participants(district, stream, 2)
    make_participants(other_district, stream, 2)
    make_participants(district, make_other_stream(), 1)
    make_accepted(district, stream, 1)  # accepted, not yet tested

    assert place(chamber_user, stream) == (2, 0)

    assert {m.application_id for m in GroupMember.objects.filter(group=group)} == {a.pk for a in ours}
    assert GroupMember.objects.count() == 2


def test_the_other_districts_chamber_places_its_own_participants_only(
    chamber_user, district, other_district, stream, modules
):
    theirs_chamber = make_staff(Role.CHAMBER, district=other_district)
    ours = make_group(chamber_user, stream, "Group A")
    theirs = make_group(theirs_chamber, stream, "Group A")
    make_participants(district, stream, 2)
    their_people = make_participants(other_district, stream, 3)

    assert place(theirs_chamber, stream) == (3, 0)

    assert sizes(ours, theirs) == [0, 3]
    assert {m.application_id for m in GroupMember.objects.all()} == {a.pk for a in their_people}


def test_the_chamber_places_from_the_groups_page(login, chamber_user, district, stream, modules):
    make_group(chamber_user, stream, "Group A", capacity=2)
    make_participants(district, stream, 3)
    client = login(chamber_user)

    response = client.post(reverse("training:place"), {"stream": stream.pk}, follow=True)

    assert "Placed in groups: 2." in response.text
    assert "Without a place (the groups are full): 1." in response.text
    assert "1 participant has no group yet." in response.text


# --- Moving one participant by hand -------------------------------------------------------------


def test_a_participant_is_moved_to_another_group(chamber_user, district, stream, modules):
    first = make_group(chamber_user, stream, "Group A")
    second = make_group(chamber_user, stream, "Group B")
    (participant,) = make_participants(district, stream, 1)
    put(chamber_user, first, [participant])

    member = services.member_move(actor=chamber_user, application_id=participant.pk, group_id=second.pk)

    assert member.group == second
    assert sizes(first, second) == [0, 1]
    # The place in the first group is kept as history, pointing at the new one.
    old = GroupMember.objects.get(application=participant, group=first)
    assert old.left_at is not None and old.moved_to == member and "Group B" in old.left_reason
    assert GroupMember.objects.current().filter(application=participant).count() == 1
    participant.refresh_from_db()
    assert participant.status == Status.PLACED
    assert participant.changes.filter(to_status=Status.PLACED).count() == 1  # a move is not a new placement


def test_a_full_group_takes_nobody_more(chamber_user, district, stream, modules):
    first = make_group(chamber_user, stream, "Group A")
    full = make_group(chamber_user, stream, "Group B", capacity=2)
    newcomer, *others = make_participants(district, stream, 3)
    put(chamber_user, first, [newcomer])
    put(chamber_user, full, others)

    with pytest.raises(ValidationError, match=r"The group is full \(2 places\)."):
        services.member_move(actor=chamber_user, application_id=newcomer.pk, group_id=full.pk)

    assert GroupMember.objects.current().get(application=newcomer).group == first
    assert sizes(first, full) == [1, 2]


def test_a_participant_of_another_stream_cannot_join_the_group(chamber_user, district, stream, modules):
    group = make_group(chamber_user, stream, "Group A")
    (stranger,) = make_participants(district, make_other_stream(), 1)

    with pytest.raises(ValidationError, match="The participant belongs to another stream."):
        services.member_move(actor=chamber_user, application_id=stranger.pk, group_id=group.pk)

    assert not GroupMember.objects.exists()


def test_someone_who_did_not_pass_the_test_cannot_be_put_in_a_group(chamber_user, district, stream, modules):
    group = make_group(chamber_user, stream, "Group A")
    (accepted,) = make_accepted(district, stream, 1)

    with pytest.raises(NotFound, match="has not passed the test"):
        services.member_move(actor=chamber_user, application_id=accepted.pk, group_id=group.pk)

    assert not GroupMember.objects.exists()


def test_the_chamber_moves_a_participant_from_the_group_page(login, chamber_user, district, stream, modules):
    first = make_group(chamber_user, stream, "Group A")
    full = make_group(chamber_user, stream, "Group B", capacity=1)
    mover, blocker = make_participants(district, stream, 2)
    put(chamber_user, first, [mover])
    put(chamber_user, full, [blocker])
    client = login(chamber_user)
    url = reverse("training:move_member", args=[first.code])

    client.post(url, {"application": mover.pk, "group": full.pk})
    refused = client.get(reverse("training:groups")).text
    client.post(url, {"application": blocker.pk, "group": first.pk})
    moved = client.get(reverse("training:groups")).text

    assert "The group is full (1 places)." in refused
    assert "The participant has been moved." in moved
    assert GroupMember.objects.current().get(application=mover).group == first
    assert GroupMember.objects.current().get(application=blocker).group == first


# --- Dates: a group under way for too long, or finished, takes no newcomers ------------------------


def test_automatic_placement_skips_groups_past_their_stream_joining_days(chamber_user, district, stream, modules):
    """The stream's rule (late_join_days, 5 by default): a group that started 6 days ago takes nobody
    automatically; one that started 5 days ago and one not started yet do."""
    import datetime

    import time_machine

    from tests.training.helpers import MONDAY

    assert stream.late_join_days == 5
    too_late = make_group(chamber_user, stream, "Group A", course_start=MONDAY - datetime.timedelta(days=6))
    just_in = make_group(chamber_user, stream, "Group B", capacity=1, course_start=MONDAY - datetime.timedelta(days=5))
    later = make_group(chamber_user, stream, "Group C", course_start=MONDAY + datetime.timedelta(days=7))
    make_participants(district, stream, 3)

    with time_machine.travel(datetime.datetime(2026, 12, 7, 4, 0, tzinfo=datetime.UTC), tick=False):
        assert place(chamber_user, stream) == (3, 0)
    assert sizes(too_late, just_in, later) == [0, 1, 2]


def test_a_group_whose_course_ended_is_refused_by_hand_with_its_last_day(chamber_user, district, stream, modules):
    import datetime

    ended = make_group(chamber_user, stream, "Group A", course_start=datetime.date(2026, 10, 5))
    (participant,) = make_participants(district, stream, 1)
    last = ended.days.order_by("-date").first().date
    with pytest.raises(ValidationError) as refused:
        services.member_move(actor=chamber_user, application_id=participant.pk, group_id=ended.pk)
    assert f"ended on {last:%d.%m.%Y}" in refused.value.messages[0]
    assert not GroupMember.objects.filter(application=participant).exists()
    assert place(chamber_user, stream) == (0, 1)  # nor automatically


def test_the_group_form_names_a_group_and_starts_on_the_current_stream(chamber_user, stream, modules):
    """A group's name is not a person's name ("Аты-жөні"), and the stream select starts on the stream
    under way, not on a later one created already."""
    import datetime

    from django.utils import translation

    from tests.factories import make_other_stream
    from training.forms import GroupForm

    make_other_stream(  # the next one, created already
        year=stream.year,
        application_opens=datetime.date(2026, 12, 20),
        application_closes=datetime.date(2027, 1, 10),
        course_start=datetime.date(2027, 1, 18),
    )
    form = GroupForm()
    assert form.initial["stream"] == stream
    with translation.override("kk"):
        assert str(GroupForm().fields["name"].label) == "Топтың атауы"
    with translation.override("ru"):
        assert str(GroupForm().fields["name"].label) == "Название группы"


def _moved_participant(chamber_user, district, stream, **extra):
    first = make_group(chamber_user, stream, "Group A")
    second = make_group(chamber_user, stream, "Group B", place="Library hall")
    (participant,) = make_participants(district, stream, 1)
    for field, value in extra.items():
        setattr(participant, field, value)
    participant.save(update_fields=list(extra))
    put(chamber_user, first, [participant])
    return participant, second


def test_a_move_tells_the_participant_the_new_group_once_per_channel_in_their_language(
    chamber_user, district, stream, modules, settings, monkeypatch, django_capture_on_commit_callbacks
):
    """The SMS and the e-mail name the new group, its place and its next teaching day, in Kazakh (the
    language the participant applied in); they go after the commit, through the outbox; the e-mail
    failing once makes its retry send the e-mail only, never a second SMS."""
    from celery.exceptions import Retry

    from core.models import OutboxMessage
    from core.sms import MemorySmsBackend
    from training import tasks

    settings.SMS_BACKEND = "core.sms.MemorySmsBackend"
    participant, second = _moved_participant(
        chamber_user, district, stream, language="kk", email="participant@example.kz"
    )
    MemorySmsBackend.outbox.clear()
    mails = []

    def send_mail(subject, body, sender, to):
        if not mails:
            mails.append(None)
            raise ConnectionError("mail server down")
        mails.append((subject, body, to))

    monkeypatch.setattr(tasks, "send_mail", send_mail)
    with django_capture_on_commit_callbacks() as callbacks:
        member = services.member_move(actor=chamber_user, application_id=participant.pk, group_id=second.pk)
        assert MemorySmsBackend.outbox == []  # nothing goes out before the commit
    assert OutboxMessage.objects.filter(task="training.tasks.notify_move_task", args=[member.pk]).count() == 1
    with pytest.raises(Retry):
        for callback in callbacks:
            callback()  # the commit: the outbox publishes, the task runs (eager in tests) and asks for a retry
    tasks.notify_move_task.run(member.pk)  # the retry
    tasks.notify_move_task.run(member.pk)  # a copy relayed again: nothing left to send

    ((phone, text),) = MemorySmsBackend.outbox
    assert phone == str(participant.phone)
    assert "Group B тобына ауыстырылдыңыз, Library hall" in text
    assert "07.12.2026" in text  # the course's first day: the next teaching day
    assert [(subject, to) for subject, _body, to in mails[1:]] == [
        ("Bastau: сіз басқа оқу тобына ауыстырылдыңыз", ["participant@example.kz"])
    ]
    member.refresh_from_db()
    assert member.move_sms_sent_at and member.move_email_sent_at


def test_the_status_page_shows_the_move_naming_the_new_group_without_a_query_more(
    login, chamber_user, district, stream, modules
):
    participant, second = _moved_participant(chamber_user, district, stream)
    client = login(chamber_user)
    url = reverse("applications:status", args=[participant.code])
    with CaptureQueriesContext(connection) as placed:
        assert "Moved to group" not in client.get(url).text

    services.member_move(actor=chamber_user, application_id=participant.pk, group_id=second.pk)

    with CaptureQueriesContext(connection) as moved:
        response = client.get(url)
    steps = [(step.title, step.state) for step in response.context["steps"]]
    placed_at = steps.index(("Placed in a training group", "done"))
    assert steps[placed_at + 1] == ("Moved to group Group B", "done")
    assert "Group Group B, Library hall." in response.text
    assert len(moved.captured_queries) == len(placed.captured_queries)


def test_the_placing_stream_select_starts_on_the_stream_under_way_not_a_later_one(login, chamber_user, stream):
    import datetime

    from tests.factories import make_other_stream

    later = make_other_stream(  # the next stream, created already: listed first (the latest course start)
        year=stream.year,
        application_opens=datetime.date(2026, 12, 20),
        application_closes=datetime.date(2027, 1, 10),
        course_start=datetime.date(2027, 1, 18),
    )
    response = login(chamber_user).get(reverse("training:groups"))

    select = response.text.split('id="place-stream"', 1)[1].split("</select>", 1)[0]
    assert f'<option value="{stream.pk}" selected>' in select
    assert f'<option value="{later.pk}">' in select
