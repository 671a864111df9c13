"""A real Celery worker on Redis runs tasks end to end (not eager mode)."""

import os

import pytest
from django.core import mail
from django.urls import reverse

from bastau.celery import app
from core.sms import MemorySmsBackend
from tests.workers import worker_thread

REDIS = os.environ.get("REDIS_URL")
pytestmark = [
    pytest.mark.worker,
    pytest.mark.skipif(not REDIS, reason="Redis is not reachable (REDIS_URL unset)"),
]


@pytest.fixture
def redis_worker(transactional_db):
    """Stop running tasks in-process and start a worker thread on the Redis broker."""
    app.conf.task_always_eager = False
    # Both queues, as the README's worker command: the default one and the PDFs' (settings.CELERY_TASK_ROUTES).
    with worker_thread(
        app, pool="solo", perform_ping_check=False, shutdown_timeout=10, queues=["pdf", "celery"]
    ) as worker:
        yield worker
    app.conf.task_always_eager = True


def _wait_until(predicate, seconds=20, what="the worker"):
    import time

    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.05)
    raise AssertionError(f"{what} did not finish within {seconds} s")


def test_a_real_worker_sends_the_applicants_notification_queued_through_redis(redis_worker, settings):
    from applications.models import StatusChange
    from applications.tasks import notify_status_change_task
    from tests.factories import make_application

    settings.PORTAL_URL = "https://bastau.example.kz"
    settings.SMS_BACKEND = "core.sms.MemorySmsBackend"
    MemorySmsBackend.outbox.clear()
    # Submitting commits the first status change and queues its notification through Redis; the
    # worker (another thread) sends it. Wait for this very row to be marked notified, then read.
    application = make_application(email="aidar@example.kz", language="kk", phone="+77017770101")
    change = StatusChange.objects.get(application=application)
    notified = StatusChange.objects.filter(pk=change.pk, notified_at__isnull=False)
    _wait_until(notified.exists, what="the notification of this status change")

    url = f"https://bastau.example.kz/applications/{application.code}/"
    status = "Бағдарламаға сәйкестігі туралы шешім күтілуде"
    sent = [m for m in mail.outbox if m.to == ["aidar@example.kz"]]
    assert [(m.subject, m.body) for m in sent] == [
        (
            f"Бастау: № {application.number} өтінім — {status}",
            "Сәлеметсіз бе, Нұрлан!\n\n"
            f"«Бастау» бағдарламасына берген № {application.number} өтініміңіздің жаңа мәртебесі: {status}.\n\n"
            f"Өтініміңізді осы жерден қадағалаңыз: {url}\n\n"
            "«Бастау» бағдарламасының командасы\n",
        )
    ]
    assert [text for phone, text in MemorySmsBackend.outbox if phone == "+77017770101"] == [
        f"Бастау {application.number}: {status}. {url}"
    ]

    # Delivered again (the sweeper, a retry): nothing goes out a second time.
    notify_status_change_task.delay(change.pk).get(timeout=20)
    assert len([m for m in mail.outbox if m.to == ["aidar@example.kz"]]) == 1
    assert len([p for p, _text in MemorySmsBackend.outbox if p == "+77017770101"]) == 1


def test_health_sees_the_broker_and_the_running_worker(redis_worker, client, settings):
    from core import heartbeat

    # The test worker does not send worker_ready (the CLI worker does, bastau/celery.py): beat for it.
    heartbeat.beat(redis_worker.hostname)
    settings.HEALTH_TOKEN = "worker-test-token"
    data = client.get(reverse("portal:health"), HTTP_AUTHORIZATION="Bearer worker-test-token").json()
    assert data["broker"] == {"ok": True}
    assert data["workers"]["ok"] and data["workers"]["count"] >= 1


def _wait_for(job, states, seconds=20):
    import time

    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        job.refresh_from_db()
        if job.state in states:
            return job
        time.sleep(0.1)
    raise AssertionError(f"import stayed in {job.state}")


def test_a_real_worker_checks_and_imports_a_register(redis_worker):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from accounts.models import Role
    from applications import imports
    from applications.models import Application, ImportJob
    from tests.factories import make_iin, make_staff

    staff = make_staff(Role.EMPLOYMENT_CENTRE)
    kato = staff.organisation.district.kato_code
    lines = ["iin,last_name,first_name,phone,district_kato,employment_status,education,sector,business_idea"]
    lines += [f"{make_iin()},Әлиев,Асқар,+7701777000{n},{kato},unemployed,secondary,trade,Дүкен" for n in range(3)]
    lines.append(f"123,Бадов,Қате,+77017770009,{kato},unemployed,secondary,trade,Дүкен")
    upload = SimpleUploadedFile("register.csv", "\n".join(lines).encode(), "text/csv")
    job = imports.import_start(actor=staff, upload=upload, consent_confirmed=True)
    job = _wait_for(job, {ImportJob.State.PREVIEW, ImportJob.State.FAILED})
    assert (len(job.valid_rows), len(job.invalid_rows)) == (3, 1)
    imports.import_confirm(job=job, actor=staff)
    job = _wait_for(job, {ImportJob.State.DONE, ImportJob.State.FAILED})
    assert job.state == ImportJob.State.DONE and job.imported_count == 3
    assert Application.objects.filter(channel="employment_centre").count() == 3


def test_a_real_worker_makes_a_business_plans_pdf_with_kazakh_letters(redis_worker):
    """The version's PDF is queued through the outbox after the commit, made by the worker, its state
    on the row; the text read back from the PDF holds the Kazakh words of the plan."""
    import io

    from pypdf import PdfReader

    from plans import services
    from plans.models import PdfState, PlanVersion
    from tests.factories import DistrictFactory, StreamFactory, make_draft_plan, make_in_training

    apps, _group = make_in_training(DistrictFactory(), StreamFactory(), 1)
    application = apps[0]
    make_draft_plan(application)
    version = services.plan_submit(actor=application.applicant, application=application)
    services.plan_pdf_request(actor=application.applicant, version=version)
    ready = PlanVersion.objects.filter(pk=version.pk, pdf_state__in=(PdfState.READY, PdfState.FAILED))
    _wait_until(ready.exists, seconds=60, what="the plan's PDF")
    version.refresh_from_db()
    assert version.pdf_state == PdfState.READY, version.pdf_error
    with version.pdf_file.open("rb") as pdf:
        text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.read())).pages)
    assert "Қой шаруашылығы" in text  # the summary, with its Kazakh letters
    assert "Бизнес-жоспар" in text  # the title, in the plan's language
    assert "2 200 000" in text.replace("\u202f", " ").replace("\u00a0", " ")  # the loan needed
