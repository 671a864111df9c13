"""In a real browser, on a 360 px phone: the trainer marks a day, the connection drops, they mark more
("3 marks waiting to be sent"), it returns, and every mark is stored once; a mark whose answer was
lost on the way, and a queue sent a second time, still give one mark each (static/js/attendance.js
and the key each mark carries, training.services._save_mark)."""

import datetime
import time

import pytest
from django.utils import timezone, translation
from django.utils.translation import gettext

from accounts.models import Role
from tests.browser.conftest import PASSWORD
from tests.browser.helpers import check_page, open_context
from tests.factories import ProgrammeYearFactory, StreamFactory, make_modules, make_participants, make_staff
from training import services
from training.models import AttendanceChange, AttendanceMark, GroupMember

pytestmark = pytest.mark.browser

PENDING = "Marks waiting to be sent: {n}. They are kept on this device and sent when the connection returns."
QUEUE = "bastau.attendance.pending"
# The online event replays the queue at once; the 15 s timer is a fallback this test must not wait for.
REPLAYED_WITHIN_MS = 8_000


class Course:
    def __init__(self, url, trainer, group, day, members):
        self.url, self.trainer, self.group, self.day, self.members = url, trainer, group, day, members

    @property
    def day_view(self) -> str:
        return f"/staff/groups/{self.group.code}/attendance/?day={self.day.date.isoformat()}"


@pytest.fixture
def course(live_server, django_db_blocker, settings):
    """A group of six, two weeks into its course, its first teaching day not marked yet, and its trainer
    (who logs in with the browser tests' password)."""
    settings.DEBUG = False
    with django_db_blocker.unblock():
        today = timezone.localdate()
        stream = StreamFactory(year=ProgrammeYearFactory(year=today.year))
        make_modules()
        district_members = make_participants(district := make_staff(Role.CHAMBER).organisation.district, stream, 6)
        chamber = make_staff(Role.CHAMBER, district=district)
        trainer = make_staff(Role.TRAINER, district=district)
        trainer.set_password(PASSWORD)
        trainer.save(update_fields=["password"])
        group = services.group_create(
            actor=chamber,
            stream=stream,
            name="Бастау-офлайн",
            place="Қосшы",
            course_start=today - datetime.timedelta(days=14),
            trainers=[trainer],
        )
        for application in district_members:
            services.member_move(actor=chamber, application_id=application.pk, group_id=group.pk)
        day = group.days.order_by("date").first()
        members = list(GroupMember.objects.current().filter(group=group).order_by("application__last_name"))
    return Course(live_server.url, trainer, group, day, members)


def mark(page, course, member, value):
    """Choose a mark in a participant's cell of the day view."""
    page.locator(f"#cell-{member.pk}-{course.day.pk} select").select_option(value)


def mark_online(page, course, member, value):
    with page.expect_response(lambda r: "/attendance/mark/" in r.url and r.status == 200):
        mark(page, course, member, value)


def pending_text(n: int) -> str:
    with translation.override("ru"):
        return gettext(PENDING).replace("{n}", str(n))


def queue_of(page) -> list:
    return page.evaluate(f"JSON.parse(localStorage.getItem('{QUEUE}') || '[]')")


def wait_until_sent(page):
    """The "waiting" line gone and the queue empty (polled from here: the page's CSP forbids the eval
    Playwright's wait_for_function would use)."""
    page.locator('[data-testid="pending"]').wait_for(state="hidden", timeout=REPLAYED_WITHIN_MS)
    deadline = time.monotonic() + REPLAYED_WITHIN_MS / 1000
    while queue_of(page) and time.monotonic() < deadline:
        page.wait_for_timeout(100)
    assert queue_of(page) == [], "the queue is empty"


def stored(course) -> dict[int, tuple[str, int]]:
    """Each member's mark on the day and how many history rows its cell has."""
    return {
        m.membership_id: (m.kind, m.changes.count())
        for m in AttendanceMark.objects.filter(day=course.day).prefetch_related("changes")
    }


def open_day(browser, course):
    context, page = open_context(browser, course.url, width=360, lang="ru", username=course.trainer.username)
    page.goto(course.day_view)
    assert page.locator('[data-testid="att-row"]').count() == 6
    return context, page


