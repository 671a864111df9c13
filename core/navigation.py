"""The navigation each role sees. Pages add themselves here as they are built."""

from dataclasses import dataclass

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from accounts.models import STAFF_ROLES, Role


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    roles: frozenset[str]


_INTAKE = frozenset({Role.EMPLOYMENT_CENTRE, Role.AKIMAT, Role.CHAMBER})

NAV_ITEMS = [
    NavItem(_("Home"), "core:home", frozenset(Role.values)),
    NavItem(_("Apply"), "applications:apply", frozenset({Role.CITIZEN})),
    NavItem(_("Applications"), "applications:queue", _INTAKE | {Role.ANALYST, Role.ADMIN}),
    NavItem(
        _("Lists for the Chamber"),
        "applications:lists",
        frozenset({Role.EMPLOYMENT_CENTRE, Role.CHAMBER, Role.ANALYST, Role.ADMIN}),
    ),
    NavItem(_("Import"), "applications:import", _INTAKE),
    NavItem(_("Aptitude tests"), "aptitude:sessions", frozenset({Role.CHAMBER, Role.ANALYST, Role.ADMIN})),
    NavItem(_("Training groups"), "training:groups", frozenset({Role.CHAMBER, Role.TRAINER, Role.ANALYST, Role.ADMIN})),
    NavItem(_("Colleagues"), "accounts:colleagues", STAFF_ROLES),
]


def items_for(user, current_path: str) -> list[dict]:
    if not user.is_authenticated:
        return []
    role = Role.ADMIN if user.is_superuser else user.role
    items = []
    for item in NAV_ITEMS:
        if role in item.roles:
            url = reverse(item.url_name)
            items.append({"label": item.label, "url": url, "active": current_path == url})
    return items
