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
