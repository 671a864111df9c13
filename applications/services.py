"""Every change to an application, list or import happens here (STYLE.md: services)."""

import datetime
import uuid
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from accounts import policy
from accounts.backends import normalise_phone
from accounts.models import Role, User
from accounts.scoping import office_district
from applications import pathway, rules, signals
from applications.iin import parse_iin
from applications.models import (
    OPEN_STATUSES,
    ApplicantList,
    Application,
    Channel,
    Document,
    IneligibilityReason,
    Status,
)
from core import audit, outbox
from core.errors import Conflict, NotFound, Refused, messages_of
from geography.models import District
from programme.selectors import next_stream_for, stream_open_for

PERSON_FIELDS = (
    "iin",
    "last_name",
    "first_name",
    "patronymic",
    "birth_date",
    "sex",
    "phone",
    "email",
    "district",
    "employment_status",
    "education",
    "business_idea",
    "sector",
    "is_citizen_confirmed",
)


@dataclass
class Applicant:
    """What a citizen states about themself on the form or in an imported row."""

    iin: str
    last_name: str
    first_name: str
    patronymic: str
    birth_date: datetime.date
    sex: str
    phone: str
    email: str
    district: District
    employment_status: str
    education: str
    business_idea: str
    sector: str
    is_citizen_confirmed: bool
    consent_given: bool


# --- Checks -------------------------------------------------------------------------------------


def check_applicant(applicant: Applicant, *, today: datetime.date, with_known: bool = True) -> dict[str, list[str]]:
    """The programme's refusals for a new application, as {field: [messages]}; empty when it may go in.

    `with_known=False` leaves out the refusals that tell who is known to the portal (a certificate,
    an application in progress): the online form asks `known_refusal` for those (no enumeration)."""
    errors: dict[str, list[str]] = {}
    try:
        parse_iin(applicant.iin)
    except ValidationError as exc:
        errors.setdefault("iin", []).extend(exc.messages)
    if applicant.birth_date and (message := rules.birth_date_error(applicant.birth_date, today)):
        errors.setdefault("birth_date", []).append(message)
    elif applicant.birth_date and not rules.is_adult_on(applicant.birth_date, today):
        errors.setdefault("birth_date", []).append(
            rules.UNDER_AGE_MESSAGE % {"date": date_format(rules.eighteenth_birthday(applicant.birth_date))}
        )
    for field in ("last_name", "first_name", "patronymic"):
        value = getattr(applicant, field)
        if value or field != "patronymic":
            try:
                rules.validate_cyrillic_name(value)
            except ValidationError as exc:
                errors.setdefault(field, []).extend(exc.messages)
    if not normalise_phone(applicant.phone or ""):
        errors.setdefault("phone", []).append(_("Enter a mobile number such as +7 701 234 56 78."))
    if not applicant.is_citizen_confirmed:
        errors.setdefault("is_citizen_confirmed", []).append(_("The programme is for citizens of Kazakhstan."))
    if not applicant.consent_given:
        errors.setdefault("consent", []).append(_("We can keep your application only with your consent."))
    if "iin" not in errors and with_known:
        refusal = known_refusal(applicant, creates_account=False)
        if refusal is not None:
            errors.setdefault(refusal.field, []).append(refusal.message)
    return errors


# Said to an anonymous visitor whatever the portal knows (an IIN in progress or with a certificate,
# a phone or e-mail with an account): the real reason goes to the contact already on file.
NEUTRAL_REFUSAL = gettext_lazy(
    "We could not take this application online. If you have applied or registered before, log in to see "
    "your application; we have sent a message to the phone or e-mail we already have."
)


@dataclass
class KnownRefusal:
    """A refusal that tells who is known; `notice` names who hears the real reason and why."""

    field: str
    message: str
    notice: tuple[str, str, int]  # (reason, "application" | "user", id)
    iin_owner_id: int | None = None  # the account the IIN's record belongs to, if any


