"""The navigation each user sees: a link shows when the policy allows its page's action
(accounts/policy.py), the same rule the page and its services check."""

from dataclasses import dataclass

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from accounts import policy


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    action: str | None  # None: every logged-in user


NAV_ITEMS = [
    NavItem(_("Home"), "portal:home", None),
    NavItem(_("Apply"), "applications:apply", "applications.apply_online"),
    NavItem(_("Applications"), "applications:queue", "applications.view_queue"),
    NavItem(_("Lists for the Chamber"), "applications:lists", "applications.view_lists"),
    NavItem(_("Import"), "applications:import", "applications.import"),
    NavItem(_("Aptitude tests"), "aptitude:sessions", "aptitude.view_sessions"),
    NavItem(_("Training groups"), "training:groups", "training.view_groups"),
    NavItem(_("Programme figures"), "reports:dashboard", "reports.view_dashboard"),
    # One short item for the Chamber's loans; its follow-ups are a tab of that page (the bar is full at 1280 px).
    NavItem(_("Loans"), "financing:referrals", "financing.view_referrals"),
    NavItem(_("Referrals to us"), "financing:inbox", "financing.view_inbox"),
    NavItem(_("Commission"), "commissions:queue", "commissions.view_queue"),
    NavItem(pgettext_lazy("navigation, short", "Business plans"), "plans:groups", "plans.review_any"),
    NavItem(_("Certificates"), "certificates:groups", "certificates.view"),
    NavItem(_("Colleagues"), "accounts:colleagues", "accounts.view_colleagues"),
]


# A role with more links than this sees the rest under "More" (a dropdown), so the bar keeps to one row
# at desktop width in Kazakh and Russian (tests/browser/test_pages.py measures it at 1280 px).
MAX_IN_BAR = 6


def items_for(user, current_path: str) -> list[dict]:
    if not user.is_authenticated:
        return []
    items = []
    for item in NAV_ITEMS:
        if item.action is None or policy.can(user, item.action):
            url = reverse(item.url_name)
            items.append({"label": item.label, "url": url, "active": current_path == url})
    return items


def split_for_bar(items: list[dict]) -> tuple[list[dict], list[dict]]:
    """The links shown in the bar, and those under "More" (none when all fit)."""
    if len(items) <= MAX_IN_BAR + 1:
        return items, []
    return items[:MAX_IN_BAR], items[MAX_IN_BAR:]
