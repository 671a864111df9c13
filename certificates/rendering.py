"""The certificate's PDF: Kazakh and Russian on one A4 landscape page, a QR code to the public
verification page, signed (certificates/signing.py). Called by the `pdf` queue's task.

`render_certificate(id)` is idempotent. It marks the row *rendering* (a short transaction of its
own, so the page shows it), then, holding the row's lock (`skip_locked`: a copy of the message
running at the same moment returns at once), renders, signs, writes the file under the row's
server-chosen name (the same name every time, so a try killed half-way is simply overwritten) and
marks it *ready* in the same transaction, queueing the holder's e-mail. A row already *ready* is
left alone. Nothing here creates a certificate or a number: those exist before the first render.
"""

import datetime
import hashlib
import logging

import segno
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from accounts.models import Organisation, OrganisationKind
from certificates import signing
from certificates.models import Certificate, certificate_file_name
from core import outbox
from core.links import portal_link
from core.pdf import render_pdf
from geography.models import District

log = logging.getLogger("bastau.certificates")

STYLESHEET = "certificate.css"
LANGUAGES = ("kk", "ru")


def verification_url(certificate: Certificate) -> str:
    return portal_link("certificates:verify_code", certificate.code)


# segno tries all 8 masks and keeps the one the standard's penalty rules score best (3.5 ms); any mask
# gives a valid code, so one is fixed (0.9 ms): mask 2, the one segno itself picks most often for our
# links (93 of 300). tests/certificates/test_rendering.py decodes codes made this way.
QR_MASK = 2


def qr_code(url: str) -> segno.QRCode:
    return segno.make_qr(url, error="m", mask=QR_MASK)


def qr_data_uri(url: str) -> str:
    """The QR code as an SVG data: URI (small, sharp at any scale, no file to fetch)."""
    return qr_code(url).svg_data_uri(scale=4, border=2)


class NotRenderable(ValueError):
    """A certificate the portal did not issue (one from the paper register: no district, course dates or
    application): there is nothing to print. Another try cannot help (tasks.py: it fails at once)."""


def _printed(certificate: Certificate) -> tuple[District, datetime.date, datetime.date]:
    """What the page prints that an issued certificate always has: its district and course dates."""
    district, start, end = certificate.district, certificate.course_start, certificate.course_end
    if district is None or start is None or end is None:
        raise NotRenderable(_("Not issued through the portal (no district or course dates): no PDF to make."))
    return district, start, end


def _chamber(district: District) -> Organisation | None:
    return Organisation.objects.filter(kind=OrganisationKind.CHAMBER_BRANCH, district=district).order_by("pk").first()


def _chamber_name(chamber: Organisation | None, language: str) -> str:
    if chamber is not None:
        return getattr(chamber, f"name_{language}") or chamber.name_ru
    return _("National Chamber of Entrepreneurs of the Republic of Kazakhstan “Atameken”")


def _texts(certificate: Certificate, language: str, chamber: Organisation | None, printed: tuple) -> dict:
    district, start, end = printed
    with translation.override(language):
        completion = certificate.kind == Certificate.Kind.COMPLETION
        return {
            "lang": language,
            "chamber": _chamber_name(chamber, language),
            "kind": str(certificate.get_kind_display()),
            "programme": _("Bastau entrepreneurship training programme"),
            "awarded": _("This certificate is awarded to"),
            "body": _("who completed the training course and defended a business plan before the commission")
            if completion
            else _("who took part in the training course"),
            "district": getattr(district, f"name_{language}") or district.name_ru,
            "stream": str(certificate.stream),
            "course": _("Course from %(start)s to %(end)s")
            % {
                "start": date_format(start, "SHORT_DATE_FORMAT"),
                "end": date_format(end, "SHORT_DATE_FORMAT"),
            },
            "issued_on": date_format(certificate.issued_on, "DATE_FORMAT"),
            "labels": {
                "number": _("Number"),
                "issued_on": _("Issued on"),
                "iin": _("IIN"),
                "district": _("District"),
                "director": _("Director of the Chamber branch"),
                "coordinator": _("Programme coordinator"),
                "signature": _("signature"),
                "check": _("Check this certificate: scan the QR code or open"),
            },
        }


def context_for(certificate: Certificate) -> dict:
    printed = _printed(certificate)
    url = verification_url(certificate)
    chamber = _chamber(printed[0])
    kk, ru = (_texts(certificate, language, chamber, printed) for language in LANGUAGES)
    return {"certificate": certificate, "texts": [kk, ru], "kk": kk, "ru": ru, "url": url, "qr": qr_data_uri(url)}


def render_signed(certificate: Certificate) -> bytes:
    pdf = render_pdf("certificates/pdf/certificate.html", context_for(certificate), stylesheet=STYLESHEET)
    return signing.sign(pdf, certificate.number)


def _begin(certificate_id: int) -> Certificate | None:
    """Begin a try: the row marked rendering with one more attempt (committed at once, so the page shows
    it; core.jobs.claim); None when there is nothing to do or the tries are used up (then it is failed)."""
    from certificates.tasks import CERTIFICATE_PDF
    from core import jobs

    return jobs.claim(CERTIFICATE_PDF, certificate_id)


def _commit_without_waiting_for_the_disk() -> None:
    """The render's final transaction commits without waiting for PostgreSQL to flush its WAL to disk
    (`SET LOCAL synchronous_commit = off`, this transaction only). The commit is as atomic and as visible
    as ever and survives the worker's death; only a crash of the database server within ~3 ×
    wal_writer_delay (0.6 s by default) can lose it. Then the row is back to *rendering* with its attempt
    counted (the claim's commit is an ordinary one), and the sweeper (core.jobs.sweep) queues the render
    again once it is stale: the file is written again under its fixed name. PostgreSQL only
    (docs/benchmarks.md "Where the worker's time goes")."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL synchronous_commit = off")


def render_certificate(certificate_id: int) -> str:
    """Render, sign and store one certificate's PDF. Returns what happened: "ready", "skipped"."""
    if _begin(certificate_id) is None:
        return "skipped"
    with transaction.atomic():
        row = (
            Certificate.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("district", "stream__year")
            .annotate(holder_email=F("application__email"))  # a join of one column, not the whole row
            .filter(pk=certificate_id)
            .first()
        )
        if row is None or row.render_state == Certificate.Render.READY:
            return "skipped"  # another copy of the message holds it, or finished it
        pdf = render_signed(row)
        # Chosen at issue; the same on every try.
        name = row.file.name or certificate_file_name(row.year or row.issued_on.year)
        if default_storage.exists(name):
            default_storage.delete(name)  # a try killed after writing: same name, written again
        stored = default_storage.save(name, ContentFile(pdf))
        row.file.name = stored
        row.sha256 = hashlib.sha256(pdf).hexdigest()
        row.render_state, row.rendered_at, row.render_error = Certificate.Render.READY, timezone.now(), ""
        _commit_without_waiting_for_the_disk()
        row.save(update_fields=["file", "sha256", "render_state", "rendered_at", "render_error"])
        if row.holder_email and row.emailed_at is None:
            outbox.enqueue("certificates.tasks.email_certificate_task", row.pk)
    return "ready"
