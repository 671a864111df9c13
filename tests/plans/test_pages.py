"""The pages as a participant and a trainer use them: the autosave's answers, the status page's next
step, the PDF's state, and the queries of the editor and the group's list, pinned for two sizes."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from plans import services
from plans.models import BusinessPlan, PdfState, PlanVersion
from tests.factories import PLAN_FINANCE, make_draft_plan, make_in_training


def autosave(client, application, data):
    return client.post(reverse("plans:save", args=[application.code]), data, headers={"X-Autosave": "1"})


def count_queries(client, url) -> tuple[int, str]:
    client.get(url)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries), response.text


def test_the_status_page_says_write_your_business_plan(participant, client):
    client.force_login(participant.applicant)
    page = client.get(reverse("applications:status", args=[participant.code])).text
    steps = [part.split("</section>")[0] for part in page.split('data-testid="next-step"')[1:]]
    mine = [step for step in steps if "Write your business plan" in step]
    assert len(mine) == 1 and reverse("plans:edit", args=[participant.code]) in mine[0]
    assert 'data-testid="plan-card"' in page


def test_the_autosave_answers_with_the_revision_and_the_figures(participant, client):
    client.force_login(participant.applicant)
    answer = autosave(
        client,
        participant,
        {
            "revision": "0",
            "section-summary": "Қой шаруашылығы",
            "startup-item": ["Қой", ""],
            "startup-amount": ["2 000 000", ""],
            "monthly_revenue": "300000",
            "monthly_costs": "100000",
            "own_funds": "500000",
        },
    )
    body = answer.json()
    assert answer.status_code == 200 and body["errors"] == {}
    assert body["revision"] == 1
    assert body["figures"] == {
        "startup_total": 2_000_000,
        "loan_need": 1_500_000,
        "monthly_profit": 200_000,
        "payback_months": 10,
    }
    assert "1\u202f500\u202f000\u00a0₸" in body["figures_html"]


def test_a_wrong_amount_is_told_on_its_field_and_the_text_is_saved_all_the_same(participant, client):
    client.force_login(participant.applicant)
    answer = autosave(
        client,
        participant,
        {"revision": "0", "section-risks": "Құрғақшылық", "startup-item": ["Қой"], "startup-amount": ["1,5"]},
    )
    body = answer.json()
    assert body["errors"] == {"startup-0-amount": ["Enter the amount in whole tenge, without tiyn."]}
    assert body["revision"] == 1
    assert BusinessPlan.objects.get().draft_sections["risks"] == "Құрғақшылық"


def test_a_stale_autosave_is_told_409_and_changes_nothing(participant, client):
    make_draft_plan(participant)  # revision 1
    client.force_login(participant.applicant)
    assert (
        autosave(client, participant, {"revision": "1", "section-summary": "Жаңа", "client": "a"}).json()["revision"]
        == 2
    )
    answer = autosave(client, participant, {"revision": "1", "section-summary": "Ескі", "client": "b"})
    assert answer.status_code == 409 and answer.json() == {
        "error": "The plan was changed elsewhere (another tab or device) after this text was written.",
        "code": "plans.stale",
        "revision": 2,
    }
    assert BusinessPlan.objects.get().draft_sections["summary"] == "Жаңа"


def test_without_javascript_the_form_saves_and_comes_back(participant, client):
    client.force_login(participant.applicant)
    response = client.post(
        reverse("plans:save", args=[participant.code]),
        {"revision": "0", "section-summary": "Жай форма", "monthly_revenue": "abc"},
        follow=True,
    )
    assert "Monthly revenue: Enter the amount in whole tenge as a number." in response.text
    assert "Жай форма" in response.text


def test_the_participant_sees_the_trainers_comments_by_section(participant, trainer, client):
    make_draft_plan(participant)
    version = services.plan_submit(actor=participant.applicant, application=participant)
    services.plan_comment(actor=trainer, version=version, section="market", text="Бәсекелестердің бағасы қандай?")
    client.force_login(participant.applicant)
    editor = client.get(reverse("plans:edit", args=[participant.code])).text
    market = editor.split('id="section-market"')[1].split("</section>")[0]
    assert "Бәсекелестердің бағасы қандай?" in market
    page = client.get(reverse("plans:version", args=[version.code])).text
    assert "Бәсекелестердің бағасы қандай?" in page and 'data-testid="freeze-open"' in page


def test_the_pdf_is_queued_made_and_polled(participant, client, django_capture_on_commit_callbacks):
    make_draft_plan(participant)
    version = services.plan_submit(actor=participant.applicant, application=participant)
    client.force_login(participant.applicant)
    url = reverse("plans:pdf", args=[version.code])
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        queued = client.post(url, headers={"HX-Request": "true"})
    assert 'hx-trigger="every 2s"' in queued.text and callbacks  # the page polls; the task waits for the commit
    assert PlanVersion.objects.get().pdf_state == PdfState.QUEUED
    for callback in callbacks:
        callback()  # the outbox publishes; tests run the task in-process
    version.refresh_from_db()
    assert version.pdf_state == PdfState.READY and version.pdf_file.name.startswith("plans/pdf/")
    polled = client.get(url)
    assert "every 2s" not in polled.text and reverse("plans:pdf_download", args=[version.code]) in polled.text
    pdf = client.get(reverse("plans:pdf_download", args=[version.code]))
    assert b"".join(pdf.streaming_content).startswith(b"%PDF-")


def test_the_pdf_task_is_idempotent_and_the_sweeper_requeues_stuck_ones(participant, settings):
    import datetime

    from django.utils import timezone

    from core.jobs import sweep
    from plans.tasks import PDF_STUCK_AFTER, render_version_pdf

    def sweep_plan_pdfs_task():
        return sweep(["plans.pdf"])["plans.pdf"]["requeued"]

    make_draft_plan(participant)
    version = services.plan_submit(actor=participant.applicant, application=participant)
    assert render_version_pdf(version.pk) == ""  # never requested: nothing done
    PlanVersion.objects.filter(pk=version.pk).update(pdf_state=PdfState.QUEUED, pdf_queued_at=timezone.now())
    assert sweep_plan_pdfs_task() == 0  # queued a moment ago: its own message is on its way
    PlanVersion.objects.filter(pk=version.pk).update(
        pdf_state=PdfState.RENDERING, pdf_queued_at=timezone.now() - datetime.timedelta(seconds=5)
    )
    assert render_version_pdf(version.pk) == PdfState.RENDERING  # another worker is on it: left alone
    PlanVersion.objects.filter(pk=version.pk).update(
        pdf_queued_at=timezone.now() - PDF_STUCK_AFTER - datetime.timedelta(seconds=1)
    )
    assert sweep_plan_pdfs_task() == 1  # its worker died: queued again (run here, eagerly)
    version.refresh_from_db()
    assert version.pdf_state == PdfState.READY
    name = version.pdf_file.name
    assert render_version_pdf(version.pk) == PdfState.READY  # a copy of the message: nothing made twice
    version.refresh_from_db()
    assert version.pdf_file.name == name


# The editor of a plan with one version, query by query: 1 the session, 2 the user, 3 the application
# (visible to its applicant), 4 the plan, 5 its versions with their comment counts, 6 the comments on the
# latest version with their authors. Nothing grows with the plan's text or its versions.
EDIT_PAGE_QUERIES = 6
# The trainer's list of a group's plans: 1 the session, 2 the user, 3 their organisation (scope), 4 the
# group with its stream, year and district (visible to them), 5 the current members with their
# applications, plans and the counts of versions; the same for 2 members as for 12.
GROUP_PAGE_QUERIES = 5


def test_the_editor_costs_a_fixed_number_of_queries(participant, trainer, client):
    make_draft_plan(participant)
    version = services.plan_submit(actor=participant.applicant, application=participant)
    client.force_login(participant.applicant)
    url = reverse("plans:edit", args=[participant.code])
    few, _ = count_queries(client, url)
    for n in range(3):
        services.plan_comment(actor=trainer, version=version, section="summary", text=f"Пікір {n}")
        services.plan_submit(actor=participant.applicant, application=participant)
    services.plan_comment(
        actor=trainer, version=PlanVersion.objects.order_by("-number").first(), section="risks", text="Иә"
    )
    many, text = count_queries(client, url)
    assert (few, many) == (EDIT_PAGE_QUERIES, EDIT_PAGE_QUERIES)
    assert "Version 4" in text


@pytest.mark.parametrize("size", [2, 12])
def test_the_groups_list_of_plans_costs_a_fixed_number_of_queries(district, stream, client, size):
    apps, group = make_in_training(district, stream, size, group_name=f"Group {size}")
    for application in apps[: size // 2]:
        make_draft_plan(application, finance=PLAN_FINANCE)
        services.plan_submit(actor=application.applicant, application=application)
    services.plan_freeze(actor=apps[0].applicant, version=PlanVersion.objects.filter(plan__application=apps[0]).get())
    client.force_login(group.trainers.get())
    queries, text = count_queries(client, reverse("plans:group", args=[group.code]))
    assert queries == GROUP_PAGE_QUERIES
    assert text.count('data-testid="plan-row"') == size
    assert text.count("ready for defence") == 1


def test_the_language_switcher_keeps_english_on_the_plan_editor(participant, client):
    """The editor's own choice of the plan's language (Kazakh or Russian) is not the portal's: a user who
    chose English sees the page in English with English pressed, and may switch back to it from there."""
    client.force_login(participant.applicant)
    client.post(reverse("portal:set_language"), {"language": "en", "next": "/"})
    url = reverse("plans:edit", args=[participant.code])
    for _reload in range(2):
        page = client.get(url).text
        assert '<html lang="en">' in page
        switcher = page.split('action="' + reverse("portal:set_language") + '"')[1].split("</form>")[0]
        for code in ("kk", "ru", "en"):
            assert f'name="language" value="{code}"' in switcher
        assert 'value="en" lang="en"' in switcher
        pressed = switcher.split('value="en"')[1].split(">")[0]
        assert 'aria-pressed="true"' in pressed
    # the plan's language select still offers only Kazakh and Russian
    select = page.split('id="plan-language"')[1].split("</select>")[0]
    assert 'value="kk"' in select and 'value="ru"' in select and 'value="en"' not in select
    response = client.post(reverse("portal:set_language"), {"language": "en", "next": url})
    assert response["Location"] == url and '<html lang="en">' in client.get(url).text
