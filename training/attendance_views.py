"""The trainer's attendance: the whole course as a grid at desktop width, one day (`?day=YYYY-MM-DD`)
on a phone, one cell posted at a time (htmx), marks made offline replayed by static/js/attendance.js
with their key."""

import datetime
import io
import re
import uuid

import openpyxl
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy
from django.views.decorators.http import require_POST

from accounts import policy
from accounts.access import action_required
from core.downloads import append_row, xlsx_response
from core.errors import Conflict, Refused, messages_of
from core.models import is_number
from training import selectors, services
from training.forms import AbsenceDocumentForm
from training.models import (
    AbsenceDocument,
    AbsenceDocumentDownload,
    AttendanceMark,
    ExcuseReason,
    GroupMember,
    MarkKind,
    TeachingDay,
    TrainingGroup,
)

# The code of each kind in a narrow cell of the grid and the register, in the page's language (the
# grid's legend names each one).
SHORT = {
    MarkKind.PRESENT: "✓",
    MarkKind.LATE: pgettext_lazy("attendance code: late", "L"),
    MarkKind.EXCUSED: pgettext_lazy("attendance code: absent with a valid reason", "E"),
    MarkKind.UNEXCUSED: "✗",
}
EMPTY = "—"
ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def choices() -> list[tuple[str, str]]:
    """The options of a cell: one per kind, and one per valid reason for an excused absence."""
    options = [("", EMPTY), (MarkKind.PRESENT, str(MarkKind.PRESENT.label)), (MarkKind.LATE, str(MarkKind.LATE.label))]
    for reason in ExcuseReason:
        options.append((f"{MarkKind.EXCUSED}:{reason}", f"{MarkKind.EXCUSED.label}: {reason.label}"))
    options.append((MarkKind.UNEXCUSED, str(MarkKind.UNEXCUSED.label)))
    return options


def options_by_value(*, short: bool) -> dict[str, str]:
    """The <option>s of a cell for each value it may hold, built once per page (750 cells of a 30 × 25
    grid each looping over the options took most of the page's time)."""
    options = choices()
    if short:  # the whole-course grid: narrow cells, the full wording in the day view and the title
        options = [(value, _short_label(value, label)) for value, label in options]
    built = {}
    for selected, _label in options:
        built[selected] = mark_safe(  # noqa: S308 - every part is escaped by format_html
            "".join(
                format_html(
                    '<option value="{}" data-code="{}"{}>{}</option>',
                    value,
                    code_of(value),
                    " selected" if value == selected else "",
                    label,
                )
                for value, label in options
            )
        )
    return built


def code_of(value: str) -> str:
    """The code a narrow cell shows for a cell's value ("absent_excused:illness" → "E")."""
    kind = value.partition(":")[0]
    return str(SHORT[MarkKind(kind)]) if kind else EMPTY


def _short_label(value: str, label: str) -> str:
    kind, _sep, reason = value.partition(":")
    if not kind:
        return label
    if reason:
        return f"{SHORT[MarkKind(kind)]} · {ExcuseReason(reason).label}"
    return f"{SHORT[MarkKind(kind)]} {label}"


def value_of(mark: AttendanceMark | None) -> str:
    if mark is None:
        return ""
    return f"{mark.kind}:{mark.reason_code}" if mark.kind == MarkKind.EXCUSED else mark.kind


