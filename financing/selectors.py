"""Reads for the financing pages, each in a fixed number of queries."""

import datetime
from dataclasses import dataclass

from django.core.exceptions import ValidationError

from applications.models import Application
from financing import rules
from financing.models import FollowUp, LoanProgramme, Referral


@dataclass(frozen=True)
class Offer:
    programme: LoanProgramme
    cap: rules.Cap | None  # None: no MCI in force on the day


def offers_on(day: datetime.date) -> list[Offer]:
    """The active programmes with their cap in tenge on the day: two queries (programmes, the MCI)."""
    programmes = list(LoanProgramme.objects.active().select_related("lender").order_by("lender__name_ru", "name_ru"))
    if not programmes:
        return []
    try:
        mci = rules.cap_on(programmes[0], day).mci_tenge  # one MCI for the day, whatever the programme
    except ValidationError:
        return [Offer(programme, None) for programme in programmes]
    return [Offer(programme, rules.Cap(day=day, mci_tenge=mci, cap_mci=programme.cap_mci)) for programme in programmes]


def referral_of(application: Application) -> Referral | None:
    return Referral.objects.select_related("programme", "lender").filter(application=application).first()


def referrals_for(user):
    """The referrals the user may see, with what a list row shows, in one query."""
    return Referral.objects.visible_to(user).select_related("application", "programme", "lender", "district")


def referral_detail(user, code) -> Referral:
    return (
        Referral.objects.visible_to(user)
        .select_related("application", "programme", "lender", "district", "forwarded_by", "decided_by")
        .get(code=code)
    )


def followups_due(user, today: datetime.date):
    """Follow-ups due by the day and not yet recorded, in the user's area, earliest first: one query."""
    return (
        FollowUp.objects.visible_to(user).due(today).select_related("application", "district").order_by("due_on", "pk")
    )


def followup_detail(user, code) -> FollowUp:
    return FollowUp.objects.visible_to(user).select_related("application", "district").get(code=code)
