"""In a real browser: irreversible actions ask first on a page that says what happens and to whom
(core/confirm.py); "No" keeps everything as it was, "Yes" acts; the page passes axe."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.helpers import check_page, open_context

pytestmark = pytest.mark.browser


def test_the_lender_approves_a_loan_through_the_confirmation(browser, demo):
    context, page = open_context(browser, demo.url, width=1280, lang="kk", username="lender_acc")
    page.goto("/lender/referrals/")
    row = page.locator('[data-testid="inbox-row"]').first
    name = row.locator("a").inner_text()
    row.locator("a").click()
    decide_url = page.url
    # The frozen business plan is one link away.
    page.locator('[data-testid="referral-plan"]').click()
    expect(page.locator('[data-testid="frozen-badge"]')).to_be_visible()
    page.go_back()
    page.locator('[data-testid="approve-form"] button[name="approve"]').click()
    page.wait_for_load_state()
    title = page.locator('[data-testid="confirm-title"]').inner_text()
    assert name in title and "₸" in title, title
    expect(page.locator('[data-testid="cannot-undo"]')).to_be_visible()
    assert not check_page(page, "loan approval confirmation kk")
    # "No": back to the referral, still open.
    page.locator('[data-testid="confirm-no"]').click()
    page.wait_for_url(decide_url)
    expect(page.locator('[data-testid="approve-form"]')).to_be_visible()
    # Again, and "Yes": the loan is approved.
    page.locator('[data-testid="approve-form"] button[name="approve"]').click()
    page.locator('[data-testid="confirm-yes"]').click()
    page.wait_for_url(re.compile(r"/lender/referrals/$"))
    page.goto(decide_url)
    expect(page.locator('[data-testid="decided"]')).to_be_visible()
    expect(page.locator('[data-testid="referral-approved"]')).to_be_visible()
    context.close()


def test_the_secretary_expels_through_the_confirmation(browser, demo):
    context, page = open_context(browser, demo.url, width=360, lang="ru", username="commission_secretary")
    page.goto("/commission/")
    case = page.locator('[data-testid="case"] a').first
    name = case.inner_text()
    case.click()
    case_url = page.url
    page.locator('input[name="decision"][value="expel"]').check()
    page.fill("textarea[name=reason]", "Четыре дня пропуска без причины")
    page.locator("main form [type=submit]").click()
    page.wait_for_load_state()
    assert name in page.locator('[data-testid="confirm-title"]').inner_text()
    assert "Четыре дня пропуска без причины" in page.locator('[data-testid="cannot-undo"]').inner_text()
    assert not check_page(page, "expulsion confirmation ru")
    page.locator('[data-testid="confirm-no"]').click()
    page.wait_for_url(case_url)
    assert page.locator('[data-testid="decision"]').count() == 0  # nothing decided
    page.locator('input[name="decision"][value="expel"]').check()
    page.fill("textarea[name=reason]", "Четыре дня пропуска без причины")
    page.locator("main form [type=submit]").click()
    page.locator('[data-testid="confirm-yes"]').click()
    page.wait_for_url(case_url)
    expect(page.locator('[data-testid="decision"]')).to_be_visible()
    context.close()
