"""In a real browser: the error summary takes the focus and its links reach the fields; the next
step is in the first screen of a phone; withdrawing and submitting the test ask first."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.helpers import check_page, open_context

pytestmark = pytest.mark.browser
STATUS = re.compile(r"/applications/[0-9a-f-]{36}/$")


def _focused_id(page) -> str:
    return page.evaluate("document.activeElement && document.activeElement.id")


@pytest.mark.parametrize("lang", ["kk", "ru"])
def test_the_error_summary_takes_the_focus_and_its_links_go_to_the_fields(browser, shared_demo, lang):
    """Only reads the demo (the form is refused): the shared one."""
    context, page = open_context(browser, shared_demo.url, width=360, lang=lang)
    page.goto("/apply/")
    page.fill("#id_password1", "short")
    page.fill("#id_password2", "different")
    page.locator('main form[novalidate] [type="submit"]').click()
    page.wait_for_load_state()

    summary = page.locator("#error-summary")
    expect(summary).to_be_visible()
    assert _focused_id(page) == "error-summary"
    box = summary.bounding_box()
    assert box["y"] < 780, "the summary is in the first screen"
    hrefs = summary.locator("a").evaluate_all("links => links.map(a => a.getAttribute('href'))")
    assert {"#id_iin", "#id_consent", "#id_password1", "#id_password2"} <= set(hrefs)
    for href in hrefs:  # every link has a field to go to
        assert page.locator(href).count() == 1, href
    page.locator('#error-summary a[href="#id_consent"]').click()
    assert _focused_id(page) == "id_consent"
    expect(page.locator("#id_consent")).to_be_visible()
    expect(page.locator('[data-testid="password-emptied"]')).to_be_visible()
    assert not check_page(page, f"apply with errors {lang}")
    context.close()


def test_the_citizen_sees_the_next_step_first_and_the_test_asks_before_it_is_submitted(browser, demo):
    context, page = open_context(browser, demo.url, width=360, lang="kk", username="citizen")
    for url in ("/", page.locator("main a[href^='/applications/']").first.get_attribute("href")):
        page.goto(url)
        card = page.locator('[data-testid="next-step"]').first
        button = card.locator("a.btn")
        box = button.bounding_box()
        assert box["y"] + box["height"] <= 780, f"the next step's button is in the first screen of {url}"
    # Withdrawing asks first, and "No" keeps the application.
    page.locator("a[href$='/withdraw/']").click()
    expect(page.locator('[data-testid="cannot-undo"]')).to_be_visible()
    assert not check_page(page, "withdraw confirmation")
    page.locator("main form a.btn").click()
    page.wait_for_url(STATUS)
    # The next step is the online test: take it, answer one question, submit: it asks first.
    page.locator('[data-testid="next-step"] a.btn').click()
    page.locator("main form [type=submit]").click()  # start the test
    page.locator("[data-testid=question] input").first.check()
    page.wait_for_timeout(300)  # the answer is saved as it is given (htmx)
    page.locator("#test-form [type=submit]").click()
    answered = page.locator('[data-testid="answered"]')
    assert set(re.findall(r"\d+", answered.inner_text())) == {"1", "20"}, answered.inner_text()
    assert not check_page(page, "test confirmation")
    page.locator("main form [type=submit]").click()  # yes, submit
    page.wait_for_url(STATUS)
    assert page.locator('[data-testid="test-card"]').inner_text().count("%") == 1  # the score is shown
    context.close()


def test_a_clerk_withdraws_an_application_through_the_confirmation(browser, demo):
    context, page = open_context(browser, demo.url, width=1280, lang="ru", username="centre")
    page.goto("/staff/applications/?status=submitted")
    page.locator("main table a[href^='/applications/']").first.click()
    page.locator("a[href$='/withdraw/']").click()
    expect(page.locator('[data-testid="cannot-undo"]')).to_be_visible()
    assert "/withdraw/" in page.url
    page.fill("#id_reason", "Переехал")
    page.locator("main form button.btn-danger").click()
    page.wait_for_url(STATUS)
    assert page.locator('[data-testid="status"]').inner_text() == "Отозвано"
    context.close()