def test_marks_made_offline_on_a_phone_are_sent_when_the_connection_returns_and_stored_once(
    browser, course, django_db_blocker
):
    context, page = open_day(browser, course)
    m = course.members
    assert page.evaluate("document.documentElement.scrollWidth") <= 360, "the day view fits the phone"

    mark_online(page, course, m[0], "present")
    mark_online(page, course, m[1], "late")

    context.set_offline(True)
    mark(page, course, m[2], "absent_unexcused")
    mark(page, course, m[3], "absent_excused:illness")
    mark(page, course, m[4], "present")
    pending = page.locator('[data-testid="pending"]')
    pending.wait_for(state="visible")
    assert pending.inner_text() == pending_text(3)
    assert page.locator("td.att-pending").count() == 3
    assert not check_page(page, "day view offline ru 360")
    with django_db_blocker.unblock():
        assert len(stored(course)) == 2  # nothing of the three has reached the server

    context.set_offline(False)
    wait_until_sent(page)

    with django_db_blocker.unblock():
        assert stored(course) == {
            m[0].pk: ("present", 1),
            m[1].pk: ("late", 1),
            m[2].pk: ("absent_unexcused", 1),
            m[3].pk: ("absent_excused", 1),
            m[4].pk: ("present", 1),
        }
        assert AttendanceMark.objects.get(membership=m[3], day=course.day).reason_code == "illness"
        keys = list(AttendanceChange.objects.filter(mark__day=course.day).values_list("client_id", flat=True))
        assert None not in keys and len(set(keys)) == 5
    # The page shows the stored marks, and a reload shows the same.
    page.reload()
    kinds = page.locator("td[data-testid=cell]").evaluate_all("cells => cells.map(c => c.dataset.kind)")
    assert sorted(k for k in kinds if k) == sorted(["present", "late", "absent_unexcused", "absent_excused", "present"])
    context.close()


def test_a_mark_replayed_twice_is_stored_once(browser, course, django_db_blocker):
    """Two ways a mark reaches the server twice: its answer is lost on the way back (the server saved
    it, the phone kept it and sends it again), and the whole queue is sent a second time (a copy of it
    left on the device, another tab)."""
    context, page = open_day(browser, course)
    m = course.members

    # The answer to this mark is lost: the request reaches the server, the phone sees a failed request.
    def lose_the_answer(route):
        route.fetch()  # the server stores the mark
        route.abort("connectionreset")

    page.route("**/attendance/mark/", lose_the_answer)
    mark(page, course, m[0], "late")
    page.locator('[data-testid="pending"]').wait_for(state="visible")
    assert page.locator('[data-testid="pending"]').inner_text() == pending_text(1)
    page.unroute("**/attendance/mark/")
    with django_db_blocker.unblock():
        assert stored(course) == {m[0].pk: ("late", 1)}  # stored once already

    # Offline: two more marks wait with the one whose answer was lost.
    context.set_offline(True)
    mark(page, course, m[1], "present")
    mark(page, course, m[2], "absent_unexcused")
    assert page.locator('[data-testid="pending"]').inner_text() == pending_text(3)
    queue = page.evaluate(f"localStorage.getItem('{QUEUE}')")
    sent = []
    page.on("request", lambda r: "/attendance/mark/" in r.url and sent.append(r.post_data))
    context.set_offline(False)
    wait_until_sent(page)

    # The same queue again, as a second copy of it would send it: the server answers with the stored cells.
    page.evaluate(f"localStorage.setItem('{QUEUE}', {queue!r}); window.dispatchEvent(new Event('online'))")
    wait_until_sent(page)
    assert len(sent) == 6, "each of the three marks was sent twice"

    with django_db_blocker.unblock():
        assert stored(course) == {
            m[0].pk: ("late", 1),
            m[1].pk: ("present", 1),
            m[2].pk: ("absent_unexcused", 1),
        }
        assert AttendanceChange.objects.filter(mark__day=course.day).count() == 3
    assert page.locator('[data-testid="cell-error"]').count() == 0  # a replay is not an error to the trainer
    context.close()
