"""Walk the application flow in a headless browser and save screenshots in Kazakh and Russian.

What it does, against a running portal with the demo data (``manage.py seed_demo``):

* the public application form as a visitor, in kk (desktop and phone width) and ru;
* the form in ru submitted with a mistyped IIN and an under-age date of birth (errors on fields);
* the form in ru submitted with a valid IIN but an under-age date of birth (the age refusal);
* the form in ru filled in properly and submitted: it must land on the new application's
  status page, which is saved as status-ru.png;
* the employment centre's queue (login ``centre``) in kk and ru;
* the demo citizen's status page (login ``citizen``, reached from the home page) in kk;
* the same citizen's online aptitude test, three answers given (test-kk.png, test-ru.png);
* the Chamber branch's first training group with its schedule (group-schedule-kk/ru.png).

Files go to docs/screenshots/ (apply-kk.png, apply-ru.png, apply-mobile-kk.png,
apply-errors-ru.png, apply-errors-age-ru.png, queue-kk.png, queue-ru.png, status-kk.png,
status-ru.png). The script changes data: it creates one new applicant and account per run (a
random IIN serial and phone number, so it can be run again), and it stores the chosen language
on the ``centre`` and ``citizen`` accounts. Run it against a throw-away database.

How to run it (Playwright lives in its own venv, the project's requirements are untouched; the
browser is Debian's Chromium, never one downloaded by ``playwright install``)::

    apt-get install -y chromium                      # /usr/bin/chromium
    python3.12 -m venv /tmp/shots && /tmp/shots/bin/pip install playwright

    export DEBUG=1 DATABASE_URL=sqlite:////tmp/shots.sqlite3
    .venv/bin/python manage.py migrate -v0 && .venv/bin/python manage.py seed_demo
    .venv/bin/python manage.py runserver 127.0.0.1:8077 --noreload &

    /tmp/shots/bin/python scripts/screenshots.py [BASE_URL]   # default http://127.0.0.1:8077

Options: ``--out DIR`` (default docs/screenshots next to this script's project),
``--chromium PATH`` (default /usr/bin/chromium).
"""

import argparse
import datetime
import random
import re
import sys
from pathlib import Path
from zoneinfo import ZoneInfo

from playwright.sync_api import Page, expect, sync_playwright

PASSWORD = "bastau-demo-2026"  # noqa: S105 - the public demo password from the README
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
BAD_IIN = "791028302729"  # wrong check digit


