"""Reading certificates: the person's valid one (the application stage's hook), a group's page."""

from django.db.models import Count, Q

from certificates.models import Certificate, IssueJob
from training.models import TrainingGroup


def valid_certificate_for(iin: str) -> Certificate | None:
    """The person's certificate that has not been revoked, if they hold one."""
    return Certificate.objects.filter(iin=iin, revoked_at__isnull=True).first()


def groups_for(user):
    """The groups the user may see, with how many valid certificates each has and how many are ready."""
    return (
        TrainingGroup.objects.visible_to(user)
        .select_related("stream__year", "district")
        .annotate(
            certified=Count("certificates", filter=Q(certificates__revoked_at__isnull=True)),
            ready=Count(
                "certificates",
                filter=Q(certificates__revoked_at__isnull=True, certificates__render_state=Certificate.Render.READY),
            ),
        )
        .order_by("-course_start", "name")
    )


def group_rows(group: TrainingGroup) -> list[dict]:
    """One row per participant who ended the course in the group: the application and its certificate
    (the valid one, else the latest revoked). Two queries."""
    from certificates.services import group_applications

    applications = list(group_applications(group).order_by("last_name", "first_name", "pk"))
    certificates: dict[int | None, Certificate] = {}
    for certificate in Certificate.objects.filter(application__in=[a.pk for a in applications]).order_by(
        "year", "sequence"
    ):
        held = certificates.get(certificate.application_id)
        if held is None or held.revoked_at is not None:
            certificates[certificate.application_id] = certificate
    return [{"application": a, "certificate": certificates.get(a.pk)} for a in applications]


def progress(rows: list[dict]) -> dict:
    """How far the group's PDFs are: valid certificates, how many ready, failed, still to come."""
    valid = [row["certificate"] for row in rows if row["certificate"] and row["certificate"].revoked_at is None]
    ready = sum(1 for c in valid if c.render_state == Certificate.Render.READY)
    failed = sum(1 for c in valid if c.render_state == Certificate.Render.FAILED)
    return {"total": len(valid), "ready": ready, "failed": failed, "pending": len(valid) - ready - failed}


def last_job(group: TrainingGroup) -> IssueJob | None:
    return IssueJob.objects.filter(group=group).order_by("-created_at").first()


def certificate_detail(user, code) -> Certificate:
    return (
        Certificate.objects.visible_to(user)
        .select_related("application", "district", "stream__year", "replaces", "revoked_by")
        .get(code=code)
    )


def for_verification(**lookup) -> Certificate | None:
    """A certificate for the public page, with what it shows (and the one that replaced it)."""
    return Certificate.objects.select_related("replaced_by").filter(**lookup).first()


def check_upload(data: bytes) -> tuple[str, Certificate | None]:
    """What an uploaded PDF is: "genuine" (our signature over the whole, unchanged file, the number in
    our register, and byte for byte the file we issued: even a byte of the signature's unsigned
    padding changed is caught), "not_ours" (signed by us but naming no certificate of ours), or
    "altered" (anything else: changed, signed by someone else, not signed, not a PDF)."""
    import hashlib

    from certificates import signing

    check = signing.check_pdf(data)
    if not check.genuine:
        return "altered", None
    certificate = for_verification(number=check.number)
    if certificate is None:
        return "not_ours", None
    if certificate.sha256 != hashlib.sha256(data).hexdigest():
        return "altered", None
    return "genuine", certificate
