"""The business plan's pages: the participant's editor (saved as they type), a version with its
comments, the files and the PDF, and the reviewers' list of a group's plans.

No rule is decided here: every page asks plans/policy.py, every change goes through plans/services.py.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Max, Q
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts import policy
from accounts.access import action_required
from applications.models import Application
from core.errors import Conflict, messages_of
from plans import finance, services
from plans.models import (
    SECTION_MAX_LENGTH,
    BusinessPlan,
    PdfState,
    PlanComment,
    PlanLanguage,
    PlanVersion,
    Section,
)
from training.models import GroupMember, TrainingGroup

EMPTY_ROWS = 3  # blank rows of the start-up table under the filled ones


def _application(request, code) -> Application:
    application = Application.objects.visible_to(request.user).filter(code=code).first()
    if application is None:
        raise Http404
    return application


def _version(request, code) -> PlanVersion:
    """A version the user may read: outside what they see it is a 404, seen but not theirs to read a 403."""
    version = (
        PlanVersion.objects.visible_to(request.user)
        .select_related("plan__application__district")
        .filter(code=code)
        .first()
    )
    if version is None:
        raise Http404
    policy.require(request.user, "plans.view", version)
    return version


# --- The participant's editor ---------------------------------------------------------------------


def _finance_rows(data: dict) -> list[dict]:
    rows = [{"item": r.get("item", ""), "amount": r.get("amount", "")} for r in data.get("startup", [])]
    return rows + [{"item": "", "amount": ""}] * EMPTY_ROWS


FINANCE_FIELDS = ("startup-item", "startup-amount", "monthly_revenue", "monthly_costs", "own_funds")


def _posted(request) -> tuple[dict | None, dict | None]:
    """The sections and the financial table from the editor's form (the same fields with or without JS);
    None for a part the request does not carry (the autosave sends what changed)."""
    sections = {code: request.POST[f"section-{code}"] for code in Section.values if f"section-{code}" in request.POST}
    if not any(name in request.POST for name in FINANCE_FIELDS):
        return sections or None, None
    items = request.POST.getlist("startup-item")
    amounts = request.POST.getlist("startup-amount")
    table = {
        "startup": [{"item": i, "amount": a} for i, a in zip(items, amounts, strict=False)],
        "monthly_revenue": request.POST.get("monthly_revenue", ""),
        "monthly_costs": request.POST.get("monthly_costs", ""),
        "own_funds": request.POST.get("own_funds", ""),
    }
    return sections or None, table


def _figures(data: dict):
    try:
        return finance.figures(finance.clean(data))
    except ValidationError:
        return None


def plan_edit(request, code):
    """The plan of an application: the editor for its author while it is open, the versions for everyone
    who may read it (its author, the group's trainer, the district's Chamber branch)."""
    application = _application(request, code)
    policy.require(request.user, "plans.read", application)
    plan = BusinessPlan.objects.filter(application=application).first()
    versions = (
        list(plan.versions.annotate(comment_count=Count("comments")).order_by("-number")) if plan is not None else []
    )
    frozen = next((v for v in versions if v.frozen_at), None)
    is_author = application.applicant_id == request.user.pk
    can_edit = is_author and frozen is None and policy.can(request.user, "plans.edit", application)
    draft_sections = plan.draft_sections if plan else {}
    draft_finance = plan.draft_finance if plan else {}
    latest = versions[0] if versions else None
    comments = (
        list(PlanComment.objects.filter(version=latest).select_related("author").order_by("created_at", "pk"))
        if latest and is_author
        else []
    )
    by_section: dict[str, list] = {}
    for comment in comments:
        by_section.setdefault(comment.section, []).append(comment)
    context = {
        "application": application,
        "plan": plan,
        "versions": versions,
        "latest": latest,
        "frozen": frozen,
        "is_author": is_author,
        "can_edit": can_edit,
        "sections": [
            {
                "code": code_,
                "title": title,
                "text": draft_sections.get(code_, ""),
                "comments": by_section.get(code_, []),
            }
            for code_, title in Section.choices
        ],
        "rows": _finance_rows(draft_finance),
        "finance": draft_finance,
        "figures": _figures(draft_finance),
        "max_length": SECTION_MAX_LENGTH,
        "plan_languages": PlanLanguage.choices,  # not `languages`: the language switcher's own name
        "plan_language": plan.language
        if plan
        else application.language
        if application.language in PlanLanguage.values
        else "kk",
        "revision": plan.draft_revision if plan else 0,
        "max_items": finance.MAX_ITEMS,
    }
    return render(request, "plans/edit.html", context)


def _autosave(request) -> bool:
    return request.headers.get("X-Autosave") == "1"


@require_POST
def plan_save(request, code):
    """Save the draft. From the autosave (X-Autosave: 1) the answer is JSON: the new revision and the
    figures, or the fields' messages (400), or 409 when the plan changed elsewhere or was frozen. From the
    plain form (no JavaScript) it is the page again."""
    application = _application(request, code)
    sections, table = _posted(request)
    base = request.POST.get("revision", "")
    base_revision = int(base) if base.isascii() and base.isdigit() else None
    language = request.POST.get("language") or None
    errors: dict[str, list[str]] = {}
    try:
        if table is not None:
            finance.clean(table)
    except ValidationError as exc:
        errors.update(exc.message_dict)
        table = None  # the sections are saved all the same; the table when it is right
    try:
        plan = services.plan_save_draft(
            actor=request.user,
            application=application,
            sections=sections,
            finance=table,
            language=language,
            base_revision=base_revision,
            client=request.POST.get("client", "")[:64],
        )
    except Conflict as exc:
        current = BusinessPlan.objects.filter(application=application).first()
        if _autosave(request):
            return JsonResponse(
                {
                    "error": " ".join(messages_of(exc)),
                    "code": exc.code,
                    "revision": current.draft_revision if current else 0,
                },
                status=409,
            )
        messages.error(request, " ".join(messages_of(exc)))
        return redirect("plans:edit", code=code)
    except ValidationError as exc:
        errors.update(exc.message_dict if hasattr(exc, "error_dict") else {"__all__": exc.messages})
        plan = None
    if _autosave(request):
        body: dict = {"errors": errors}
        if plan is not None:
            figures = finance.figures(finance.from_json(plan.draft_finance))
            body.update(
                revision=plan.draft_revision,
                saved_at=plan.draft_saved_at.isoformat() if plan.draft_saved_at else None,
                saved_at_display=_clock(plan.draft_saved_at),
                figures={
                    "startup_total": figures.startup_total,
                    "loan_need": figures.loan_need,
                    "monthly_profit": figures.monthly_profit,
                    "payback_months": figures.payback_months,
                },
                figures_html=render_to_string(
                    "plans/_figures.html",
                    {"figures": figures, "own_funds": plan.draft_finance.get("own_funds", 0)},
                    request=request,
                ),
            )
        return JsonResponse(body, status=400 if errors and plan is None else 200)
    if errors:
        for field, field_messages in errors.items():
            messages.error(request, f"{_field_label(field)}: {' '.join(field_messages)}")
    else:
        messages.success(request, _("The draft is saved."))
    return redirect("plans:edit", code=code)


def _clock(moment) -> str:
    return date_format(timezone.localtime(moment), "H:i") if moment else ""


def _field_label(field: str) -> str:
    labels = {
        **dict(Section.choices),
        "monthly_revenue": _("Monthly revenue"),
        "monthly_costs": _("Monthly costs"),
        "own_funds": _("Own funds"),
        "startup": _("Start-up costs"),
    }
    if field.startswith("startup-"):
        return str(_("Start-up costs, row %(n)s") % {"n": int(field.split("-")[1]) + 1})
    return str(labels.get(field, _("The plan")))


@require_POST
def plan_upload(request, code):
    application = _application(request, code)
    upload = request.FILES.get("file")
    try:
        if upload is None:
            raise ValidationError({"file": [_("Choose a file.")]})
        services.plan_upload(actor=request.user, application=application, upload=upload)
        messages.success(request, _("The file is attached to your plan."))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect(reverse("plans:edit", args=[code]) + "#plan-file")


@require_POST
def plan_remove_upload(request, code):
    application = _application(request, code)
    try:
        services.plan_remove_upload(actor=request.user, application=application)
        messages.success(request, _("The file is removed from the draft."))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect(reverse("plans:edit", args=[code]) + "#plan-file")


@require_POST
def plan_submit(request, code):
    application = _application(request, code)
    try:
        version = services.plan_submit(actor=request.user, application=application)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("plans:edit", code=code)
    messages.success(
        request, _("Version %(n)s is submitted: your trainer can read it and comment.") % {"n": version.number}
    )
    return redirect("plans:version", code=version.code)


def draft_file(request, code):
    """The file attached to the draft, for its author."""
    application = _application(request, code)
    policy.require(request.user, "plans.read", application)
    plan = BusinessPlan.objects.filter(application=application).first()
    if plan is None or not plan.draft_file or application.applicant_id != request.user.pk:
        raise Http404
    return _file_response(plan.draft_file, plan.draft_file_type, f"business-plan-draft-{plan.pk}")


def _file_response(file, content_type: str, stem: str):
    suffix = "pdf" if content_type == "application/pdf" else "docx"
    return FileResponse(file.open("rb"), content_type=content_type, as_attachment=True, filename=f"{stem}.{suffix}")


# --- A version ----------------------------------------------------------------------------------


def version_detail(request, code):
    version = _version(request, code)
    comments: dict[str, list[PlanComment]] = {}
    for comment in version.comments.select_related("author"):
        comments.setdefault(comment.section, []).append(comment)
    application = version.plan.application
    can_freeze = version.plan.versions.filter(frozen_at__isnull=False).first() is None and policy.can(
        request.user, "plans.freeze", version
    )
    return render(
        request,
        "plans/version.html",
        {
            "version": version,
            "application": application,
            "sections": [
                {"code": c, "title": t, "text": version.sections.get(c, ""), "comments": comments.get(c, [])}
                for c, t in Section.choices
            ],
            "figures": version.figures,
            "rows": version.finance.get("startup", []),
            "can_comment": policy.can(request.user, "plans.comment", version),
            "can_freeze": can_freeze,
            "can_read_plan": policy.can(request.user, "plans.read", application),
        },
    )


@require_POST
def version_comment(request, code):
    version = _version(request, code)
    section = request.POST.get("section", "")
    try:
        services.plan_comment(actor=request.user, version=version, section=section, text=request.POST.get("text", ""))
        messages.success(request, _("The comment is saved; the participant sees it."))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect(
        reverse("plans:version", args=[code]) + (f"#section-{section}" if section in Section.values else "")
    )


@require_POST
def version_freeze(request, code):
    version = _version(request, code)
    try:
        services.plan_freeze(actor=request.user, version=version)
        messages.success(
            request,
            _("Version %(n)s is ready for defence: the commission will read it. The plan can no longer be changed.")
            % {"n": version.number},
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("plans:version", code=code)


def version_file(request, code):
    version = _version(request, code)
    if not version.file:
        raise Http404
    return _file_response(version.file, version.file_type, f"business-plan-{version.plan_id}-v{version.number}")


def version_pdf(request, code):
    """GET: the PDF's state (polled by htmx until it is ready). POST: make it (queued for the worker)."""
    version = _version(request, code)
    if request.method == "POST":
        version = services.plan_pdf_request(actor=request.user, version=version)
    if not request.htmx and request.method == "POST":
        return redirect(reverse("plans:version", args=[code]) + "#pdf")
    return render(request, "plans/_pdf.html", {"version": version})