def cell_html(cell: dict, url: str) -> str:
    """One cell of the grid. Built here rather than included from a template: a 30 × 25 grid has 750
    of them, and an {% include %} each cost most of the page's time. Every value is escaped."""
    member, day, mark = cell["member"], cell["day"], cell["mark"]
    classes = "att-cell" + (" att-today" if cell["is_today"] else "") + (f" att-{mark.kind}" if mark else "")
    label = mark.get_kind_display() if mark else ""
    if cell["editable"]:
        prompt = (
            format_html(' hx-prompt="{}"', _("You change a mark of a past day. Why?")) if cell["needs_reason"] else ""
        )
        # In the grid the cell shows the mark's code, the native list of marks laid over it (transparent):
        # a 25-day course fits a laptop's width and no label is cut off; the day view shows the list itself.
        code = (
            ""
            if cell["big"]
            else format_html('<span class="att-code" aria-hidden="true">{}</span>', code_of(cell["value"]))
        )
        body = format_html(
            '<form hx-post="{}" hx-trigger="change" hx-target="closest td" hx-swap="outerHTML" class="att-form{}"{}>'
            '<input type="hidden" name="membership" value="{}"><input type="hidden" name="day" value="{}">'
            '<input type="hidden" name="expected_version" value="{}">{}{}'
            '<select name="kind" class="form-select {}" aria-label="{}, {}"{}>{}</select></form>',
            url,
            "" if cell["big"] else " att-compact",
            prompt,
            member.pk,
            day.pk,
            cell["version"],
            mark_safe('<input type="hidden" name="big" value="1">') if cell["big"] else "",  # noqa: S308
            code,
            "form-select-lg" if cell["big"] else "form-select-sm",
            member.application.full_name,
            date_format(day.date, "SHORT_DATE_FORMAT"),
            "" if cell["big"] else format_html(' title="{}"', label or EMPTY),
            cell["options"],
        )
    elif cell["big"]:
        body = format_html('<span title="{}">{}</span>', label, label or "·")
    else:
        body = format_html(
            '<span class="att-code" title="{}">{}<span class="visually-hidden"> {}</span></span>',
            label,
            code_of(cell["value"]) if mark else "·",
            label,
        )
    error = (
        format_html('<div class="small text-danger" role="alert" data-testid="cell-error">{}</div>', cell["error"])
        if cell["error"]
        else ""
    )
    return format_html(
        '<td id="cell-{}-{}" class="{}" data-testid="cell" data-kind="{}">{}{}{}</td>',
        member.pk,
        day.pk,
        classes,
        mark.kind if mark else "",
        body,
        _document_link(cell),
        error,
    )


# A paperclip (Bootstrap Icons, MIT), drawn inline: an emoji needs a font a phone or a server may lack.
CLIP = mark_safe(  # noqa: S308 - a constant
    '<svg xmlns="http://www.w3.org/2000/svg" width="14" height="14" fill="currentColor" viewBox="0 0 16 16" '
    'aria-hidden="true" focusable="false"><path d="M4.5 3a2.5 2.5 0 0 1 5 0v9a1.5 1.5 0 0 1-3 0V5a.5.5 0 0 1 1 '
    '0v7a.5.5 0 0 0 1 0V3a1.5 1.5 0 1 0-3 0v9a2.5 2.5 0 0 0 5 0V5a.5.5 0 0 1 1 0v7a3.5 3.5 0 1 1-7 0z"/></svg>'
)


def _document_link(cell: dict) -> str:
    """Under an excused cell someone may mark: the page to attach its document, or to open the one attached."""
    mark = cell["mark"]
    if not cell["editable"] or mark is None or mark.kind != MarkKind.EXCUSED:
        return ""
    url = f"{cell['doc_base']}{cell['member'].pk}/{cell['day'].pk}/document/"
    attached = mark.document_id is not None
    label = _("Document attached") if attached else _("Attach a document")
    if cell["big"]:
        return format_html(
            '<a class="d-inline-block mt-1 py-1" href="{}" data-testid="doc-link" data-attached="{}">{} {}</a>',
            url,
            "1" if attached else "",
            CLIP,
            label,
        )
    return format_html(
        '<a class="small text-decoration-none{}" href="{}" title="{}" aria-label="{}" data-testid="doc-link"'
        ' data-attached="{}">{}{}</a>',
        "" if attached else " text-body-secondary",
        url,
        label,
        label,
        "1" if attached else "",
        CLIP,
        "" if attached else "+",
    )


def _cell(member, day, mark, *, today, can_mark, options, doc_base, error="", big=False) -> dict:
    value = value_of(mark)
    return {
        "doc_base": doc_base,
        "options": options.get(value, options[""]),
        "member": member,
        "day": day,
        "mark": mark,
        "value": value,
        "version": mark.version if mark else 0,
        "is_today": day.date == today,
        "editable": can_mark and day.date <= today,
        "needs_reason": mark is not None and day.date < today,
        "error": error,
        "big": big,
    }


def default_day(days: list[TeachingDay], today: datetime.date) -> TeachingDay | None:
    """The day a phone opens: today's class, else the last class before today (a weekend: Friday's),
    else the first (the course has not started)."""
    before = [d for d in days if d.date <= today]
    return before[-1] if before else (days[0] if days else None)


