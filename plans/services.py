"""Every change to a business plan: the draft saved as the participant types, an upload, a submission
(a new version), "ready for defence" (the version frozen), the reviewers' comments, a PDF requested.

Each service checks its rule (plans/policy.py) and works on the plan's row locked, so two tabs
saving at once, or a save racing a freeze, serialise on it.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import policy
from accounts.models import User
from applications.models import Application
from core import jobs
from core.errors import Conflict, NotFound
from plans import finance as money
from plans import uploads
from plans.models import (
    SECTION_MAX_LENGTH,
    BusinessPlan,
    PdfState,
    PlanComment,
    PlanLanguage,
    PlanVersion,
    Section,
)

COMMENT_MAX_LENGTH = 2000


def _frozen_conflict() -> Conflict:
    return Conflict(_("The business plan is ready for defence: it can no longer be changed."), code="plans.frozen")


def _locked_plan(actor: User, application: Application, *, create: bool) -> BusinessPlan:
    """The application's plan, its row locked; made (in the application's language) on the first save."""
    policy.require(actor, "plans.edit", application)
    plan = BusinessPlan.objects.select_for_update().filter(application=application).first()
    if plan is None and create:
        language = application.language if application.language in PlanLanguage.values else PlanLanguage.KK
        BusinessPlan.objects.get_or_create(application=application, defaults={"language": language})
        plan = BusinessPlan.objects.select_for_update().get(application=application)
    if plan is None:
        raise NotFound(_("There is no business plan yet."))
    if plan.versions.filter(frozen_at__isnull=False).exists():
        raise _frozen_conflict()
    return plan


def clean_sections(sections: dict) -> dict[str, str]:
    """The sections' text, each bounded; ValidationError names each section that is too long."""
    errors: dict[str, list[str]] = {}
    cleaned: dict[str, str] = {}
    for code in Section.values:
        text = sections.get(code, "")
        if not isinstance(text, str):
            errors[code] = [_("Enter text.")]
            continue
        text = text.replace("\x00", "").replace("\r\n", "\n")
        if len(text) > SECTION_MAX_LENGTH:
            errors[code] = [_("At most %(max)s characters (now %(n)s).") % {"max": SECTION_MAX_LENGTH, "n": len(text)}]
        cleaned[code] = text
    unknown = set(sections) - set(Section.values)
    if unknown:
        errors["sections"] = [_("Unknown section.")]
    if errors:
        raise ValidationError(errors)
    return cleaned


@transaction.atomic
def plan_save_draft(
    *,
    actor: User,
    application: Application,
    sections: dict | None = None,
    finance: dict | None = None,
    language: str | None = None,
    base_revision: int | None = None,
    client: str = "",
) -> BusinessPlan:
    """Save the draft (any of sections, financial table, language). `base_revision` is the draft revision
    the client's text was based on: when the server has moved on since (another tab, a save that arrived
    late), the save is refused with Conflict, so a stale save never overwrites a newer one. Two exceptions: a
    save that carries exactly what is stored already (a retried save) is a no-op, and the editor tab
    (`client`) that made the current revision may go on from it (its own earlier save arrived but the
    answer was lost). Returns the plan with its new revision."""
    plan = _locked_plan(actor, application, create=True)
    new_sections = clean_sections(sections) if sections is not None else None
    new_finance = money.as_json(money.clean(finance)) if finance is not None else None
    if language is not None and language not in PlanLanguage.values:
        raise ValidationError({"language": [_("Choose Kazakh or Russian.")]})
    unchanged = (
        (new_sections is None or new_sections == {**_empty_sections(), **plan.draft_sections})
        and (new_finance is None or new_finance == plan.draft_finance)
        and (language is None or language == plan.language)
    )
    if unchanged:
        return plan
    own_last_save = bool(client) and client == plan.draft_client
    if base_revision is not None and base_revision != plan.draft_revision and not own_last_save:
        raise Conflict(
            _("The plan was changed elsewhere (another tab or device) after this text was written."),
            code="plans.stale",
        )
    if new_sections is not None:
        plan.draft_sections = new_sections
    if new_finance is not None:
        plan.draft_finance = new_finance
    if language is not None:
        plan.language = language
    plan.draft_revision += 1
    plan.draft_client = client[:64]
    plan.draft_saved_at = plan.updated_at = timezone.now()
    plan.save(
        update_fields=[
            "draft_client",
            "draft_sections",
            "draft_finance",
            "language",
            "draft_revision",
            "draft_saved_at",
            "updated_at",
        ]
    )
    return plan


def _empty_sections() -> dict[str, str]:
    return dict.fromkeys(Section.values, "")


