"""Who may do what: one named rule per action, checked by the service that does it.

Each app declares its actions in its own `policy.py` (loaded by its AppConfig.ready()):

    policy.declare("applications.decide", is_centre & in_own_district, _("Only the district's ..."))

and its services call `policy.require(actor, "applications.decide", application)` before they
change anything. Views, templates' `can_*` flags, the navigation and the API ask the same
question with `policy.can(user, action, obj)`, so a rule is written once. Reading is a separate
question, answered by `Model.objects.visible_to(user)` (accounts/scoping.py).

The rules are django-rules predicates in a RuleSet of our own rather than Django permissions:
`user.has_perm()` says yes to every superuser, and nobody, not even an administrator, may take a
citizen's test for them. Administrators get what a rule grants them by name (`is_admin`).
"""

import rules
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy as _

from accounts.models import STAFF_ROLES, Role
from accounts.scoping import Scope, scope_for
from core.errors import Refused

POLICY = rules.RuleSet()
_MESSAGES: dict[str, str] = {}


def declare(action: str, predicate, message) -> None:
    """Register the rule of one action and the message a refused actor reads."""
    POLICY.set_rule(action, predicate)
    _MESSAGES[action] = message


def can(user, action: str, obj=None) -> bool:
    """True when the user may do the action (to the object, when the action is about one)."""
    if user is None or not POLICY.rule_exists(action):
        return False
    return POLICY.test_rule(action, user, obj)


def require(user, action: str, obj=None) -> None:
    """Raise Refused, with the action's message, unless the user may do it."""
    if not POLICY.rule_exists(action):
        raise LookupError(f"No policy rule is declared for {action!r}")
    if not can(user, action, obj):
        raise Refused(_MESSAGES.get(action) or _("You may not do this."), code=action)


def actions() -> list[str]:
    return sorted(POLICY)


# --- Building blocks ----------------------------------------------------------------------------


def _scope(user) -> Scope | None:
    try:
        return scope_for(user)
    except PermissionDenied:  # staff without an (active) organisation: no area, no rights
        return None


def area_of(obj) -> tuple[int | None, int | None]:
    """(district id, region id) of anything placed in the country: a district, or a row naming one."""
    from geography.models import District

    if isinstance(obj, District):
        return obj.pk, obj.region_id
    district_id = getattr(obj, "district_id", None)
    region_id = getattr(obj, "region_id", None)
    if region_id is None and district_id is not None:
        region_id = obj.district.region_id
    return district_id, region_id


def has_role(*roles: str):
    """The user is active, has one of the roles and (staff) works for an active organisation."""
    wanted = frozenset(roles)

    @rules.predicate(name=f"has_role({','.join(sorted(wanted))})")
    def _has_role(user) -> bool:
        if not getattr(user, "is_authenticated", False) or not user.is_active or user.role not in wanted:
            return False
        if user.role == Role.CITIZEN:
            return True
        return _scope(user) not in (None, Scope())

    return _has_role


@rules.predicate
def is_admin(user) -> bool:
    """A superuser or an account with the administrator role (national)."""
    return bool(getattr(user, "is_authenticated", False) and user.is_active) and (
        user.is_superuser or user.role == Role.ADMIN
    )


is_citizen = has_role(Role.CITIZEN)


@rules.predicate
def is_anonymous(user) -> bool:
    return not getattr(user, "is_authenticated", False)


@rules.predicate
def works_in_a_district(user) -> bool:
    """Staff of a district office (not a regional or national one)."""
    scope = _scope(user)
    return bool(scope and scope.district_id)


@rules.predicate
def in_own_district(user, obj) -> bool:
    """The object is in the district the user's office serves."""
    scope = _scope(user)
    if obj is None or not scope or not scope.district_id:
        return False
    return area_of(obj)[0] == scope.district_id


@rules.predicate
def in_area(user, obj) -> bool:
    """The object is in the user's area: their district, their region, or anywhere for national staff."""
    scope = _scope(user)
    if obj is None or not scope:
        return False
    if scope.national:
        return True
    district_id, region_id = area_of(obj)
    if scope.district_id:
        return district_id == scope.district_id
    return region_id is not None and region_id == scope.region_id


declare("accounts.view_colleagues", has_role(*STAFF_ROLES) | is_admin, _("This page is for programme staff."))
