"""The refresh job and command, and the sweeper that re-queues exports whose message or worker was lost."""

import datetime

import pytest
from django.core.management import call_command
from django.utils import timezone

from bastau.celery import app as celery_app
from core import jobs
from reports import services, tasks
from reports.models import ExportJob, FunnelRefresh, FunnelSummary
from tests.factories import make_application

pytestmark = pytest.mark.django_db


def test_beat_rebuilds_the_summary_and_the_command_too(district, capsys):
    make_application(district=district)
    assert celery_app.conf.beat_schedule["refresh-funnel-summary"]["task"] == "reports.tasks.refresh_funnel_task"
    assert celery_app.conf.beat_schedule["sweep-jobs"]["task"] == "core.tasks.sweep_jobs_task"
    tasks.refresh_funnel_task.apply()
    assert FunnelSummary.objects.filter(district=district, metric="submitted").get().value == 1
    make_application(district=district)
    call_command("refresh_funnel")
    assert "summary rows in" in capsys.readouterr().out
    assert FunnelSummary.objects.filter(district=district, metric="submitted").get().value == 2
    assert FunnelRefresh.objects.count() == 2


def _job(owner, state, started_minutes_ago, attempts=0):
    return ExportJob.objects.create(
        owner=owner,
        kind="applications",
        file_format="csv",
        state=state,
        attempts=attempts,
        started_at=timezone.now() - datetime.timedelta(minutes=started_minutes_ago),
    )


def test_the_sweeper_requeues_lost_exports_and_gives_up_after_three_attempts(analyst, monkeypatch):
    lost_message = _job(analyst, ExportJob.State.QUEUED, 10)
    lost_worker = _job(analyst, ExportJob.State.RUNNING, 60, attempts=1)
    running = _job(analyst, ExportJob.State.RUNNING, 1, attempts=1)
    just_queued = _job(analyst, ExportJob.State.QUEUED, 1)
    hopeless = _job(analyst, ExportJob.State.RUNNING, 60, attempts=services.MAX_ATTEMPTS)
    sent = []
    monkeypatch.setattr(jobs, "_eager", lambda task, pk: sent.append((task, pk)))

    assert jobs.sweep(["reports.export"]) == {"reports.export": {"requeued": 2, "failed": 1}}

    assert sorted(sent) == sorted(
        [("reports.tasks.export_run_task", lost_message.pk), ("reports.tasks.export_run_task", lost_worker.pk)]
    )
    for job, attempts in ((lost_message, 0), (lost_worker, 1)):
        job.refresh_from_db()
        assert (job.state, job.attempts) == (ExportJob.State.QUEUED, attempts)
    running.refresh_from_db()
    just_queued.refresh_from_db()
    hopeless.refresh_from_db()
    assert running.state == ExportJob.State.RUNNING and just_queued.state == ExportJob.State.QUEUED
    assert hopeless.state == ExportJob.State.FAILED and hopeless.error


def test_a_second_copy_of_the_task_does_nothing(analyst, district):
    make_application(district=district)
    job = _job(analyst, ExportJob.State.QUEUED, 0)
    services.export_run(job_id=job.pk)
    job.refresh_from_db()
    assert job.state == ExportJob.State.DONE and job.processed_rows == 1
    name = job.file.name
    services.export_run(job_id=job.pk)  # the sweeper's or the relay's copy
    job.refresh_from_db()
    assert job.file.name == name and job.state == ExportJob.State.DONE


def test_the_csv_export_has_a_line_per_application_and_no_personal_data(analyst, district):
    application = make_application(district=district)
    job = _job(analyst, ExportJob.State.QUEUED, 0)
    services.export_run(job_id=job.pk)
    job.refresh_from_db()
    text = job.file.open("rb").read().decode("utf-8-sig")
    lines = text.strip().splitlines()
    assert len(lines) == 2 and lines[0].startswith("Application,Year,Stream")
    assert application.number in lines[1]
    assert application.iin not in text and application.last_name not in text
