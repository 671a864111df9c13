"""The protocol of a defence session: members, participants, scores, outcomes and the commission's
decisions on the group's expulsion cases, in Kazakh and Russian on one document (core.pdf)."""

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
    criteria = selectors.criteria_of(session.commission)
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
        rows.append(
            {
                "defence": defence,
                "sheets": [
                    {
                        "member": member,
                        "sheet": sheets.get(member.pk),
                        "points": [
                            {s.criterion_id: s.points for s in sheets[member.pk].scores.all()}.get(c.pk)
                            for c in criteria
                        ]
                        if member.pk in sheets
                        else [],
                    }
                    for member in present
                ],
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
        "rows": rows,
        "decisions": decisions,
        "languages": ["kk", "ru"],
    }


def render(session: DefenceSession) -> bytes:
    return render_pdf("commissions/pdf/protocol.html", context_for(session))
