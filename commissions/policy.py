"""Who may act for a commission (accounts/policy.py).

A commission member acts through their seat in term today (`commissions.selectors.seat_of`) on the
commission that serves the object's district: a district commission its district, a regional one the
districts assigned to it. The object of a rule may be an application, an expulsion case, a training
group, a defence session or a commission."""

import rules
from django.utils.translation import gettext_lazy as _

from accounts.models import Role
from accounts.policy import declare, has_role, is_admin

is_commission = has_role(Role.COMMISSION)


def _seat(user):
    from commissions.selectors import seat_of

    return seat_of(user)


def _serves(seat, obj) -> bool:
    from commissions.models import Commission, DefenceSession

    if seat is None or obj is None:
        return False
    commission = seat.commission
    if isinstance(obj, Commission):
        return obj.pk == commission.pk
    if isinstance(obj, DefenceSession):
        return obj.commission_id == commission.pk
    district_id = getattr(obj, "district_id", None)
    return district_id is not None and district_id in commission.served_district_ids()


@rules.predicate
def sits_on_a_commission(user) -> bool:
    """The user holds a seat, in term today, on their commission."""
    return _seat(user) is not None


@rules.predicate
def is_member_of(user, obj) -> bool:
    """A member in term of the commission that serves the object (or is the object)."""
    return _serves(_seat(user), obj)


@rules.predicate
def is_secretary(user, obj) -> bool:
    seat = _seat(user)
    return seat is not None and seat.role == "secretary" and _serves(seat, obj)


@rules.predicate
def is_chair(user, obj) -> bool:
    seat = _seat(user)
    return seat is not None and seat.role == "chair" and _serves(seat, obj)


@rules.predicate
def present_at(user, session) -> bool:
    """A member present at the session (chosen when it was scheduled), in term today."""
    seat = _seat(user)
    if seat is None or session is None or not _serves(seat, session):
        return False
    cache = getattr(session, "_prefetched_objects_cache", {})
    if "present" in cache:
        return any(member.pk == seat.pk for member in cache["present"])
    return session.present.filter(pk=seat.pk).exists()


declare(
    "commissions.view_queue",
    is_commission & sits_on_a_commission,
    _("This page is for members of a commission in their term of office."),
)
declare(
    "commissions.view",
    is_commission & is_member_of,
    _("This belongs to another commission's work."),
)
# The object is the application (the moves expel / keep) or the case.
declare(
    "commissions.decide_expulsion",
    is_commission & is_secretary,
    _("Expulsion cases are recorded by the secretary of the commission of the participant's district."),
)
# The object is the group, or the session.
declare(
    "commissions.schedule_session",
    is_commission & is_secretary,
    _("Defence sessions are scheduled by the secretary of the commission that serves the group's district."),
)
declare(
    "commissions.mark_absence",
    is_commission & is_secretary,
    _("The secretary of the commission marks who did not come to the defence."),
)
# The object is the session.
declare(
    "commissions.score",
    is_commission & present_at,
    _("Defences are scored by the members present at the session."),
)
# The object is the application (the moves defended / not defended) or the session.
declare(
    "commissions.confirm_outcome",
    is_commission & is_chair,
    _("The outcomes of a session are confirmed by the chair of the commission."),
)
declare(
    "commissions.request_protocol",
    is_commission & (is_secretary | is_chair),
    _("The protocol is produced by the commission's secretary or chair."),
)
# The confirmed outcomes of defences (the API's defences): the members of a commission its own sessions',
# the Chamber branches and analysts those of their area (DefenceSession.objects.visible_to).
declare(
    "commissions.view_outcomes",
    (is_commission & sits_on_a_commission) | has_role(Role.CHAMBER, Role.ANALYST) | is_admin,
    _("Defence outcomes are read by the commission, the Chamber branch and analysts of the area."),
)
