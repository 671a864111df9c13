"""The trainer's attendance grid: the whole course at desktop width, one day at 360 px, one cell
posted at a time (htmx), marks made offline replayed by static/js/attendance.js with their key."""

import io
import uuid

import openpyxl
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts import policy
from accounts.access import action_required
from core.downloads import append_row, xlsx_response
from core.errors import Conflict, Refused, messages_of
from core.models import is_number
from training import selectors, services
from training.models import AttendanceMark, ExcuseReason, GroupMember, MarkKind, TeachingDay, TrainingGroup

SHORT = {
    MarkKind.PRESENT: "✓",
    MarkKind.LATE: "L",
    MarkKind.EXCUSED: "E",
    MarkKind.UNEXCUSED: "✗",
}


def choices() -> list[tuple[str, str]]:
    """The options of a cell: one per kind, and one per valid reason for an excused absence."""
    options = [("", "—"), (MarkKind.PRESENT, str(MarkKind.PRESENT.label)), (MarkKind.LATE, str(MarkKind.LATE.label))]
    for reason in ExcuseReason:
        options.append((f"{MarkKind.EXCUSED}:{reason}", f"{MarkKind.EXCUSED.label}: {reason.label}"))
    options.append((MarkKind.UNEXCUSED, str(MarkKind.UNEXCUSED.label)))
    return options


def value_of(mark: AttendanceMark | None) -> str:
    if mark is None:
        return ""
    return f"{mark.kind}:{mark.reason_code}" if mark.kind == MarkKind.EXCUSED else mark.kind


def _cell(member, day, mark, *, today, can_mark, error="", big=False) -> dict:
    return {
        "member": member,
        "day": day,
        "mark": mark,
        "value": value_of(mark),
        "version": mark.version if mark else 0,
        "is_today": day.date == today,
        "editable": can_mark and day.date <= today,
        "needs_reason": mark is not None and day.date < today,
        "error": error,
        "big": big,
    }


@action_required("training.view_groups")
def grid(request, code):
    try:
        group, members, days, marks = selectors.attendance_grid(request.user, code)
    except TrainingGroup.DoesNotExist:
        raise Http404 from None
    today = timezone.localdate()
    can_mark = policy.can(request.user, "training.mark_attendance", group)
    day = None
    day_id = request.GET.get("day", "")
    if day_id:
        day = next((d for d in days if is_number(day_id) and d.pk == int(day_id)), None)
        if day is None:
            raise Http404
    shown = [day] if day else days
    missed = selectors.missed_by_member(marks)
    rows = [
        {
            "member": member,
            "missed": missed.get(member.pk, 0),
            "cells": [
                _cell(member, d, marks.get((member.pk, d.pk)), today=today, can_mark=can_mark, big=day is not None)
                for d in shown
            ],
        }
        for member in members
    ]
    return render(
        request,
        "training/attendance.html",
        {
            "group": group,
            "days": shown,
            "all_days": days,
            "day": day,
            "rows": rows,
            "today": today,
            "today_day": next((d for d in days if d.date == today), None),
            "can_mark": can_mark,
            "choices": choices(),
            "limit": group.stream.absence_limit,
        },
    )


def _visible_group(request, code) -> TrainingGroup:
    group = TrainingGroup.objects.visible_to(request.user).filter(code=code).first()
    if group is None:
        raise Http404
    return group


def _posted_uuid(value: str):
    try:
        return uuid.UUID(value) if value else None
    except ValueError:
        raise ValidationError({"client_id": [_("The mark's key is malformed.")]}) from None


