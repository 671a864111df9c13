import datetime

import pytest
import time_machine
from django.core import mail

from applications.models import StatusChange
from applications.tasks import sweep_background_work_task
from tests.factories import make_application

pytestmark = pytest.mark.django_db
NOON = datetime.datetime(2026, 11, 15, 12, tzinfo=datetime.UTC)


def test_a_notification_whose_message_was_lost_is_sent_by_the_sweeper_once():
    with time_machine.travel(NOON, tick=False):
        application = make_application(email="aidar@example.kz")
        StatusChange.objects.filter(application=application).update(notified_at=None)  # the message was lost
    mail.outbox.clear()
    with time_machine.travel(NOON + datetime.timedelta(minutes=2), tick=False):
        assert sweep_background_work_task()["notifications"] == 0  # too early: it may still be in flight
    with time_machine.travel(NOON + datetime.timedelta(minutes=6), tick=False):
        assert sweep_background_work_task()["notifications"] == 1
        assert sweep_background_work_task()["notifications"] == 0  # run twice: nothing more to send
    assert len(mail.outbox) == 1 and application.number in mail.outbox[0].subject


def test_a_dead_workers_task_comes_back_in_minutes_not_an_hour(settings):
    """The broker hands an unacknowledged message out again after the visibility timeout: at least
    twice the hard time limit (a running task is never duplicated), and no more than that; the
    sweeper takes an import as stuck once it is older than the hard limit, well before."""
    from applications.tasks import IMPORT_STUCK_AFTER

    visibility = settings.CELERY_BROKER_TRANSPORT_OPTIONS["visibility_timeout"]
    assert visibility == 2 * settings.CELERY_TASK_TIME_LIMIT <= 15 * 60
    assert settings.CELERY_TASK_TIME_LIMIT < IMPORT_STUCK_AFTER < visibility
    assert settings.CELERY_TASK_ACKS_LATE and settings.CELERY_TASK_REJECT_ON_WORKER_LOST