def known_refusal(applicant: Applicant, *, creates_account: bool) -> KnownRefusal | None:
    """The first refusal that depends on who is already known to the portal, or None."""
    # Later stages refuse through the hook (certificates: one certificate per person, ever).
    refusals = [str(m) for _, m in signals.submission_check.send(sender=Application, iin=applicant.iin) if m]
    if refusals:
        on_file = Application.objects.filter(iin=applicant.iin).order_by("-submitted_at").first()
        return KnownRefusal(
            "iin",
            refusals[0],
            ("refused", "application", on_file.pk if on_file else 0),
            on_file.applicant_id if on_file else None,
        )
    open_application = Application.objects.filter(iin=applicant.iin, status__in=OPEN_STATUSES).first()
    if open_application is not None:
        return KnownRefusal(
            "iin",
            _("This IIN already has an application in progress."),
            ("in_progress", "application", open_application.pk),
            open_application.applicant_id,
        )
    if creates_account:
        by_phone = User.objects.filter(phone=applicant.phone).first()
        if by_phone is not None:
            return KnownRefusal(
                "phone",
                _("An account with this phone number exists: log in first, then apply."),
                ("account", "user", by_phone.pk),
            )
        by_email = applicant.email and User.objects.filter(email__iexact=applicant.email).first()
        if by_email:
            return KnownRefusal(
                "email",
                _("An account with this e-mail exists: log in first, then apply."),
                ("account", "user", by_email.pk),
            )
    return None


def _refuse_neutrally(notice: tuple[str, str, int]) -> None:
    """Queue the real reason to the contact on file (through the outbox) and raise the neutral answer."""
    reason, kind, pk = notice
    if pk:
        outbox.enqueue("applications.tasks.notify_known_applicant_task", reason, kind, pk)
    raise ValidationError(NEUTRAL_REFUSAL, code="known")


def _iin_mismatch(applicant: Applicant) -> bool:
    try:
        encoded = parse_iin(applicant.iin)
    except ValidationError:
        return False
    return encoded.birth_date != applicant.birth_date or encoded.sex != applicant.sex


# --- Submission ---------------------------------------------------------------------------------


def channel_for(user) -> str:
    """Online for citizens and anonymous visitors; the organisation's channel for intake staff."""
    if not user or not user.is_authenticated or user.role == Role.CITIZEN:
        return Channel.ONLINE
    policy.require(user, "applications.open_intake")
    return rules.CHANNEL_OF_ORGANISATION[user.organisation.kind]


def application_submit(
    *,
    applicant: Applicant,
    actor: User | None,
    account: User | None = None,
    password: str | None = None,
    language: str = "kk",
    now: datetime.datetime | None = None,
) -> Application:
    """Register an application: online by a citizen, or by staff for a walk-in.

    1. check the programme's rules (age, certificate, one open application per IIN, consent);
    2. pick the stream open for the district, or the next one;
    3. create the citizen's account when they apply online without one;
    4. store the application and its first status change, then notify after commit.
    Raises ValidationError({field: messages}) when the application cannot go in.
    """
    now = now or timezone.now()
    today = timezone.localdate(now)
    channel = channel_for(actor)
    staff = actor if channel != Channel.ONLINE else None
    if staff is None:
        if actor is not None:
            policy.require(actor, "applications.apply_online")
    elif not policy.can(staff, "applications.register", applicant.district):
        raise ValidationError({"district": [_("You can register applicants of your own area only.")]})
    online = channel == Channel.ONLINE
    errors = check_applicant(applicant, today=today, with_known=not online)
    if errors:
        raise ValidationError(errors)
    if online:
        # No enumeration: only the account a record belongs to hears why; anybody else gets one
        # neutral answer and the real reason goes to the contact already on file.
        refusal = known_refusal(applicant, creates_account=account is None)
        if refusal is not None:
            if account is not None and refusal.iin_owner_id == account.pk:
                raise ValidationError({refusal.field: [refusal.message]})
            _refuse_neutrally(refusal.notice)
    stream = stream_open_for(applicant.district, today) or next_stream_for(applicant.district, today)
    try:
        with transaction.atomic():
            if channel == Channel.ONLINE and account is None:
                account = _create_citizen_account(applicant, password, language)
            application = Application.objects.create(
                **{field: getattr(applicant, field) for field in PERSON_FIELDS},
                region_id=applicant.district.region_id,
                iin_mismatch=_iin_mismatch(applicant),
                channel=channel,
                stream=stream,
                applicant=account,
                registered_by=staff,
                registered_at_organisation=staff.organisation if staff is not None else None,
                consent_version=rules.CONSENT_VERSION,
                consent_given_at=now,
                submitted_at=now,
                status_changed_at=now,
                language=language,
            )
            application.number = f"{today:%y}-{application.pk:07d}"
            application.save(update_fields=["number"])
            pathway.record(application, "", Status.SUBMITTED, actor=actor or account, reason="", at=now)
    except IntegrityError as exc:
        # Two submissions at the same moment (a double click): the database keeps exactly one
        # application and one account; the other gets a refusal, never a 500. Constraint messages
        # echo the values, so only the constraint's name is looked at and nothing of it is shown.
        text = str(exc)
        twins = ("application_one_open_per_iin", "accounts_user_phone", "accounts_user.phone", "user_unique_email")
        if any(name in text for name in twins):
            raise ValidationError(
                NEUTRAL_REFUSAL if online else {"iin": [_("This IIN already has an application in progress.")]},
                code="duplicate",
            ) from None
        raise
    return application


