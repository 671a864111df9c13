"""seed_demo's financing: both lenders' officers, and a referral in each state, walked along the path."""

import io

import pytest
from django.core.management import call_command

from accounts.models import Role, User
from applications.models import Status
from financing.models import LoanProgramme, Referral

pytestmark = pytest.mark.django_db


def test_the_demo_has_both_lenders_officers_and_a_referral_in_each_state(settings, login):
    settings.DEBUG = True
    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    assert set(LoanProgramme.objects.values_list("code", flat=True)) >= {"kasipker", "isker"}
    fund, acc = User.objects.get(username="lender_fund"), User.objects.get(username="lender_acc")
    assert fund.role == acc.role == Role.FINANCE and fund.organisation != acc.organisation
    assert "lender_fund" in out.getvalue() and "graduate" in out.getvalue()
    states = sorted(Referral.objects.values_list("state", flat=True))
    assert states == sorted(Referral.State.values)
    assert User.objects.get(username="graduate").applications.get().status == Status.CERTIFIED
    # Each officer sees only their institution's.
    assert {r.lender_id for r in Referral.objects.visible_to(fund)} == {fund.organisation_id}
    assert {r.lender_id for r in Referral.objects.visible_to(acc)} == {acc.organisation_id}

    call_command("seed_demo", stdout=io.StringIO())  # safe to repeat
    assert Referral.objects.count() == 4