def version_pdf_download(request, code):
    version = _version(request, code)
    if version.pdf_state != PdfState.READY or not version.pdf_file:
        raise Http404
    return FileResponse(
        version.pdf_file.open("rb"),
        content_type="application/pdf",
        as_attachment=True,
        filename=f"business-plan-{version.plan_id}-v{version.number}.pdf",
    )


# --- The reviewers' list ------------------------------------------------------------------------


@action_required("plans.review_any")
def group_plans(request, code):
    """The plans of a group's current members: a fixed number of queries whatever the group's size."""
    group = (
        TrainingGroup.objects.visible_to(request.user)
        .select_related("stream__year", "district")
        .filter(code=code)
        .first()
    )
    if group is None:
        raise Http404
    members = list(
        GroupMember.objects.current()
        .filter(group=group)
        .select_related("application__business_plan")
        .annotate(
            versions_count=Count("application__business_plan__versions", distinct=True),
            last_submitted=Max("application__business_plan__versions__submitted_at"),
            frozen_number=Max(
                "application__business_plan__versions__number",
                filter=Q(application__business_plan__versions__frozen_at__isnull=False),
            ),
        )
        .order_by("application__last_name", "application__first_name")
    )
    return render(request, "plans/group.html", {"group": group, "members": members})


@action_required("plans.review_any")
def groups(request):
    """The reviewer's groups, each with how many of its members have submitted a plan."""
    rows = (
        TrainingGroup.objects.visible_to(request.user)
        .select_related("stream__year")
        .annotate(
            size=Count("memberships", filter=Q(memberships__left_at__isnull=True), distinct=True),
            submitted=Count(
                "memberships__application__business_plan",
                filter=Q(
                    memberships__left_at__isnull=True,
                    memberships__application__business_plan__versions__isnull=False,
                ),
                distinct=True,
            ),
        )
        .order_by("-course_start", "name")
    )
    return render(request, "plans/groups.html", {"groups": rows})