def _create_citizen_account(applicant: Applicant, password: str | None, language: str) -> User:
    # The phone and e-mail were checked by known_refusal; a concurrent twin is caught by the
    # unique constraints (IntegrityError, handled by application_submit).
    user = User(
        username=f"citizen-{uuid.uuid4().hex[:12]}",
        role=Role.CITIZEN,
        first_name=applicant.first_name,
        last_name=applicant.last_name,
        patronymic=applicant.patronymic,
        phone=applicant.phone,
        email=applicant.email,
        language=language,
    )
    if password:
        user.set_password(password)
    else:
        user.set_unusable_password()
    user.save()
    return user


# --- Status changes -----------------------------------------------------------------------------


def _locked(application_id: int, user) -> Application:
    """The application, locked for the change, if the user may see it; NotFound otherwise."""
    application = Application.objects.visible_to(user).select_for_update(of=("self",)).filter(pk=application_id).first()
    if application is None:
        raise NotFound(_("This application does not exist or is outside your area."))
    return application


@transaction.atomic
def application_decide(
    *, application_id: int, actor: User, eligible: bool, reason: str = "", note: str = ""
) -> Application:
    """The employment centre's eligibility decision."""
    policy.require(actor, "applications.decide_any")
    application = _locked(application_id, actor)
    now = timezone.now()
    if eligible:
        pathway.fire(
            application,
            "applications.approve",
            actor=actor,
            decided_by=actor,
            decided_at=now,
            ineligibility_reason="",
            ineligibility_note="",
        )
        return application
    if reason not in IneligibilityReason.values:
        raise ValidationError({"reason": [_("Choose the reason.")]})
    if reason == IneligibilityReason.OTHER and not note.strip():
        raise ValidationError({"note": [_("Explain the reason.")]})
    if application.applicant_list_id:
        raise Conflict(_("The application is on a list for the Chamber: take it off the list first."))
    label = IneligibilityReason(reason).label  # lazy: rendered in the applicant's language by pathway.record
    pathway.fire(
        application,
        "applications.refuse",
        actor=actor,
        reason=lambda: f"{label}. {note}".strip(" ."),
        decided_by=actor,
        decided_at=now,
        ineligibility_reason=reason,
        ineligibility_note=note.strip(),
    )
    return application


@transaction.atomic
def applications_decide_bulk(
    *, application_ids: list[int], actor: User, eligible: bool, reason: str = "", note: str = ""
) -> tuple[int, list[str]]:
    """Decide many at once, in one transaction: each decision that can stand does (a savepoint each),
    the others are reported; one decided or withdrawn meanwhile (no longer awaiting the decision) is
    skipped and counted. Returns (decided, problems)."""
    policy.require(actor, "applications.decide_any")
    decided, problems, skipped = 0, [], []
    locked = dict(Application.objects.select_for_update().filter(pk__in=application_ids).values_list("pk", "status"))
    numbers = dict(Application.objects.filter(pk__in=application_ids).values_list("pk", "number"))
    for application_id in application_ids:
        if application_id in locked and locked[application_id] != Status.SUBMITTED:
            skipped.append(numbers[application_id] or "—")
            continue
        try:
            with transaction.atomic():
                application_decide(
                    application_id=application_id, actor=actor, eligible=eligible, reason=reason, note=note
                )
            decided += 1
        except Conflict:
            skipped.append(numbers.get(application_id) or "—")
        except (ValidationError, Refused, NotFound) as exc:
            problems.append(f"{numbers.get(application_id, '—')}: {' '.join(messages_of(exc))}")
    if skipped:
        problems.append(
            ngettext(
                "%(count)s skipped: decided or withdrawn meanwhile (%(numbers)s).",
                "%(count)s skipped: decided or withdrawn meanwhile (%(numbers)s).",
                len(skipped),
            )
            % {"count": len(skipped), "numbers": ", ".join(skipped)}
        )
    return decided, problems


