"""IINs are masked on lists; the whole number only where the work needs it (issue 9)."""

import datetime

import pytest
import time_machine
from django.urls import reverse

from accounts.models import Role
from applications.models import ApplicantList, Status
from tests.factories import StreamFactory, make_application, make_staff

pytestmark = pytest.mark.django_db
NOW = datetime.datetime(2026, 11, 15, 12, tzinfo=datetime.UTC)


@pytest.fixture(autouse=True)
def _clock():
    with time_machine.travel(NOW, tick=False):
        yield


def test_the_queue_masks_iins_and_a_full_iin_still_finds_the_application(login, district, centre_user):
    StreamFactory()
    application = make_application(district=district)
    client = login(centre_user)
    page = client.get(reverse("applications:queue"))
    assert application.iin not in page.text and application.masked_iin in page.text
    found = client.get(reverse("applications:queue"), {"q": application.iin})
    assert [a.pk for a in found.context["page"]] == [application.pk]
    table = found.text.split("<tbody", 1)[1].split("</tbody>", 1)[0]
    assert application.iin not in table and application.masked_iin in table  # the box keeps what was typed


def test_the_decision_page_shows_the_whole_iin(login, district, centre_user):
    StreamFactory()
    application = make_application(district=district)
    page = login(centre_user).get(reverse("applications:decide", args=[application.code]))
    assert application.iin in page.text


def test_the_list_page_masks_iins_but_the_chamber_printout_and_export_keep_them(login, district, centre_user):
    StreamFactory()
    people = [make_application(district=district, status=Status.ELIGIBLE) for _ in range(2)]
    client = login(centre_user)
    client.post(reverse("applications:list_create"), {"stream": people[0].stream_id})
    applicant_list = ApplicantList.objects.get()
    page = client.get(reverse("applications:list_detail", args=[applicant_list.code]))
    for person in people:
        assert person.iin not in page.text and person.masked_iin in page.text
    # The printout and the spreadsheet sent to the Chamber keep the whole IIN
    # (tests/applications/test_lists.py::test_the_chamber_exports_the_list_as_a_spreadsheet).


def test_the_test_session_page_masks_iins(login, district):
    from tests.aptitude.helpers import schedule
    from tests.factories import make_accepted, make_bank

    stream = StreamFactory()
    chamber = make_staff(Role.CHAMBER, district=district)
    make_accepted(district, stream, 2)
    make_bank(20)
    session = schedule(chamber, stream, mode="paper", place="Room 2")
    page = login(chamber).get(reverse("aptitude:session", args=[session.code]))
    for attempt in session.attempts.select_related("application"):
        assert attempt.application.iin not in page.text
        assert attempt.application.masked_iin in page.text
