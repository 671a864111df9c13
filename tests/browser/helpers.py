"""What every browser test does: open a context as a role, in a language, at a width; check a page."""

import time
from collections import Counter
from pathlib import Path

import axe_playwright_python

from tests.browser.conftest import PASSWORD

TIMES = Counter()
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
WIDTHS = {360: 780, 1280: 900}
# axe-core as bundled by axe-playwright-python (no download), put into a page when it is checked.
AXE_JS = Path(axe_playwright_python.__file__).with_name("axe.min.js").read_text()


AXE_OPTIONS = {"runOnly": {"type": "tag", "values": WCAG_TAGS}, "resultTypes": ["violations"]}


def open_context(browser, base_url, *, width, lang, username=None, storage_state=None, height=None):
    """A fresh context at that width (and the walk's height for it, unless given), logged in through
    the login page, speaking `lang`; or one that carries on an earlier context's session
    (`storage_state`), already logged in and switched."""
    context = browser.new_context(
        viewport={"width": width, "height": height or WIDTHS[width]}, base_url=base_url, storage_state=storage_state
    )
    context.set_default_timeout(15_000)
    page = context.new_page()
    if storage_state is not None:
        return context, page
    page.goto("/")
    if username:
        page.goto("/accounts/login/")
        page.fill("input[name=username]", username)
        page.fill("input[name=password]", PASSWORD)
        page.locator("main form [type=submit]").click()
        page.wait_for_url(lambda url: "/accounts/login/" not in url)
    switch_language(page, lang)
    return context, page


def switch_language(page, lang):
    """Press the top bar's language button (stored on the account of a logged-in user)."""
    if page.locator("html").get_attribute("lang") == lang:
        return
    with page.expect_navigation():
        page.locator(f'button[name="language"][value="{lang}"]').first.click()
    assert page.locator("html").get_attribute("lang") == lang


def check_page(page, label) -> list[str]:
    """Axe's WCAG 2.x A/AA rules and no sideways scrolling of the whole page; the problems found."""
    problems = []
    page.wait_for_load_state("load")  # styles applied before contrast is judged
    t0 = time.monotonic()
    if not page.evaluate("typeof axe !== 'undefined'"):
        page.evaluate(AXE_JS)
    violations = page.evaluate("options => axe.run(document, options).then(r => r.violations)", AXE_OPTIONS)
    TIMES["axe"] += time.monotonic() - t0
    for violation in violations:
        targets = "; ".join(" ".join(node["target"]) for node in violation["nodes"][:3])
        problems.append(f"{label}: axe {violation['id']} ({violation['impact']}): {violation['help']} — {targets}")
    widths = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    if widths[0] > widths[1]:
        wide = page.evaluate(
            """() => [...document.querySelectorAll('body *')]
                 .filter(e => e.getBoundingClientRect().right > window.innerWidth + 1)
                 .slice(-3).map(e => e.tagName.toLowerCase() + (e.id ? '#' + e.id : '') +
                   (e.className && typeof e.className === 'string' ? '.' + e.className.split(' ').join('.') : ''))"""
        )
        problems.append(f"{label}: page {widths[0]} px wide in a {widths[1]} px window ({', '.join(wide)})")
    return problems
