"""Screenshots of the pages citizens and clerks use most, in Kazakh and Russian, at 360 and 1280 px.

Against a running portal with the demo data (``manage.py seed_demo``), with the same Playwright
set-up as the browser tests (tests/browser/): Debian's Chromium, never one downloaded by
``playwright install``. For each language (kk, ru) and width (360, 1280) it saves:

* ``home-citizen-<lang>-<width>.png``: the demo citizen's home page (the next-step card first);
* ``status-<lang>-<width>.png``: the citizen's status page (next step, timeline, test card);
* ``apply-<lang>-<width>.png``: the application form, as a visitor;
* ``apply-errors-<lang>-<width>.png``: the same form sent with mistakes (the error summary);
* ``queue-<lang>-<width>.png``: the employment centre's queue (login ``centre``);
* ``decide-<lang>-<width>.png``: the centre's decision page for the oldest waiting application;
* ``attendance-grid-<lang>-1280.png``: the trainer's attendance grid of the demo group under way
  (login ``trainer``, group Бастау-0), the whole course at desktop width;
* ``attendance-day-<lang>-360.png``: the same group's day view on a phone, on its second teaching day
  (two excused absences, one with its document attached).
* ``reports-<lang>-<width>.png``: the programme dashboard of the national analyst (login ``analyst``);
* ``reports-district-<lang>-<width>.png``: the same, drilled down to a district (its groups).
* ``commission-queue-<lang>-1280.png``: the commission secretary's queue (login ``commission_secretary``);
* ``commission-scoring-<lang>-<width>.png``: the defence session of group Бастау-Қ on the day, as the
  secretary scores it (one member has scored; the others' scores stay hidden).

It changes nothing but the language stored on the ``citizen``, ``centre`` and ``trainer`` accounts.

How to run it::

    apt-get install -y chromium                      # /usr/bin/chromium
    ./scripts/setup.sh                               # Playwright is in requirements.txt
    export DEBUG=1 DATABASE_URL=sqlite:////tmp/shots.sqlite3
    .venv/bin/python manage.py migrate -v0 && .venv/bin/python manage.py seed_demo
    .venv/bin/python manage.py runserver 127.0.0.1:8077 --noreload &
    .venv/bin/python scripts/screenshots.py [BASE_URL]   # default http://127.0.0.1:8077

Options: ``--out DIR`` (default docs/screenshots), ``--chromium PATH`` (default /usr/bin/chromium).
"""

import argparse
import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.browser.conftest import CHROMIUM_ARGS  # noqa: E402 - the browser tests' set-up
from tests.browser.helpers import WIDTHS, open_context  # noqa: E402


def shot(page, out: Path, name: str) -> None:
    page.wait_for_load_state("load")
    path = out / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    print(f"  {path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}")


def attendance(browser, args, lang: str) -> None:
    """The trainer's grid of the group under way at 1280 px, and its second teaching day at 360 px."""
    context, page = open_context(browser, args.base, width=1280, lang=lang, username="trainer")
    page.goto("/staff/groups/")
    page.locator("main a", has_text="Бастау-0").first.click()
    page.locator('[data-testid="attendance-link"]').click()
    page.wait_for_url("**/attendance/")
    grid = page.url
    shot(page, args.out, f"attendance-grid-{lang}-1280")
    day = page.locator("main thead a[href^='?day=']").nth(1).get_attribute("href")
    session = context.storage_state()
    context.close()
    context, page = open_context(browser, args.base, width=360, lang=lang, storage_state=session)
    page.goto(grid + day)
    shot(page, args.out, f"attendance-day-{lang}-360")
    context.close()


def commission(browser, args, lang: str) -> None:
    """The secretary's queue, then the session of the group defending today with its scoring forms."""
    for width in WIDTHS:
        context, page = open_context(browser, args.base, width=width, lang=lang, username="commission_secretary")
        page.goto("/commission/")
        if width == 1280:
            shot(page, args.out, f"commission-queue-{lang}-1280")
        page.locator("main a[href^='/commission/sessions/']", has_text="Бастау-Қ").first.click()
        page.wait_for_url("**/commission/sessions/**")
        shot(page, args.out, f"commission-scoring-{lang}-{width}")
        context.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("base", nargs="?", default="http://127.0.0.1:8077")
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    parser.add_argument("--chromium", default="/usr/bin/chromium")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=args.chromium, args=CHROMIUM_ARGS)
        for lang in ("kk", "ru"):
            for width in WIDTHS:
                suffix = f"{lang}-{width}"
                context, page = open_context(browser, args.base, width=width, lang=lang, username="citizen")
                page.goto("/")
                shot(page, args.out, f"home-citizen-{suffix}")
                page.locator("main a[href^='/applications/']").first.click()
                shot(page, args.out, f"status-{suffix}")
                context.close()

                context, page = open_context(browser, args.base, width=width, lang=lang)
                page.goto("/apply/")
                shot(page, args.out, f"apply-{suffix}")
                page.fill("#id_iin", "791028302729")  # a wrong check digit
                page.fill("#id_password1", "short")
                page.fill("#id_password2", "different")
                page.locator("main form[novalidate] [type=submit]").click()
                page.wait_for_load_state("load")
                page.evaluate("window.scrollTo(0, 0)")
                shot(page, args.out, f"apply-errors-{suffix}")
                context.close()

                context, page = open_context(browser, args.base, width=width, lang=lang, username="centre")
                page.goto("/staff/applications/")
                shot(page, args.out, f"queue-{suffix}")
                status = page.locator("main table a[href^='/applications/']").first.get_attribute("href")
                page.goto(status.replace("/applications/", "/staff/applications/") + "decide/")
                shot(page, args.out, f"decide-{suffix}")
                context.close()

                context, page = open_context(browser, args.base, width=width, lang=lang, username="analyst")
                page.goto("/staff/reports/")
                shot(page, args.out, f"reports-{suffix}")
                for _level in ("region", "district"):
                    page.goto(
                        "/staff/reports/" + page.locator("[data-testid=area-table-row] a").first.get_attribute("href")
                    )
                shot(page, args.out, f"reports-district-{suffix}")
                context.close()
            attendance(browser, args, lang)
            commission(browser, args, lang)
        browser.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
