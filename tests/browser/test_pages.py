"""Every page of every demo role, in Kazakh and Russian, on a phone and a laptop: axe-core's WCAG
2.x A/AA rules pass and nothing is wider than the window."""

import re
import time

import pytest

from tests.browser.helpers import TIMES, WIDTHS, check_page, open_context

pytestmark = pytest.mark.browser

UUID = r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"


def _nav_links(page) -> list[str]:
    hrefs = page.eval_on_selector_all(
        "#main-nav a.nav-link, #main-nav a.dropdown-item", "links => links.map(a => a.getAttribute('href'))"
    )
    return [h for h in hrefs if h.startswith("/") and not h.startswith("/admin/")]  # Django's own admin is not ours


def _first_link(page, pattern) -> str | None:
    hrefs = page.eval_on_selector_all("main a[href]", "links => links.map(a => a.getAttribute('href'))")
    return next((h for h in hrefs if re.fullmatch(pattern, h)), None)


def _extra_pages(page, username) -> list[str]:
    """The pages reached from the navigation where a role acts on one case."""
    extra = []
    if username == "citizen":
        page.goto("/")
        status = _first_link(page, rf"/applications/{UUID}/")
        if status:
            extra.append(status)
    if username == "centre":
        page.goto("/staff/applications/?status=submitted")
        status = _first_link(page, rf"/applications/{UUID}/")
        assert status, "the centre's queue lists a submitted application"
        extra += [status, status.replace("/applications/", "/staff/applications/") + "decide/"]
        extra.append("/staff/applications/new/")
        page.goto("/staff/lists/")
        lst = _first_link(page, rf"/staff/lists/{UUID}/")
        if lst:
            extra.append(lst)
    if username == "chamber":
        page.goto("/staff/groups/")
        group = _first_link(page, rf"/staff/groups/{UUID}/")
        if group:
            extra.append(group)
        page.goto("/staff/tests/")
        session = _first_link(page, rf"/staff/tests/{UUID}/")
        if session:
            extra.append(session)
    if username == "trainer":
        # The group under way: its grid, its second teaching day (two excused absences, one with its
        # document) and that document's page.
        page.goto("/staff/groups/")
        page.locator("main a", has_text="Бастау-0").first.click()
        # ?view=grid: on a phone the page without it goes on to the day view (attendance-phone.js).
        base = page.locator('[data-testid="attendance-link"]').get_attribute("href")
        grid = base + "?view=grid"
        page.goto(grid)
        day = base + page.locator("main thead a[href^='?day=']").nth(1).get_attribute("href")
        page.goto(day)
        extra += [grid, day, page.locator('[data-testid="doc-link"]').first.get_attribute("href")]
        page.goto("/staff/plans/")
        extra.append(_first_link(page, rf"/staff/plans/{UUID}/"))  # the group's business plans
    if username in ("student1", "student2"):
        # A participant writing a business plan: the status page, the editor, and (student1) version 1.
        page.goto("/")
        status = _first_link(page, rf"/applications/{UUID}/")
        page.goto(status)
        plan = _first_link(page, rf"/plans/{UUID}/")
        extra += [status, plan]
        if username == "student1":
            page.goto(plan)
            extra.append(_first_link(page, rf"/plans/versions/{UUID}/"))
    return [url for url in extra if url]


PARTS = 4  # the walk in parts, so the test processes share it


@pytest.mark.parametrize("part", range(PARTS))
@pytest.mark.parametrize("lang", ["kk", "ru"])
def test_every_page_of_every_role_passes_axe_and_fits_the_window(browser, shared_demo, lang, part):
    """Every login seed_demo creates (a quarter of them per part; the visitor in part 0) only reads:
    the demo is seeded once and shared."""
    demo = shared_demo
    started = time.monotonic()
    problems, checked = [], 0
    usernames = demo.usernames[part::PARTS]
    assert usernames, "each part walks at least one role"
    if part == 0:
        # A visitor: the landing page, the login page, the application form.
        for width in WIDTHS:
            context, page = open_context(browser, demo.url, width=width, lang=lang)
            for url in ("/", "/accounts/login/", "/apply/"):
                page.goto(url)
                problems += check_page(page, f"visitor {lang} {width} {url}")
                checked += 1
            context.close()
    for username in usernames:
        # Logged in once per role and language (the login page, the language button); the
        # other width carries on the same session.
        session, urls = None, None
        for width in WIDTHS:
            context, page = open_context(
                browser, demo.url, width=width, lang=lang, username=username, storage_state=session
            )
            if urls is None:  # the same pages at both widths
                page.goto("/")
                urls = list(dict.fromkeys(["/", *_nav_links(page), *_extra_pages(page, username)]))
            for url in urls:
                response = page.goto(url)
                assert response.ok, (username, url, response.status)
                problems += check_page(page, f"{username} {lang} {width} {url}")
                checked += 1
            session = context.storage_state()
            context.close()
    print(f"\n{checked} pages checked in {time.monotonic() - started:.0f} s; axe {TIMES['axe']:.0f} s")
    assert checked >= 2 * len(usernames) * 2
    assert not problems, f"{len(problems)} problems on {checked} pages:\n" + "\n".join(problems)