@action_required("training.view_groups")
@require_POST
def mark(request, code):
    """One cell. Answers the cell (200), the cell as it is now with the reason (409, 400, 403)."""
    group = _visible_group(request, code)
    post = request.POST
    membership_id, day_id = post.get("membership", ""), post.get("day", "")
    if not (is_number(membership_id) and is_number(day_id)):
        raise Http404
    kind, _sep, reason_code = post.get("kind", "").partition(":")
    version = post.get("expected_version", "")
    change_reason = post.get("change_reason", "") or request.headers.get("HX-Prompt", "")
    status, error, saved = 200, "", None
    try:
        saved = services.attendance_mark(
            actor=request.user,
            group_id=group.pk,
            membership_id=int(membership_id),
            day_id=int(day_id),
            kind=kind,
            reason_code=reason_code,
            reason_text=post.get("reason_text", ""),
            change_reason=change_reason,
            expected_version=int(version) if is_number(version) else None,
            client_id=_posted_uuid(post.get("client_id", "")),
        )
    except Conflict as exc:
        status, error = 409, " ".join(messages_of(exc))
    except ValidationError as exc:
        status, error = 400, " ".join(messages_of(exc))
    except Refused as exc:
        status, error = 403, " ".join(messages_of(exc))
    if saved is not None:
        member, day, current = saved.membership, saved.day, saved
    else:
        member = GroupMember.objects.filter(pk=membership_id, group=group).select_related("application").first()
        day = TeachingDay.objects.filter(pk=day_id, group=group).first()
        if member is None or day is None:
            raise Http404
        current = AttendanceMark.objects.filter(membership=member, day=day).first()
    cell = _cell(
        member,
        day,
        current,
        today=timezone.localdate(),
        can_mark=status != 403,
        error=error,
        big=post.get("big") == "1",
    )
    response = render(
        request, "training/_cell.html", {"cell": cell, "group": group, "choices": choices()}, status=status
    )
    if saved is not None and request.POST.get("client_id"):
        response["X-Mark-Version"] = str(saved.version)
    return response


@action_required("training.view_groups")
@require_POST
def day_present(request, code):
    group = _visible_group(request, code)
    day_id = request.POST.get("day", "")
    if not is_number(day_id):
        raise Http404
    try:
        filled = services.attendance_mark_day_present(actor=request.user, group_id=group.pk, day_id=int(day_id))
        messages.success(request, _("Marked present: %(n)s.") % {"n": filled})
    except (ValidationError, Refused) as exc:
        messages.error(request, " ".join(messages_of(exc)))
    return redirect(reverse("training:attendance", args=[group.code]) + f"?day={day_id}")


@action_required("training.view_groups")
@require_POST
def deliver(request, code):
    group = _visible_group(request, code)
    day_id = request.POST.get("day", "")
    if not is_number(day_id):
        raise Http404
    try:
        services.module_mark_delivered(
            actor=request.user, group_id=group.pk, day_id=int(day_id), delivered=request.POST.get("delivered") == "1"
        )
        messages.success(request, _("Saved."))
    except (ValidationError, Refused) as exc:
        messages.error(request, " ".join(messages_of(exc)))
    return redirect(reverse("training:attendance", args=[group.code]) + f"?day={day_id}")


@action_required("training.view_groups")
def register_xlsx(request, code):
    """The group's register: one row per participant, one column per teaching day, and the missed days."""
    try:
        group, members, days, marks = selectors.attendance_grid(request.user, code)
    except TrainingGroup.DoesNotExist:
        raise Http404 from None
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "register"
    sheet.append([_("No."), _("Participant"), _("IIN"), *[d.date.strftime("%d.%m") for d in days], _("Days missed")])
    missed = selectors.missed_by_member(marks)
    for number, member in enumerate(members, start=1):
        row: list = [number, member.application.full_name, member.application.masked_iin]
        row += [SHORT.get(marks[(member.pk, d.pk)].kind, "") if (member.pk, d.pk) in marks else "" for d in days]
        append_row(sheet, [*row, missed.get(member.pk, 0)])
    sheet.append([])
    sheet.append([f"{SHORT[k]} = {k.label}" for k in MarkKind])
    buffer = io.BytesIO()
    workbook.save(buffer)
    stamp = timezone.localdate().isoformat()
    return xlsx_response(buffer.getvalue(), f"bastau-register-{group.pk}-{stamp}.xlsx")