@transaction.atomic
def application_withdraw(*, application_id: int, actor: User, reason: str = "") -> Application:
    """The citizen (or an office handling the case) withdraws an application that is still going.
    Later stages free what they hold (a group seat, an untaken test) through `signals.status_changed`."""
    application = _locked(application_id, actor)
    policy.require(actor, "applications.withdraw", application)
    fields: dict[str, Any] = {}
    if application.applicant_list is not None and application.applicant_list.state == ApplicantList.State.DRAFT:
        fields["applicant_list"] = None  # off the list being prepared; a sent list keeps its history
    pathway.fire(
        application,
        "applications.withdraw",
        actor=actor,
        reason=reason or gettext_lazy("Withdrawn by the applicant."),
        **fields,
    )
    return application


# --- Documents ----------------------------------------------------------------------------------


def document_attach(*, application: Application, actor: User, kind: str, upload) -> Document:
    policy.require(actor, "applications.attach_document", application)
    if not application.is_open:
        raise ValidationError({"file": [_("The application has ended: documents can no longer be attached.")]})
    content_type = detect_type(upload)
    if content_type is None:
        raise ValidationError({"file": [_("Attach a PDF, JPEG or PNG file.")]})
    if upload.size > rules.DOCUMENT_MAX_BYTES:
        raise ValidationError({"file": [_("The file is larger than 10 MB.")]})
    return Document.objects.create(
        application=application,
        kind=kind,
        file=upload,
        original_name=upload.name[:200],
        content_type=content_type,
        size=upload.size,
        uploaded_by=actor,
    )


def detect_type(upload) -> str | None:
    """The file's real type from its first bytes, whatever its name says."""
    head = upload.read(8)
    upload.seek(0)
    if head.startswith(b"%PDF-"):
        return "application/pdf"
    if head.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    return None


# --- Lists for the Chamber ----------------------------------------------------------------------


@transaction.atomic
def applicant_list_create(*, actor: User, stream) -> ApplicantList:
    """Gather the district's eligible applicants of the stream that are on no list yet."""
    policy.require(actor, "applications.prepare_list")
    district = office_district(actor)
    if district is None:  # the rule asks for a district office; this keeps the types honest
        raise Refused(_("Lists for the Chamber are prepared by a district's employment centre."))
    candidates = (
        Application.objects.filter(district=district)
        .select_for_update()
        .filter(stream=stream, status=Status.ELIGIBLE, applicant_list__isnull=True)
    )
    ids = list(candidates.values_list("pk", flat=True))
    if not ids:
        raise ValidationError(_("There are no eligible applicants of this stream that are not on a list yet."))
    last = ApplicantList.objects.filter(district=district, stream=stream).order_by("-number").first()
    applicant_list = ApplicantList.objects.create(
        number=(last.number + 1) if last else 1, stream=stream, district=district, created_by=actor
    )
    Application.objects.filter(pk__in=ids).update(applicant_list=applicant_list)
    return applicant_list


def _locked_list(list_id: int, actor: User, action: str) -> ApplicantList:
    applicant_list = ApplicantList.objects.visible_to(actor).select_for_update().filter(pk=list_id).first()
    if applicant_list is None:
        raise NotFound(_("This list does not exist or is outside your area."))
    policy.require(actor, action, applicant_list)
    return applicant_list


@transaction.atomic
def applicant_list_remove(*, list_id: int, application_id: int, actor: User) -> None:
    applicant_list = _locked_list(list_id, actor, "applications.edit_list")
    if applicant_list.state != ApplicantList.State.DRAFT:
        raise Conflict(_("A list that has been sent cannot change."))
    Application.objects.filter(pk=application_id, applicant_list=applicant_list).update(applicant_list=None)