def make_iin(birth_date: datetime.date, sex: str, serial: int = 1) -> str:
    """A valid IIN (same algorithm as applications.iin.make_iin, kept here so no Django is needed)."""
    w1, w2 = tuple(range(1, 12)), (3, 4, 5, 6, 7, 8, 9, 10, 11, 1, 2)
    century_digit = {1800: 1, 1900: 3, 2000: 5}[birth_date.year // 100 * 100] + (sex == "F")
    while True:
        body = f"{birth_date:%y%m%d}{century_digit}{serial:04d}"
        digits = [int(c) for c in body]
        for weights in (w1, w2):
            remainder = sum(d * w for d, w in zip(digits, weights, strict=True)) % 11
            if remainder != 10:
                return body + str(remainder)
        serial += 1


def set_language(page: Page, code: str) -> None:
    """Press the top bar's language button and wait for the page to come back in that language."""
    page.locator(f'button[name="language"][value="{code}"]').first.click()
    page.wait_for_load_state("networkidle")
    expect(page.locator("html")).to_have_attribute("lang", code)


def log_in(page: Page, base: str, username: str) -> None:
    page.goto(f"{base}/accounts/login/")
    page.fill('input[name="username"]', username)
    page.fill('input[name="password"]', PASSWORD)
    page.locator('form:has(input[name="password"]) [type="submit"]').click()
    page.wait_for_load_state("networkidle")
    if "/accounts/login/" in page.url:
        raise SystemExit(f"login as {username} failed: still on {page.url}")


def watch(page: Page) -> None:
    """Print what a person would not see but should not happen: script errors, CSP refusals, 4xx/5xx."""
    page.on("pageerror", lambda exc: print(f"PAGE ERROR on {page.url}: {exc}"))
    page.on(
        "console",
        lambda msg: msg.type in ("error", "warning") and print(f"CONSOLE {msg.type} on {page.url}: {msg.text}"),
    )
    page.on("response", lambda r: r.status >= 400 and print(f"HTTP {r.status} {r.request.method} {r.url}"))


def new_page(browser, *, language: str, viewport: dict = DESKTOP, **kwargs) -> Page:
    """A fresh visitor whose browser is set to the language (native date inputs follow it)."""
    locale = {"kk": "kk-KZ", "ru": "ru-RU"}.get(language, "en-US")
    ctx = browser.new_context(viewport=viewport, locale=locale, timezone_id="Asia/Almaty", **kwargs)
    page = ctx.new_page()
    watch(page)
    return page


def shot(page: Page, out: Path, name: str) -> None:
    path = out / name
    page.screenshot(path=str(path), full_page=True)
    print(f"wrote {path}")


def pick_region_and_district(page: Page, region_value: str = "2", district: str = "Целиноград") -> None:
    """Choose the region (Akmola), wait for htmx to bring its districts, choose Tselinograd's.

    Tselinograd is the demo ``centre`` account's district, so the new application shows in its queue.
    """
    with page.expect_response(lambda r: "/geo/districts/" in r.url):
        page.select_option("#id_region", region_value)
    expect(page.locator("#id_district option")).not_to_have_count(1)
    option = page.locator("#id_district option", has_text=district).first
    page.select_option("#id_district", option.get_attribute("value"))


def fill_application(page: Page, *, iin: str, birth_date: str | None, phone: str, password: str) -> None:
    page.fill("#id_iin", iin)
    page.fill("#id_last_name", "Сәрсенбаева")
    page.fill("#id_first_name", "Айгүл")
    page.fill("#id_patronymic", "Маратқызы")
    if birth_date:
        page.fill("#id_birth_date", birth_date)
        page.dispatch_event("#id_birth_date", "change")
    page.select_option("#id_sex", "F")
    page.fill("#id_phone", phone)
    page.fill("#id_email", "")
    pick_region_and_district(page)
    page.select_option("#id_employment_status", "unemployed")
    page.select_option("#id_education", "higher")
    page.select_option("#id_sector", "services")
    page.fill("#id_business_idea", "Открыть мастерскую по пошиву одежды в посёлке Косшы для жителей района.")
    page.fill("#id_password1", password)
    page.fill("#id_password2", password)
    page.check("#id_is_citizen_confirmed")
    page.check("#id_consent")


def submit_application(page: Page) -> None:
    page.locator('main form[method="post"] button[type="submit"]').last.click()
    page.wait_for_load_state("networkidle")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("base", nargs="?", default="http://127.0.0.1:8077")
    parser.add_argument("--out", default=str(Path(__file__).resolve().parent.parent / "docs" / "screenshots"))
    parser.add_argument("--chromium", default="/usr/bin/chromium")
    args = parser.parse_args()
    base = args.base.rstrip("/")
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)

    rng = random.SystemRandom()
    today = datetime.datetime.now(tz=ZoneInfo("Asia/Almaty")).date()  # the portal's TIME_ZONE
    under_age = (today - datetime.timedelta(days=16 * 365)).isoformat()  # 16 years old
    new_iin = make_iin(datetime.date(1990, 5, 17), "F", rng.randint(1000, 9999))
    new_phone = f"+7 701 {rng.randint(100, 999)} {rng.randint(10, 99)} {rng.randint(10, 99)}"
    new_password = "Bastau-shots-" + str(rng.randint(10000, 99999))

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=args.chromium, args=CHROMIUM_ARGS, headless=True)
        try:
            # 1. The form as a visitor, in Kazakh: desktop and phone width.
            page = new_page(browser, language="kk")
            page.goto(f"{base}/apply/")
            set_language(page, "kk")
            shot(page, out, "apply-kk.png")
            page.context.close()

            page = new_page(
                browser, language="kk", viewport=PHONE, is_mobile=True, has_touch=True, device_scale_factor=2
            )
            page.goto(f"{base}/apply/")
            page.locator(".navbar-toggler").click()  # the language buttons live in the collapsed menu
            set_language(page, "kk")
            scroll_width = page.evaluate("document.documentElement.scrollWidth")
            if scroll_width > PHONE["width"]:
                print(f"WARNING: the phone-width form scrolls sideways ({scroll_width}px wide)")
            shot(page, out, "apply-mobile-kk.png")
            page.context.close()

            # 2. The form in Russian: empty, with errors, then filled in and submitted.
            page = new_page(browser, language="ru")
            page.goto(f"{base}/apply/")
            set_language(page, "ru")
            shot(page, out, "apply-ru.png")

            fill_application(page, iin=BAD_IIN, birth_date=under_age, phone=new_phone, password=new_password)
            submit_application(page)
            expect(page.locator(".invalid-feedback, .is-invalid").first).to_be_visible()
            shot(page, out, "apply-errors-ru.png")

            page.goto(f"{base}/apply/")
            fill_application(page, iin=new_iin, birth_date=under_age, phone=new_phone, password=new_password)
            submit_application(page)
            shot(page, out, "apply-errors-age-ru.png")

            page.goto(f"{base}/apply/")
            fill_application(page, iin=new_iin, birth_date=None, phone=new_phone, password=new_password)
            expect(page.locator("#id_birth_date")).to_have_value("1990-05-17")  # pre-filled from the IIN
            submit_application(page)
            if not re.search(r"/applications/[0-9a-f-]{36}/$", page.url):
                shot(page, out, "apply-submit-failed-ru.png")
                raise SystemExit(f"the valid application did not reach a status page: {page.url}")
            number = page.locator("h1").inner_text()
            if not re.search(r"\d{2}-\d{7}", number):
                raise SystemExit(f"no application number on the status page: {number!r}")
            print(f"submitted {new_iin} / {new_phone}: {number} at {page.url}")
            shot(page, out, "status-ru.png")
            page.context.close()

            # 3. The employment centre's queue (the new application is in it: same district).
            page = new_page(browser, language="ru")
            log_in(page, base, "centre")
            page.goto(f"{base}/staff/applications/")
            set_language(page, "kk")
            shot(page, out, "queue-kk.png")
            set_language(page, "ru")
            shot(page, out, "queue-ru.png")
            page.context.close()

            # 4. The demo citizen's status page in Kazakh, from the home page's link.
            page = new_page(browser, language="kk")
            log_in(page, base, "citizen")
            page.goto(f"{base}/")
            set_language(page, "kk")
            page.locator('[data-testid="my-application"] a').first.click()
            page.wait_for_load_state("networkidle")
            shot(page, out, "status-kk.png")

            # 5. The same citizen takes the online aptitude test: answers are saved as they go.
            page.locator('a[href^="/test/"]').first.click()
            page.wait_for_load_state("networkidle")
            if page.locator('form[action$="/start/"]').count():
                page.locator('form[action$="/start/"] [type="submit"]').click()
                page.wait_for_load_state("networkidle")
            for question in page.locator('[data-testid="question"]').all()[:3]:
                question.locator("input").first.check()
                expect(question.locator('[aria-live="polite"] .text-success')).to_be_visible()
            shot(page, out, "test-kk.png")
            set_language(page, "ru")
            shot(page, out, "test-ru.png")
            page.context.close()

            # 6. The Chamber branch's group page: members, trainer, the schedule of teaching days.
            page = new_page(browser, language="kk")
            log_in(page, base, "chamber")
            page.goto(f"{base}/staff/groups/")
            set_language(page, "kk")
            page.locator('[data-testid="group-row"] a').first.click()
            page.wait_for_load_state("networkidle")
            shot(page, out, "group-schedule-kk.png")
            set_language(page, "ru")
            shot(page, out, "group-schedule-ru.png")
            page.context.close()
        finally:
            browser.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
