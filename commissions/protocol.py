"""The protocol of a defence session: members, participants, scores, outcomes and the commission's
decisions on the group's expulsion cases, in Kazakh and Russian on one document (core.pdf)."""

from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Prefetch

from commissions import selectors
from commissions.models import CaseDecision, CommissionMember, DefenceSession, Scoresheet
from core.pdf import render_pdf


def context_for(session: DefenceSession) -> dict:
    session = (
        DefenceSession.objects.select_related(
            "commission__organisation", "group__stream__year", "district", "confirmed_by"
        )
        .prefetch_related(Prefetch("present", queryset=CommissionMember.objects.select_related("user")))
        .get(pk=session.pk)
    )
    criteria = selectors.criteria_for(session)
    present = sorted(
        session.present.all(), key=lambda m: (["chair", "secretary", "member"].index(m.role), m.user.last_name)
    )
    defences = list(
        session.defences.select_related("application").prefetch_related(
            Prefetch("sheets", queryset=Scoresheet.objects.select_related("member__user").prefetch_related("scores"))
        )
    )
    rows = []
    for defence in defences:
        sheets = {sheet.member_id: sheet for sheet in defence.sheets.all()}
        scored = [sheets[m.pk] for m in present if m.pk in sheets]
        points: dict[int, list[int]] = {c.pk: [] for c in criteria}
        for sheet in scored:
            for score in sheet.scores.all():
                points.setdefault(score.criterion_id, []).append(score.points)
        rows.append(
            {
                "defence": defence,
                # One line per participant (PITFALLS.md: long tables are slow): the mean of each criterion,
                # each member's total, the share of the maximum, the outcome; comments below the table.
                "means": [_mean(points[c.pk]) for c in criteria] if not defence.absent else [],
                "totals": [sheets[m.pk].total if m.pk in sheets else None for m in present],
                "comments": [(s.member.user.full_name, s.comment) for s in scored if s.comment],
            }
        )
    decisions = list(
        CaseDecision.objects.filter(commission=session.commission, case__membership__group=session.group)
        .select_related("case__application")
        .prefetch_related(Prefetch("present", queryset=CommissionMember.objects.select_related("user")))
        .order_by("decided_on", "pk")
    )
    return {
        "session": session,
        "criteria": criteria,
        "max_total": sum(c.max_score for c in criteria),
        "present": present,
        "absent_span": len(criteria) + len(present),
        "rows": rows,
        "decisions": decisions,
        "languages": ["kk", "ru"],
    }


def _mean(values: list[int]) -> Decimal | None:
    if not values:
        return None
    return (Decimal(sum(values)) / len(values)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def render(session: DefenceSession) -> bytes:
    return render_pdf("commissions/pdf/protocol.html", context_for(session))