@transaction.atomic
def plan_upload(*, actor: User, application: Application, upload) -> BusinessPlan:
    """Attach a PDF or DOCX to the draft, checked from its content and its size, stored under a name
    the server picks (models.upload_path). A new upload replaces the draft's file; versions keep theirs."""
    plan = _locked_plan(actor, application, create=True)
    if upload.size > settings.PLAN_UPLOAD_MAX_BYTES:
        raise ValidationError(
            {"file": [_("The file is larger than %(mb)s MB.") % {"mb": settings.PLAN_UPLOAD_MAX_BYTES // 2**20}]}
        )
    content_type = uploads.detect_type(upload)
    if content_type is None:
        raise ValidationError({"file": [_("Attach a PDF or a Word (DOCX) file.")]})
    plan.draft_file_type = content_type
    plan.draft_file_name = (upload.name or "")[:200]
    plan.draft_file_size = upload.size
    plan.draft_file = upload  # saved under upload_path's uuid name when the row is saved
    plan.draft_revision += 1
    plan.draft_saved_at = plan.updated_at = timezone.now()
    plan.save()
    return plan


@transaction.atomic
def plan_remove_upload(*, actor: User, application: Application) -> BusinessPlan:
    plan = _locked_plan(actor, application, create=False)
    plan.draft_file = ""
    plan.draft_file_name = plan.draft_file_type = ""
    plan.draft_file_size = 0
    plan.draft_revision += 1
    plan.updated_at = timezone.now()
    plan.save()
    return plan


@transaction.atomic
def plan_submit(*, actor: User, application: Application) -> PlanVersion:
    """A new version from the draft, numbered 1, 2, … The draft stays, to go on writing."""
    plan = _locked_plan(actor, application, create=False)
    sections = {**_empty_sections(), **plan.draft_sections}
    if not any(text.strip() for text in sections.values()) and not plan.draft_file:
        raise ValidationError(_("Write at least one section or attach the plan as a file before submitting it."))
    number = (plan.versions.aggregate(n=Max("number"))["n"] or 0) + 1
    return PlanVersion.objects.create(
        plan=plan,
        number=number,
        language=plan.language,
        sections=sections,
        finance=plan.draft_finance,
        file=plan.draft_file.name if plan.draft_file else "",
        file_name=plan.draft_file_name,
        file_type=plan.draft_file_type,
        file_size=plan.draft_file_size,
        submitted_by=actor,
    )


@transaction.atomic
def plan_freeze(*, actor: User, version: PlanVersion) -> PlanVersion:
    """ "Ready for defence": freeze this version for the commission. After it the plan does not change."""
    policy.require(actor, "plans.freeze", version)
    BusinessPlan.objects.select_for_update().get(pk=version.plan_id)
    if PlanVersion.objects.filter(plan_id=version.plan_id, frozen_at__isnull=False).exists():
        raise _frozen_conflict()
    version = PlanVersion.objects.get(pk=version.pk)
    version.frozen_at = timezone.now()
    version.frozen_by = actor
    version.save(update_fields=["frozen_at", "frozen_by"])
    return version


@transaction.atomic
def plan_comment(*, actor: User, version: PlanVersion, section: str, text: str) -> PlanComment:
    """A reviewer's comment on one section of a version."""
    policy.require(actor, "plans.comment", version)
    text = (text or "").strip()
    errors: dict[str, list[str]] = {}
    if section not in Section.values:
        errors["section"] = [_("Choose a section.")]
    if not text:
        errors["text"] = [_("Write the comment.")]
    elif len(text) > COMMENT_MAX_LENGTH:
        errors["text"] = [_("At most %(max)s characters (now %(n)s).") % {"max": COMMENT_MAX_LENGTH, "n": len(text)}]
    if errors:
        raise ValidationError(errors)
    return PlanComment.objects.create(version=version, section=section, text=text, author=actor)


@transaction.atomic
def plan_pdf_request(*, actor: User, version: PlanVersion) -> PlanVersion:
    """Queue the version's PDF (plans.tasks.render_plan_pdf_task, after the commit). A version whose PDF
    is ready or on its way is left as it is; a failed one is queued again."""
    policy.require(actor, "plans.view", version)
    return plan_pdf_queue(version=version)


@transaction.atomic
def plan_pdf_queue(*, version: PlanVersion) -> PlanVersion:
    """Queue the version's PDF unless it is ready or on its way. The caller has asked its own rule of who
    may read the version (plan_pdf_request: plans.view; a later stage, its own)."""
    version = PlanVersion.objects.select_for_update().get(pk=version.pk)
    if version.pdf_state in (PdfState.QUEUED, PdfState.RENDERING, PdfState.READY):
        return version
    from plans.tasks import PLAN_PDF

    jobs.start(PLAN_PDF, version)
    return version
