"""The business plan's editor in a real browser: typing is saved by itself, text typed with the
connection down is kept on the device and sent when it returns, a stale tab cannot overwrite a newer
text, and the PDF is made and offered; then screenshots of the editor and of a version with the
trainer's comments (desktop, Russian: the demo plan of ``student1`` is in Russian), with axe-core's
WCAG checks on both pages and on the editor at 360 px. Not a pytest test;
run it like scripts/screenshots.py against a server with the demo data:

    .venv/bin/python scripts/plan_autosave.py [BASE_URL] [--out DIR]
"""

import argparse
import sys
from pathlib import Path

from playwright.sync_api import expect, sync_playwright

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.browser.conftest import CHROMIUM_ARGS  # noqa: E402 - the browser tests' set-up
from tests.browser.helpers import check_page, open_context  # noqa: E402


def type_at_end(page, field, text: str) -> None:
    """Type at the end of a field's text, as a person would."""
    field.focus()
    page.keyboard.press("Control+End")
    page.keyboard.type(text, delay=10)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("base", nargs="?", default="http://127.0.0.1:8077")
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    parser.add_argument("--chromium", default="/usr/bin/chromium")
    args = parser.parse_args()
    failures = []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=args.chromium, args=CHROMIUM_ARGS)
        context, page = open_context(browser, args.base, width=1280, lang="ru", username="student1")
        errors = []
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.goto("/")
        page.locator("main a[href^='/applications/']").first.click()
        page.locator("[data-testid=plan-link]").click()
        editor_url = page.url
        # The demo's plan as it is: the editor, then version 1 with the trainer's comments and its PDF,
        # made by the worker while the page polls (htmx).
        page.screenshot(path=str(args.out / "business-plan-ru-1280.png"), full_page=True)
        failures += check_page(page, "editor")
        page.locator("[data-testid=version] a").first.click()
        failures += check_page(page, "version")
        page.locator("[data-testid=pdf-request]").click()
        expect(page.locator("[data-testid=pdf-download]")).to_be_visible(timeout=60_000)
        page.screenshot(path=str(args.out / "business-plan-version-ru-1280.png"), full_page=True)
        # At 360 px too (a participant writes on a phone): no sideways scrolling, axe's rules kept.
        phone = context.new_page()
        phone.set_viewport_size({"width": 360, "height": 780})
        phone.goto(editor_url)
        failures += check_page(phone, "editor at 360 px")
        phone.close()
        page.goto(editor_url)
        state = page.locator("[data-testid=save-state]")
        risks = page.locator("#id-section-risks")

        # Online: typing is saved by itself.
        type_at_end(page, risks, " Рост аренды: договор на 3 года.")
        expect(state).to_have_attribute("data-state", "saved", timeout=10_000)
        print("online:", state.inner_text())

        # Offline: kept on this device, shown as such, sent when the connection is back.
        context.set_offline(True)
        type_at_end(page, risks, " Без связи.")
        expect(state).to_have_attribute("data-state", "offline", timeout=10_000)
        kept = page.evaluate("Object.keys(localStorage).filter(k => k.startsWith('bastau.plan.')).length")
        print("offline:", state.inner_text(), "| copies kept:", kept)
        if kept != 1:
            failures.append("the offline text is not kept in localStorage")
        context.set_offline(False)
        page.evaluate("window.dispatchEvent(new Event('online'))")
        expect(state).to_have_attribute("data-state", "saved", timeout=15_000)
        page.goto(editor_url)
        text = page.locator("#id-section-risks").input_value()
        print("after reload:", text[-40:])
        if "Без связи." not in text or "договор на 3 года" not in text:
            failures.append("the text typed offline did not reach the server")
        if page.evaluate("Object.keys(localStorage).filter(k => k.startsWith('bastau.plan.')).length") != 0:
            failures.append("a copy is still kept after it was saved")

        # The financial table: a wrong amount is told on its field; the figures come from the server.
        amount = page.locator("input[name=own_funds]")
        amount.fill("800 000,5")
        expect(page.locator("#err-own_funds")).not_to_be_empty(timeout=10_000)
        print("wrong amount:", page.locator("#err-own_funds").inner_text())
        amount.fill("800 000")
        expect(state).to_have_attribute("data-state", "saved", timeout=10_000)
        print("loan needed:", page.locator("[data-testid=loan-need]").inner_text())

        # A stale tab: a second page saves first; the first one's next save is refused, its text kept.
        second = context.new_page()
        second.goto(editor_url)
        type_at_end(second, second.locator("#id-section-staff"), " Второй продавец летом.")
        expect(second.locator("[data-testid=save-state]")).to_have_attribute("data-state", "saved", timeout=10_000)
        type_at_end(page, page.locator("#id-section-staff"), " Старая вкладка.")
        expect(state).to_have_attribute("data-state", "stale", timeout=10_000)
        print("stale tab:", state.inner_text())
        second.close()
        page.goto(editor_url)
        staff = page.locator("#id-section-staff").input_value()
        if "Старая вкладка." in staff or "Второй продавец летом." not in staff:
            failures.append(f"the stale tab overwrote the newer text: {staff!r}")
        if not page.locator("[data-testid=local-copy]").is_visible():
            failures.append("the stale tab's text is not offered back")
        page.locator("#plan-drop-local").click()

        print("page errors:", errors)
        if errors:
            failures.append("errors on the page")
        browser.close()
    for failure in failures:
        print("FAILED:", failure)
    return 1 if failures else 0


if __name__ == "__main__":
    raise SystemExit(main())
