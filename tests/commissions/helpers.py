"""What the commission tests share: a participant with an open expulsion case, reading a PDF back."""

import datetime
import io

import time_machine

from accounts.models import Role
from tests.factories import _office, make_modules, make_participants
from training import services as training_services
from training.models import ExpulsionCase, MarkKind


def make_case(district, stream, *, count=1, missed=4, group_name="Group C"):
    """Participants of a group under way, each absent (no reason) on the course's first `missed` days,
    one above the limit of 3: the absence rule opens a case for each. The clock goes to the day after
    those days and back. Returns (cases, group)."""
    make_modules()
    apps = make_participants(district, stream, count)
    chamber = _office(Role.CHAMBER, district)
    trainer = _office(Role.TRAINER, district)
    group = training_services.group_create(
        actor=chamber,
        stream=stream,
        name=group_name,
        place="Akimat hall",
        course_start=stream.course_start,
        trainers=[trainer],
    )
    for application in apps:
        training_services.member_move(actor=chamber, application_id=application.pk, group_id=group.pk)
    days = list(group.days.order_by("date"))
    at = datetime.datetime.combine(days[missed].date, datetime.time(6), tzinfo=datetime.UTC)
    with time_machine.travel(at, tick=False):
        for member in group.memberships.current().order_by("application_id"):
            for day in days[:missed]:
                training_services.attendance_mark(
                    actor=trainer,
                    group_id=group.pk,
                    membership_id=member.pk,
                    day_id=day.pk,
                    kind=MarkKind.UNEXCUSED,
                )
    cases = list(ExpulsionCase.objects.filter(application__in=apps).order_by("application_id"))
    return cases, group


def case_day(case) -> datetime.datetime:
    """A moment on the day after the case opened, when the commission sits."""
    opened = case.opened_at.date()
    return datetime.datetime.combine(opened + datetime.timedelta(days=1), datetime.time(6), tzinfo=datetime.UTC)


def pdf_text(data: bytes) -> str:
    from pypdf import PdfReader

    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)
    return " ".join(text.split())  # table cells wrap their words over lines