def day_asked(raw: str, days: list[TeachingDay], today: datetime.date) -> tuple[TeachingDay | None, str]:
    """The teaching day `?day=YYYY-MM-DD` names, and what to say when it names none: a malformed value, a
    date outside the course or a day without a class shows the nearest class day with a line saying so."""
    if not days:
        return None, _("The course has no class days yet.")
    asked = None
    if ISO_DATE.fullmatch(raw):
        try:
            asked = datetime.date.fromisoformat(raw)
        except ValueError:
            asked = None
    if asked is None:
        shown = default_day(days, today)
        return shown, _("“%(value)s” is not a date (YYYY-MM-DD); shown instead: %(shown)s.") % {
            "value": raw[:20],
            "shown": date_format(shown.date, "SHORT_DATE_FORMAT") if shown else "",
        }
    exact = next((d for d in days if d.date == asked), None)
    if exact is not None:
        return exact, ""
    if asked < days[0].date or asked > days[-1].date:
        shown = days[0] if asked < days[0].date else days[-1]
        return shown, _("The course runs from %(first)s to %(last)s; shown instead: %(shown)s.") % {
            "first": date_format(days[0].date, "SHORT_DATE_FORMAT"),
            "last": date_format(days[-1].date, "SHORT_DATE_FORMAT"),
            "shown": date_format(shown.date, "SHORT_DATE_FORMAT"),
        }
    shown = next(d for d in days if d.date > asked)
    return shown, _("There is no class on %(date)s; shown instead: the next class day, %(shown)s.") % {
        "date": date_format(asked, "SHORT_DATE_FORMAT"),
        "shown": date_format(shown.date, "SHORT_DATE_FORMAT"),
    }


def day_url(group: TrainingGroup, day: TeachingDay) -> str:
    return reverse("training:attendance", args=[group.code]) + f"?day={day.date.isoformat()}"


