"""Paper sessions: the Chamber types in or imports the scores of the whole session."""

import io
import re
from decimal import Decimal

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from applications.models import Status
from aptitude.models import Attempt
from tests.aptitude.helpers import schedule, start, take_url
from tests.factories import make_accepted, make_bank

pytestmark = pytest.mark.django_db

PLACE = "Chamber office, room 2"


@pytest.fixture
def session(chamber_user, district, stream):
    make_accepted(district, stream, 3)
    make_bank(20)
    return schedule(chamber_user, stream, mode="paper", place=PLACE)


@pytest.fixture
def attempts(session):
    return list(session.attempts.select_related("application").order_by("pk"))


@pytest.fixture
def chamber_client(login, chamber_user):
    return login(chamber_user)


def session_url(session) -> str:
    return reverse("aptitude:session", args=[session.code])


def row_of(html: str, attempt) -> str:
    """The table row of the attempt's applicant (found by their IIN)."""
    rows = html.split('data-testid="attempt-row"')[1:]
    (row,) = [r.split("</tr>")[0] for r in rows if f"<td>{attempt.application.masked_iin}</td>" in r]
    return row


def statuses(attempts) -> list[str]:
    for attempt in attempts:
        attempt.application.refresh_from_db()
    return [a.application.status for a in attempts]


def upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/octet-stream")


def test_the_chamber_records_the_whole_session_on_one_page(chamber_client, session, attempts):
    page = chamber_client.get(session_url(session)).text
    for attempt in attempts:
        assert f'name="score_{attempt.pk}"' in row_of(page, attempt)

    response = chamber_client.post(
        session_url(session),
        {
            f"score_{attempts[0].pk}": "72.5",
            f"score_{attempts[1].pk}": "40",
            f"score_{attempts[2].pk}": "",
        },
        follow=True,
    )

    assert response.redirect_chain == [(session_url(session), 302)]
    assert "Results recorded: 2." in response.text
    assert "72.5" in row_of(response.text, attempts[0])
    assert "Passed" in row_of(response.text, attempts[0])
    assert "Not passed" in row_of(response.text, attempts[1])
    assert f'name="score_{attempts[2].pk}"' in row_of(response.text, attempts[2])  # still to be typed in
    assert statuses(attempts) == [Status.PASSED, Status.TEST_FAILED, Status.ACCEPTED]
    recorded = Attempt.objects.get(pk=attempts[0].pk)
    assert (recorded.score_percent, recorded.passed, recorded.points) == (Decimal("72.5"), True, None)
    session.refresh_from_db()
    assert session.results_recorded_at is not None


@pytest.mark.parametrize("bad", ["100.1", "-1", "abc"])
def test_a_score_outside_nought_to_a_hundred_is_shown_on_its_field_and_nothing_is_recorded(
    chamber_client, session, attempts, bad
):
    response = chamber_client.post(
        session_url(session),
        {
            f"score_{attempts[0].pk}": bad,
            f"score_{attempts[1].pk}": "80",
        },
    )

    assert response.status_code == 200
    assert 'class="invalid-feedback' in row_of(response.text, attempts[0])
    assert "invalid-feedback" not in row_of(response.text, attempts[1])
    assert re.search(r"less than or equal to 100|greater than or equal to 0|Enter a number", response.text)
    assert statuses(attempts) == [Status.ACCEPTED] * 3
    assert not Attempt.objects.filter(submitted_at__isnull=False).exists()


def test_scores_are_imported_from_a_csv_file_with_columns_iin_and_score(chamber_client, session, attempts):
    first, second, _ = attempts
    content = f"iin,score\n{first.application.iin},61\n{second.application.iin},59.9\n990101300011,75\n"

    response = chamber_client.post(
        reverse("aptitude:session_import", args=[session.code]),
        {"file": upload("scores.csv", content.encode())},
        follow=True,
    )

    assert response.redirect_chain == [(session_url(session), 302)]
    assert "Results recorded: 2." in response.text
    assert "Not in this session: 990101300011." in response.text
    assert statuses(attempts) == [Status.PASSED, Status.TEST_FAILED, Status.ACCEPTED]
    assert Attempt.objects.get(pk=second.pk).score_percent == Decimal("59.9")


def test_a_csv_with_semicolons_and_decimal_commas_from_excel_is_read(chamber_client, session, attempts):
    first = attempts[0]
    content = f"\ufeffIIN;Score\n{first.application.iin};87,5\n".encode()

    chamber_client.post(reverse("aptitude:session_import", args=[session.code]), {"file": upload("s.csv", content)})

    assert Attempt.objects.get(pk=first.pk).score_percent == Decimal("87.5")


