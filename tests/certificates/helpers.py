"""What the certificate tests share: an expelled participant walked along the real path, PDFs read back."""

import io

from applications.models import Application, Status
from tests.factories import _commission_of, make_finished, make_frozen_plan


def make_mixed_group(district, stream, *, group_name="Group M"):
    """A group of three who reached the end in different ways, through the commission's services: the
    first missed four days (above the limit of three: an expulsion case) and the secretary recorded the
    commission's decision to expel; the second defended (full marks), the third did not (none), and the
    chair confirmed. Returns (expelled, defended, not_defended, group)."""
    import datetime

    import time_machine

    from commissions import services
    from training.models import ExpulsionCase

    apps, group = make_finished(district, stream, 3, group_name=group_name, missed=4)
    expelled, defended, not_defended = apps
    assert expelled.status == Status.EXPULSION_CASE
    for application in (defended, not_defended):
        make_frozen_plan(application)
    commission = _commission_of(district)
    present = [seat.pk for seat in commission.seats]
    held_on = group.days.order_by("-date").first().date + datetime.timedelta(days=1)
    with time_machine.travel(datetime.datetime.combine(held_on, datetime.time(6), tzinfo=datetime.UTC), tick=False):
        case = ExpulsionCase.objects.get(application=expelled, state=ExpulsionCase.State.OPEN)
        services.case_decide(
            actor=commission.secretary,
            case_id=case.pk,
            decision="expel",
            reason="Four days missed",
            decided_on=held_on,
            present_ids=present,
        )
        session = services.session_schedule(
            actor=commission.secretary, group_id=group.pk, held_on=held_on, place="Akimat hall", present_ids=present
        )
        full = {defended.pk: True, not_defended.pk: False}
        criteria = list(session.commission.criteria.filter(is_active=True))
        for defence in session.defences.filter(absent=False):
            for seat in commission.seats:
                services.defence_score(
                    actor=seat.user,
                    session_id=session.pk,
                    defence_id=defence.pk,
                    points={c.pk: c.max_score if full[defence.application_id] else 0 for c in criteria},
                )
        services.session_confirm(actor=commission.chair, session_id=session.pk)
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
