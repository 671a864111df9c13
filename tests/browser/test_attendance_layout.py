"""The attendance page in a real browser. On a 390 px phone it opens the day view of today (not the
whole-course grid), which fits the screen and steps to the previous and next class days; at 1280 px
the grid cuts no cell off, names its codes in a legend and keeps the names column put while the days
scroll sideways (templates/training/attendance.html, static/js/attendance-phone.js)."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from accounts.models import Role
from tests.browser.conftest import PASSWORD
from tests.browser.helpers import check_page, open_context
from tests.factories import ProgrammeYearFactory, StreamFactory, make_modules, make_participants, make_staff
from training import services
from training.models import GroupMember, MarkKind

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}


class Course:
    def __init__(self, url, trainer, group, days, shown, members):
        self.url, self.trainer, self.group, self.days, self.shown, self.members = (
            url,
            trainer,
            group,
            days,
            shown,
            members,
        )

    @property
    def page(self) -> str:
        return f"/staff/groups/{self.group.code}/attendance/"


@pytest.fixture
def course(live_server, django_db_blocker, settings):
    """A group of five two weeks into its course, every past day marked (the first participant late
    on the day a phone opens, absent with a valid reason the day before), and its trainer."""
    settings.DEBUG = False
    with django_db_blocker.unblock():
        today = timezone.localdate()
        stream = StreamFactory(year=ProgrammeYearFactory(year=today.year))
        make_modules()
        district = make_staff(Role.CHAMBER).organisation.district
        applications = make_participants(district, stream, 5)
        chamber = make_staff(Role.CHAMBER, district=district)
        trainer = make_staff(Role.TRAINER, district=district)
        trainer.set_password(PASSWORD)
        trainer.save(update_fields=["password"])
        group = services.group_create(
            actor=chamber,
            stream=stream,
            name="Бастау-күн",
            place="Қосшы",
            course_start=today - datetime.timedelta(days=14),
            trainers=[trainer],
        )
        for application in applications:
            services.member_move(actor=chamber, application_id=application.pk, group_id=group.pk)
        days = list(group.days.order_by("date"))
        shown = [d for d in days if d.date <= today][-1]  # today, or the last class day before it
        members = list(GroupMember.objects.current().filter(group=group).order_by("application__last_name", "pk"))
        for day in days:
            if day.date <= today:
                services.attendance_mark_day_present(actor=trainer, group_id=group.pk, day_id=day.pk)
        first = members[0]
        before = days[days.index(shown) - 1]
        for day, kind, reason in ((shown, MarkKind.LATE, ""), (before, MarkKind.EXCUSED, "official")):
            services.attendance_mark(
                actor=trainer,
                group_id=group.pk,
                membership_id=first.pk,
                day_id=day.pk,
                kind=kind,
                reason_code=reason,
                reason_text="",
                change_reason="Кешіккені кейін белгілі болды",
                expected_version=None,
            )
    return Course(live_server.url, trainer, group, days, shown, members)


def kinds_shown(page) -> list[str]:
    return page.locator("td[data-testid=cell]").evaluate_all("cells => cells.map(c => c.dataset.kind)")


def test_a_phone_opens_the_day_view_of_today_and_steps_between_class_days(browser, course):
    context, page = open_context(
        browser, course.url, lang="kk", username=course.trainer.username, width=PHONE["width"], height=PHONE["height"]
    )
    page.goto(course.page)
    page.wait_for_url(f"**{course.page}?day={course.shown.date.isoformat()}")
    title = page.locator('[data-testid="day-title"]')
    assert title.get_attribute("data-date") == course.shown.date.isoformat()
    assert page.locator('[data-testid="att-row"]').count() == 5
    assert kinds_shown(page) == ["late", "present", "present", "present", "present"], "the day's marks"
    assert page.locator('[data-testid="cell"] select').first.input_value() == "late"
    assert not check_page(page, "day view kk 390")  # axe, and nothing wider than the phone

    i = course.days.index(course.shown)
    page.locator('[data-testid="next-day"]').click()
    page.wait_for_url(f"**?day={course.days[i + 1].date.isoformat()}")
    assert title.get_attribute("data-date") == course.days[i + 1].date.isoformat()
    page.locator('[data-testid="previous-day"]').click()
    page.locator('[data-testid="previous-day"]').click()
    page.wait_for_url(f"**?day={course.days[i - 1].date.isoformat()}")
    assert kinds_shown(page)[0] == "absent_excused"
    assert page.locator('[data-testid="doc-link"]').count() == 1

    # The whole course from the phone: the grid stays (scrolled inside its box, not the page).
    page.locator('[data-testid="whole-course"]').click()
    page.wait_for_url("**?view=grid")
    expect(page.locator('[data-testid="grid"]')).to_be_visible()
    assert not check_page(page, "grid kk 390")
    context.close()


CLIPPED = """() => {
  // Text cut off in the grid: a cell or a code whose content is wider than its box, or a visible
  // list whose chosen option does not fit (a <select> clips its text without any scrollWidth).
  const canvas = document.createElement("canvas").getContext("2d");
  const found = [];
  for (const el of document.querySelectorAll(".att-grid td, .att-grid th, .att-grid .att-code")) {
    if (el.scrollWidth > el.clientWidth + 1) { found.push(el.id || el.className || el.tagName); }
  }
  for (const select of document.querySelectorAll(".att-grid select")) {
    const style = getComputedStyle(select);
    if (style.opacity === "0") { continue; }
    canvas.font = style.font;
    const text = select.options[select.selectedIndex].text;
    const room = select.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
    if (canvas.measureText(text).width > room + 1) { found.push(select.closest("td").id + ": " + text); }
  }
  return found;
}"""

STUCK = """() => {
  const box = document.querySelector(".att-grid");
  box.scrollLeft = box.scrollWidth;
  const name = document.querySelector('[data-testid="att-name"]');
  const cells = [...name.closest("tr").querySelectorAll("td[data-testid=cell]")];
  return {
    scrolled: box.scrollLeft,
    position: getComputedStyle(name).position,
    nameLeft: name.getBoundingClientRect().left - box.getBoundingClientRect().left,
    nameRight: name.getBoundingClientRect().right,
    firstDayLeft: cells[0].getBoundingClientRect().left,
    topElement: document.elementFromPoint(name.getBoundingClientRect().left + 20,
                                          name.getBoundingClientRect().top + 10).closest("th") === name,
  };
}"""


def test_at_1280_px_the_grid_cuts_no_cell_names_its_codes_and_keeps_the_names_in_place(browser, course):
    context, page = open_context(browser, course.url, width=1280, lang="kk", username=course.trainer.username)
    page.goto(course.page)
    expect(page.locator('[data-testid="grid"]'), "a laptop stays on the grid").to_be_visible()
    assert "?day=" not in page.url
    assert page.locator("td[data-testid=cell]").count() == 5 * len(course.days)
    assert page.evaluate(CLIPPED) == []
    legend = page.locator('[data-testid="legend"]').inner_text()
    assert "К кешікті" in legend and "С себепті жоқ" in legend and "✓ қатысты" in legend
    assert not check_page(page, "grid kk 1280")

    stuck = page.evaluate(STUCK)
    assert stuck["scrolled"] > 0, "the days scroll sideways inside the grid"
    assert stuck["position"] == "sticky"
    assert abs(stuck["nameLeft"]) <= 1, "the names column stays at the grid's left edge"
    assert stuck["firstDayLeft"] < stuck["nameRight"], "the first day has scrolled under the names"
    assert stuck["topElement"], "the names are drawn over the marks scrolled under them"

    # A mark chosen in the grid: the cell's code changes with it, in the page's language.
    member, day = course.members[1], course.shown
    cell = page.locator(f"#cell-{member.pk}-{day.pk}")
    page.evaluate("document.querySelector('.att-grid').scrollLeft = 0")
    page.on("dialog", lambda dialog: dialog.accept("Кешігіп келді"))  # a past day asks why (not today)
    with page.expect_response(lambda r: "/attendance/mark/" in r.url and r.status == 200):
        cell.locator("select").select_option("late")
    assert cell.locator(".att-code").inner_text() == "К"
    assert cell.get_attribute("data-kind") == "late"
    assert page.evaluate(CLIPPED) == []
    context.close()