def test_scores_are_imported_from_an_xlsx_file(chamber_client, session, attempts):
    book = openpyxl.Workbook()
    book.active.append(["iin", "score"])
    for attempt, score in zip(attempts, (90, 10, 60), strict=True):
        book.active.append([attempt.application.iin, score])
    data = io.BytesIO()
    book.save(data)

    chamber_client.post(
        reverse("aptitude:session_import", args=[session.code]), {"file": upload("scores.xlsx", data.getvalue())}
    )

    assert statuses(attempts) == [Status.PASSED, Status.TEST_FAILED, Status.PASSED]


def test_a_file_without_the_columns_is_refused_and_records_nothing(chamber_client, session, attempts):
    content = f"name,result\n{attempts[0].application.iin},61\n".encode()

    response = chamber_client.post(
        reverse("aptitude:session_import", args=[session.code]), {"file": upload("scores.csv", content)}, follow=True
    )

    assert "Columns missing from the first row: iin, score." in response.text
    assert statuses(attempts) == [Status.ACCEPTED] * 3


def test_an_imported_score_above_a_hundred_records_nothing(chamber_client, session, attempts):
    content = f"iin,score\n{attempts[0].application.iin},70\n{attempts[1].application.iin},120\n".encode()

    response = chamber_client.post(
        reverse("aptitude:session_import", args=[session.code]), {"file": upload("scores.csv", content)}, follow=True
    )

    assert "A score is a percentage from 0 to 100." in response.text
    assert statuses(attempts) == [Status.ACCEPTED] * 3


def test_a_paper_test_cannot_be_started_online(login, attempts):
    attempt = attempts[0]
    client = login(attempt.application.applicant)

    page = client.get(take_url(attempt)).text
    response = start(client, attempt)

    assert f"This test is taken on paper at {PLACE}." in page
    assert reverse("aptitude:start", args=[attempt.code]) not in page
    assert f"This test is taken on paper at {PLACE}." in client.get(response.url).text
    attempt.refresh_from_db()
    assert attempt.started_at is None


def test_the_scores_of_an_online_test_cannot_be_typed_in(chamber_client, chamber_user, district, stream):
    make_accepted(district, stream, 1)
    make_bank(20)
    online = schedule(chamber_user, stream)
    attempt = online.attempts.get()

    response = chamber_client.post(session_url(online), {f"score_{attempt.pk}": "100"})

    assert response.status_code == 404
    attempt.refresh_from_db()
    assert attempt.submitted_at is None


def test_the_page_of_an_online_session_offers_no_score_fields(chamber_client, chamber_user, district, stream):
    make_accepted(district, stream, 1)
    make_bank(20)
    online = schedule(chamber_user, stream)
    attempt = online.attempts.get()

    page = chamber_client.get(session_url(online)).text

    assert "Record the scores" not in page
    assert f'name="score_{attempt.pk}"' not in row_of(page, attempt)  # nothing to type in that could be saved
    assert "Not started" in row_of(page, attempt)


def test_the_scores_of_an_online_test_cannot_be_imported_from_a_file(
    login, chamber_client, chamber_user, district, stream
):
    (application,) = make_accepted(district, stream, 1)
    make_bank(20)
    attempt = schedule(chamber_user, stream).attempts.get()
    start(login(application.applicant), attempt)  # the citizen is taking the test right now
    content = f"iin,score\n{application.iin},100\n".encode()

    login(chamber_user).post(
        reverse("aptitude:session_import", args=[attempt.session.code]), {"file": upload("scores.csv", content)}
    )

    attempt.refresh_from_db()
    assert attempt.submitted_at is None  # an online test is scored from the citizen's answers only
    application.refresh_from_db()
    assert application.status == Status.ACCEPTED


def test_a_score_that_is_not_a_number_names_its_line_and_records_nothing(chamber_client, session, attempts):
    content = f"iin,score\n{attempts[0].application.iin},70\n{attempts[1].application.iin},seventy\n".encode()

    response = chamber_client.post(
        reverse("aptitude:session_import", args=[session.code]), {"file": upload("scores.csv", content)}, follow=True
    )

    assert "Line 3: the score is not a number." in response.text
    assert statuses(attempts) == [Status.ACCEPTED] * 3
