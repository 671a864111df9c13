"""What the certificate tests share: an expelled participant walked along the real path, PDFs read back."""

import io

from django.db import transaction

from accounts.models import Role
from applications import pathway
from applications.models import Application, Status
from tests.factories import make_finished, make_staff


def make_mixed_group(district, stream, *, group_name="Group M"):
    """A group of three who reached the end in different ways: the first missed four days (above the
    limit of three: an expulsion case) and was expelled by the commission; the second defended; the
    third did not. Returns (expelled, defended, not_defended, group)."""
    apps, group = make_finished(district, stream, 3, group_name=group_name, missed=4)
    expelled, defended, not_defended = apps
    assert expelled.status == Status.EXPULSION_CASE
    member = make_staff(Role.COMMISSION, district=district)
    for application, move in (
        (expelled, "commissions.expel"),
        (defended, "commissions.defended"),
        (not_defended, "commissions.not_defended"),
    ):
        with transaction.atomic():
            locked = Application.objects.select_for_update().get(pk=application.pk)
            pathway.fire(locked, move, actor=member, reason="")
    return *[Application.objects.get(pk=a.pk) for a in apps], group


def pdf_text(data: bytes) -> str:
    from pypdf import PdfReader

    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def pdf_qr_codes(data: bytes) -> list[str]:
    """Render the first page to an image (PDFium) and decode every QR code on it (zxing-cpp)."""
    import pypdfium2
    import zxingcpp

    document = pypdfium2.PdfDocument(data)
    try:
        image = document[0].render(scale=2).to_pil()
    finally:
        document.close()
    return [result.text for result in zxingcpp.read_barcodes(image) if result.format == zxingcpp.BarcodeFormat.QRCode]