@action_required("training.view_groups")
def grid(request, code):
    """The whole course, or one day of it (`?day=`). A phone opening the page without either is sent
    to the day view of `default_day` by static/js/attendance-phone.js; `?view=grid` keeps the grid."""
    try:
        group, members, days, marks = selectors.attendance_grid(request.user, code)
    except TrainingGroup.DoesNotExist:
        raise Http404 from None
    today = timezone.localdate()
    can_mark = policy.can(request.user, "training.mark_attendance", group)
    day, notice = None, ""
    if "day" in request.GET:
        day, notice = day_asked(request.GET["day"], days, today)
    shown = [day] if day else days
    index = days.index(day) if day else None
    options = options_by_value(short=day is None)
    url = reverse("training:attendance_mark", args=[group.code])
    doc_base = reverse("training:attendance", args=[group.code])
    rows = [
        {
            "member": member,
            "missed": member.missed,
            "cells": [
                cell_html(
                    _cell(
                        member,
                        d,
                        marks.get((member.pk, d.pk)),
                        today=today,
                        can_mark=can_mark,
                        options=options,
                        doc_base=doc_base,
                        big=day is not None,
                    ),
                    url,
                )
                for d in shown
            ],
        }
        for member in members
    ]
    first = default_day(days, today)
    return render(
        request,
        "training/attendance.html",
        {
            "group": group,
            "days": shown,
            "all_days": days,
            "day": day,
            "notice": notice,
            "previous_day": days[index - 1] if index else None,
            "next_day": days[index + 1] if index is not None and index + 1 < len(days) else None,
            "day_number": index + 1 if index is not None else None,
            "rows": rows,
            "today": today,
            "default_day": first,
            # The page without ?day= or ?view=grid: a phone goes on to the day view.
            "phone_day_url": day_url(group, first) if first and day is None and "view" not in request.GET else "",
            "legend": [(SHORT[kind], kind.label, kind.value) for kind in MarkKind],
            "can_mark": can_mark,
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
        options=options_by_value(short=post.get("big") != "1"),
        doc_base=reverse("training:attendance", args=[group.code]),
        error=error,
        big=post.get("big") == "1",
    )
    response = HttpResponse(cell_html(cell, reverse("training:attendance_mark", args=[group.code])), status=status)
    if saved is not None and request.POST.get("client_id"):
        response["X-Mark-Version"] = str(saved.version)
    return response


def _day_action(request, code, run) -> HttpResponse:
    """A whole-day action of the day view: run the service for the posted day, say how it went, back to the day."""
    group = _visible_group(request, code)
    day_id = request.POST.get("day", "")
    day = TeachingDay.objects.filter(pk=day_id, group=group).first() if is_number(day_id) else None
    if day is None:
        raise Http404
    try:
        messages.success(request, run(group, day.pk))
    except (ValidationError, Refused) as exc:
        messages.error(request, " ".join(messages_of(exc)))
    return redirect(day_url(group, day))


@action_required("training.view_groups")
@require_POST
def day_present(request, code):
    def run(group, day_id):
        filled = services.attendance_mark_day_present(actor=request.user, group_id=group.pk, day_id=day_id)
        return _("Marked present: %(n)s.") % {"n": filled}

    return _day_action(request, code, run)


@action_required("training.view_groups")
@require_POST
def deliver(request, code):
    def run(group, day_id):
        delivered = request.POST.get("delivered") == "1"
        services.module_mark_delivered(actor=request.user, group_id=group.pk, day_id=day_id, delivered=delivered)
        return _("Saved.")

    return _day_action(request, code, run)


@action_required("training.view_groups")
def absence_document(request, code, membership, day):
    """The document of one excused absence: what is attached (and was before), and the form to attach
    one. A refusal (not excused, wrong type, too big) is shown on the file field. Those who may attach
    (the group's trainer, the district's Chamber) are those who may open the files; others who see the
    group (an analyst) read the names only."""
    group = _visible_group(request, code)
    member = GroupMember.objects.filter(pk=membership, group=group).select_related("application").first()
    teaching_day = TeachingDay.objects.filter(pk=day, group=group).select_related("module").first()
    if member is None or teaching_day is None:
        raise Http404
    can_attach = policy.can(request.user, "training.attach_absence_document", group)
    form = AbsenceDocumentForm(request.POST or None, request.FILES or None)
    status = 200
    if request.method == "POST":
        if not can_attach:
            policy.require(request.user, "training.attach_absence_document", group)  # the 403 with the rule's message
        if form.is_valid():
            try:
                services.absence_document_attach(
                    actor=request.user,
                    group_id=group.pk,
                    membership_id=member.pk,
                    day_id=teaching_day.pk,
                    upload=form.cleaned_data["file"],
                )
                messages.success(request, _("The document has been attached."))
                return redirect(day_url(group, teaching_day))
            except ValidationError as exc:
                form.add_error(None, exc)
        status = 400
    mark = AttendanceMark.objects.filter(membership=member, day=teaching_day).first()
    documents = list(mark.documents.select_related("uploaded_by")) if mark else []
    return render(
        request,
        "training/absence_document.html",
        {
            "group": group,
            "member": member,
            "day": teaching_day,
            "mark": mark,
            "documents": documents,
            "form": form if can_attach else None,
            "excused": mark is not None and mark.kind == MarkKind.EXCUSED,
            "max_mb": formats.number_format(settings.ABSENCE_DOCUMENT_MAX_BYTES / 2**20, 0),
        },
        status=status,
    )


def document_download(request, code):
    """An absence document, only to those the policy lets open it (the group's trainer, the district's
    Chamber, the area's commission once a case lists the day), never from a public URL; each opening
    is recorded."""
    document = (
        AbsenceDocument.objects.visible_to(request.user)
        .select_related("group", "mark__membership")
        .prefetch_related("group__trainers")
        .filter(code=code)
        .first()
    )
    if document is None:
        raise Http404
    policy.require(request.user, "training.view_absence_document", document)
    AbsenceDocumentDownload.objects.create(document=document, user=request.user)
    return FileResponse(
        document.file.open("rb"),
        content_type=document.content_type,
        as_attachment=True,
        filename=document.download_name,
    )


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
    for number, member in enumerate(members, start=1):
        row: list = [number, member.application.full_name, member.application.masked_iin]
        row += [SHORT.get(marks[(member.pk, d.pk)].kind, "") if (member.pk, d.pk) in marks else "" for d in days]
        append_row(sheet, [*row, member.missed])
    sheet.append([])
    sheet.append([f"{SHORT[k]} = {k.label}" for k in MarkKind])
    buffer = io.BytesIO()
    workbook.save(buffer)
    stamp = timezone.localdate().isoformat()
    return xlsx_response(buffer.getvalue(), f"bastau-register-{group.pk}-{stamp}.xlsx")
