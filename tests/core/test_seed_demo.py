"""seed_demo refuses production unless forced, and never leaves the demo password on a superuser."""

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from accounts.models import User
from portal.demo import DEMO_PASSWORD

pytestmark = pytest.mark.django_db


def test_seed_demo_refuses_to_run_with_debug_off(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="--force-demo"):
        call_command("seed_demo")
    assert not User.objects.exists()


def test_forced_with_debug_off_the_superuser_gets_a_random_password_printed_once(settings):
    settings.DEBUG = False
    out = io.StringIO()
    call_command("seed_demo", force_demo=True, stdout=out)
    admin = User.objects.get(username="admin")
    assert admin.is_superuser and not admin.check_password(DEMO_PASSWORD)
    password = out.getvalue().split("Password of admin, shown only now: ", 1)[1].split()[0]
    assert admin.check_password(password)
    assert User.objects.get(username="centre").check_password(DEMO_PASSWORD)  # the demo roles stay usable
    again = io.StringIO()
    call_command("seed_demo", force_demo=True, stdout=again)  # safe to repeat: the admin keeps the new one
    admin.refresh_from_db()
    assert admin.check_password(password) and "shown only now" not in again.getvalue()


def test_with_debug_on_the_demo_password_works_for_everyone(settings):
    settings.DEBUG = True
    call_command("seed_demo", stdout=io.StringIO())
    assert User.objects.get(username="admin").check_password(DEMO_PASSWORD)
