"""The lender the referral is addressed to reads the frozen business plan (the version the commission
read) and its PDF from the referral; another lender is refused, by the service and by URL."""

import pytest
from django.urls import reverse

from core.errors import Refused
from financing import services
from plans.models import PdfState
from plans.selectors import frozen_version_of
from tests.factories import make_loan_programme, make_officer
from tests.financing.helpers import forwarded

pytestmark = pytest.mark.django_db


@pytest.fixture
def referral(graduate, programme, chamber_user):
    return forwarded(graduate, programme, chamber_user)


@pytest.fixture
def other_officer(db):
    return make_officer(make_loan_programme().lender)


def test_the_lender_reads_the_frozen_version_from_the_referral(referral, graduate, officer, login):
    version = services.referral_plan(actor=officer, referral=referral)
    assert version == frozen_version_of(graduate) and version.frozen_at is not None
    client = login(officer)
    decide = client.get(reverse("financing:decide", args=[referral.code])).text
    assert 'data-testid="referral-plan"' in decide and reverse("financing:plan", args=[referral.code]) in decide
    page = client.get(reverse("financing:plan", args=[referral.code]))
    assert page.status_code == 200
    assert version.sections["summary"][:20] in page.text and 'data-testid="frozen-badge"' in page.text
    assert 'data-testid="pdf-request"' in page.text


def test_the_lender_has_the_pdf_made_and_downloads_it(referral, officer, login, django_capture_on_commit_callbacks):
    client = login(officer)
    url = reverse("financing:plan_pdf", args=[referral.code])
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        queued = client.post(url, headers={"HX-Request": "true"})
    assert 'hx-trigger="every 2s"' in queued.text
    for callback in callbacks:
        callback()
    version = frozen_version_of(referral.application)
    assert version.pdf_state == PdfState.READY
    polled = client.get(url).text
    assert reverse("financing:plan_pdf_download", args=[referral.code]) in polled
    pdf = client.get(reverse("financing:plan_pdf_download", args=[referral.code]))
    assert pdf.status_code == 200 and b"".join(pdf.streaming_content).startswith(b"%PDF-")


def test_another_lender_is_refused_by_the_service_and_the_pages(referral, other_officer, login):
    with pytest.raises(Refused):
        services.referral_plan(actor=other_officer, referral=referral)
    with pytest.raises(Refused):
        services.referral_plan_pdf_request(actor=other_officer, referral=referral)
    client = login(other_officer)
    for name in ("financing:plan", "financing:plan_pdf", "financing:plan_pdf_download"):
        assert client.get(reverse(name, args=[referral.code])).status_code == 404  # not in their inbox
    assert client.post(reverse("financing:plan_pdf", args=[referral.code])).status_code == 404


def test_the_chamber_and_a_referral_not_yet_forwarded_are_refused(graduate, programme, officer, chamber_user):
    from tests.financing.helpers import request

    referral = request(graduate, programme)
    with pytest.raises(Refused):
        services.referral_plan(actor=officer, referral=referral)  # still with the Chamber branch
    with pytest.raises(Refused):
        services.referral_plan(actor=chamber_user, referral=referral)  # reads plans through the plans' pages
