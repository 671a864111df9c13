"""The Chamber's certificate pages, the holder's panel and download, scoping, and query counts."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import Role
from certificates import services
from certificates.models import Certificate
from core.errors import NotFound
from tests.certificates.helpers import make_mixed_group
from tests.factories import make_defended, make_staff

pytestmark = pytest.mark.django_db

# The group's certificates page, query by query: 1 the session, 2 the user, 3 the user's organisation
# (their scope; the issue rule reads the same), 4 the group with its stream, year and district,
# 5 the participants' applications, 6 their certificates, 7 the group's last issuing job.
# The same for 2 participants as for 7.
GROUP_PAGE_QUERIES = 7


def count_queries(client, url) -> tuple[int, str]:
    client.get(url)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries), response.text


def issued_group(district, stream, chamber_user, count, name, capture):
    _apps, group = make_defended(district, stream, count, group_name=name)
    with capture(execute=True):  # the PDFs render in-process after the commit (no broker in tests)
        services.certificates_issue_for_group(actor=chamber_user, group_id=group.pk)
    return group


def test_the_group_page_costs_the_same_queries_for_7_participants_as_for_2(
    login, chamber_user, district, stream, django_capture_on_commit_callbacks
):
    client = login(chamber_user)
    small = issued_group(district, stream, chamber_user, 2, "Group S", django_capture_on_commit_callbacks)
    large = issued_group(district, stream, chamber_user, 7, "Group L", django_capture_on_commit_callbacks)
    for_2, page = count_queries(client, reverse("certificates:group", args=[small.code]))
    assert page.count('data-testid="certificate-row"') == 2
    for_7, page = count_queries(client, reverse("certificates:group", args=[large.code]))
    assert page.count('data-testid="certificate-row"') == 7
    assert "PDFs ready: 7 of 7" in page and 'hx-trigger="every 2s"' not in page  # done: it stops polling
    assert (for_2, for_7) == (GROUP_PAGE_QUERIES, GROUP_PAGE_QUERIES)


def test_the_chamber_issues_the_group_from_its_page_and_sees_who_gets_none(login, chamber_user, district, stream):
    expelled, _defended, _not_defended, group = make_mixed_group(district, stream)
    client = login(chamber_user)
    page = client.get(reverse("certificates:group", args=[group.code])).text
    assert 'data-testid="issue-group"' in page
    url = reverse("certificates:issue_group", args=[group.code])
    asked = client.post(url)
    # The first POST asks: who gets which certificate; nothing is issued yet.
    assert (
        asked.status_code == 200 and 'data-testid="cannot-undo"' in asked.text and "Issue 2 certificates" in asked.text
    )
    names = asked.text.split('data-testid="confirm-names"')[1].split("</ul>")[0]
    assert f"{_defended.full_name}: Certificate of completion" in names
    assert f"{_not_defended.full_name}: Certificate of participation" in names
    assert names.count("<li>") == 2  # the expelled participant gets none
    assert not Certificate.objects.exists()
    response = client.post(url, {"confirm": "1"}, follow=True)
    page = response.text
    assert "Certificates issued: 2. Already held one: 0. Get none: 1." in page
    assert f"{expelled.full_name}: Expelled by the commission" in page
    # No broker in the unit tests and no commit inside the test's transaction: the PDFs wait, queued,
    # and the page polls until they are ready.
    assert page.count(">queued<") == 2 and 'hx-trigger="every 2s"' in page
    partial = client.get(reverse("certificates:group", args=[group.code]), HTTP_HX_REQUEST="true").text
    assert partial.startswith('\n<div id="group-certificates"') or 'id="group-certificates"' in partial[:80]
    assert "<html" not in partial


def test_another_districts_chamber_is_refused_by_the_services_and_the_pages(
    login, chamber_user, other_chamber, district, stream, django_capture_on_commit_callbacks
):
    (application,), group = make_defended(district, stream, 1)
    with django_capture_on_commit_callbacks(execute=True):
        certificate, _ = services.certificate_issue(actor=chamber_user, application_id=application.pk)
    with pytest.raises(NotFound):
        services.certificate_issue(actor=other_chamber, application_id=application.pk)
    with pytest.raises(NotFound):
        services.certificates_issue_for_group(actor=other_chamber, group_id=group.pk)
    with pytest.raises(NotFound):
        services.certificate_revoke(actor=other_chamber, certificate_id=certificate.pk, reason="x")
    with pytest.raises(NotFound):
        services.certificate_reissue(actor=other_chamber, certificate_id=certificate.pk, reason="x")

    client = login(other_chamber)
    assert client.get(reverse("certificates:group", args=[group.code])).status_code == 404
    assert client.post(reverse("certificates:issue_group", args=[group.code])).status_code == 404
    assert client.get(reverse("certificates:detail", args=[certificate.code])).status_code == 404
    assert (
        client.post(reverse("certificates:revoke", args=[certificate.code]), {"revoke-reason": "x"}).status_code == 404
    )
    assert client.get(reverse("certificates:download", args=[certificate.code])).status_code == 404
    assert group.name not in client.get(reverse("certificates:groups")).text
    certificate.refresh_from_db()
    assert certificate.revoked_at is None


def test_roles_without_the_page_are_refused_and_an_analyst_reads_but_does_not_issue(login, district, stream):
    (_application,), group = make_defended(district, stream, 1)
    trainer = make_staff(Role.TRAINER, district=district)
    assert login(trainer).get(reverse("certificates:groups")).status_code == 403
    analyst = make_staff(Role.ANALYST, national=True)
    client = login(analyst)
    page = client.get(reverse("certificates:group", args=[group.code])).text
    assert 'data-testid="issue-group"' not in page
    assert client.post(reverse("certificates:issue_group", args=[group.code])).status_code == 403
    assert not Certificate.objects.exists()


def test_revoke_and_reissue_from_the_certificate_page(
    login, chamber_user, district, stream, django_capture_on_commit_callbacks
):
    (application,), _group = make_defended(district, stream, 1)
    certificate, _ = services.certificate_issue(actor=chamber_user, application_id=application.pk)
    client = login(chamber_user)
    url = reverse("certificates:detail", args=[certificate.code])
    assert "Revoke the certificate" in client.get(url).text
    response = client.post(reverse("certificates:revoke", args=[certificate.code]), {"revoke-reason": ""}, follow=True)
    assert "This field is required." in response.text
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("certificates:reissue", args=[certificate.code]), {"reissue-reason": "Name corrected"}, follow=True
        )
    new = Certificate.objects.get(replaces=certificate)
    assert f"Certificate No. {new.number} issued in place of No. {certificate.number}." in response.text
    old_page = client.get(url).text
    assert 'data-testid="revoked"' in old_page and "Name corrected" in old_page and new.number in old_page
    new.refresh_from_db()
    assert new.render_state == Certificate.Render.READY


def test_the_holder_sees_their_certificate_and_downloads_it_nobody_else_does(
    client, login, chamber_user, district, stream, django_capture_on_commit_callbacks
):
    (application,), _group = make_defended(district, stream, 1)
    certificate, _ = services.certificate_issue(actor=chamber_user, application_id=application.pk)
    holder = application.applicant
    page = login(holder).get(reverse("applications:status", args=[application.code])).text
    assert "Your certificate is being prepared" in page and 'hx-trigger="every 3s"' in page
    assert client.get(reverse("certificates:download", args=[certificate.code])).status_code == 404  # not ready

    services_render(certificate, django_capture_on_commit_callbacks)
    page = client.get(reverse("applications:status", args=[application.code])).text
    assert "Your certificate is ready" in page and 'hx-trigger="every 3s"' not in page
    card = client.get(reverse("certificates:state", args=[certificate.code])).text
    assert "Download the certificate (PDF)" in card
    response = client.get(reverse("certificates:download", args=[certificate.code]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert f'filename="{certificate.number}.pdf"' in response["Content-Disposition"]
    assert b"".join(response.streaming_content).startswith(b"%PDF-")

    stranger = make_staff(Role.CHAMBER)  # another district's Chamber
    assert login(stranger).get(reverse("certificates:download", args=[certificate.code])).status_code == 404
    from tests.factories import UserFactory

    other_citizen = UserFactory(role=Role.CITIZEN)
    client = login(other_citizen)
    assert client.get(reverse("certificates:download", args=[certificate.code])).status_code == 404
    assert client.get(reverse("certificates:state", args=[certificate.code])).status_code == 404


def services_render(certificate, capture):
    from certificates.tasks import render_certificate_task

    with capture(execute=True):
        assert render_certificate_task.apply(args=[certificate.pk]).get() == "ready"


def test_a_certificate_from_before_the_portal_is_not_found_for_a_citizen_not_an_error(login, citizen):
    """An imported certificate has no application: a citizen asking for it is told it is not there."""
    import datetime

    from certificates.models import Certificate

    old = Certificate.objects.create(
        number="B-2019-0001",
        iin="900517300015",
        holder_name="Ескі Иесі",
        kind="completion",
        issued_on=datetime.date(2019, 6, 1),
    )
    client = login(citizen)
    assert client.get(reverse("certificates:state", args=[old.code])).status_code == 404