@transaction.atomic
def applicant_list_send(*, list_id: int, actor: User) -> ApplicantList:
    """Hand the list to the district's Chamber branch: its applicants become 'sent to the Chamber'."""
    applicant_list = _locked_list(list_id, actor, "applications.edit_list")
    if applicant_list.state != ApplicantList.State.DRAFT:
        raise Conflict(_("This list has already been sent."))
    applications = list(applicant_list.applications.select_for_update())
    if not applications:
        raise ValidationError(_("The list is empty."))
    for application in applications:
        pathway.fire(application, "applications.send", actor=actor, reason=applicant_list.__str__)
    applicant_list.state = ApplicantList.State.SENT
    applicant_list.sent_at = timezone.now()
    applicant_list.save(update_fields=["state", "sent_at"])
    return applicant_list


@transaction.atomic
def applicant_list_accept(*, list_id: int, actor: User) -> ApplicantList:
    """The Chamber branch accepts a list: its applicants wait for the aptitude test."""
    applicant_list = _locked_list(list_id, actor, "applications.accept_list")
    if applicant_list.state != ApplicantList.State.SENT:
        raise Conflict(_("Only a list that has been sent can be accepted."))
    for application in applicant_list.applications.select_for_update().filter(status=Status.LISTED):
        pathway.fire(application, "applications.accept", actor=actor, reason=applicant_list.__str__)
    applicant_list.state = ApplicantList.State.ACCEPTED
    applicant_list.accepted_at = timezone.now()
    applicant_list.accepted_by = actor
    applicant_list.save(update_fields=["state", "accepted_at", "accepted_by"])
    return applicant_list


# --- Corrections of personal data ---------------------------------------------------------------

# What staff may correct: what the applicant stated, except the citizenship they confirmed themself.
CORRECTABLE_FIELDS = tuple(name for name in PERSON_FIELDS if name != "is_citizen_confirmed")


def personal_data_errors(application: Application, values: dict[str, Any]) -> dict[str, list[str]]:
    """The programme's refusals for corrected personal data, as {field: [messages]}."""
    errors: dict[str, list[str]] = {}
    if "iin" in values:
        try:
            parse_iin(values["iin"])
        except ValidationError as exc:
            errors["iin"] = list(exc.messages)
    for name in ("last_name", "first_name", "patronymic"):
        if name in values and (values[name] or name != "patronymic"):
            try:
                rules.validate_cyrillic_name(values[name])
            except ValidationError as exc:
                errors[name] = list(exc.messages)
    if "phone" in values and not normalise_phone(str(values["phone"] or "")):
        errors["phone"] = [_("Enter a mobile number such as +7 701 234 56 78.")]
    if values.get("birth_date"):
        day = timezone.localdate(application.submitted_at)
        if not rules.is_adult_on(values["birth_date"], day):
            errors["birth_date"] = [
                rules.UNDER_AGE_MESSAGE % {"date": date_format(rules.eighteenth_birthday(values["birth_date"]))}
            ]
    return errors


@transaction.atomic
def application_correct(*, application_id: int, actor: User, values: dict[str, Any]) -> Application:
    """Staff correct an applicant's personal data: checked by the same rules as the form, and every
    change recorded with its old and new value (core.models.AuditEntry)."""
    application = _locked(application_id, actor)
    policy.require(actor, "applications.correct", application)
    values = {name: value for name, value in values.items() if name in CORRECTABLE_FIELDS}
    errors = personal_data_errors(application, values)
    if errors:
        raise ValidationError(errors)
    before = audit.snapshot(application, values)
    for name, value in values.items():
        setattr(application, name, value)
    application.region_id = application.district.region_id
    encoded = Applicant(**{f: getattr(application, f) for f in PERSON_FIELDS}, consent_given=True)
    application.iin_mismatch = _iin_mismatch(encoded)
    try:
        with transaction.atomic():
            application.save(update_fields=[*values, "region", "iin_mismatch"])
    except IntegrityError:
        raise ValidationError({"iin": [_("This IIN already has an application in progress.")]}) from None
    changes = audit.diff(before, audit.snapshot(application, values))
    if changes:
        audit.record(actor=actor, obj=application, action="change", changes=changes)
    return application
