"""seed_demo's commission: a chair, a secretary and a member in term, the open case in their queue."""

import pytest
from django.core.management import call_command
from django.urls import reverse

from accounts.models import User
from commissions.models import Commission, CommissionMember

pytestmark = pytest.mark.django_db


def test_the_demo_commission_has_its_three_logins_and_the_open_case_in_its_queue(settings, login):
    settings.DEBUG = True
    call_command("seed_demo")
    call_command("seed_demo")  # safe to repeat
    commission = Commission.objects.get()
    roles = dict(CommissionMember.objects.filter(commission=commission).values_list("user__username", "role"))
    assert roles == {"commission": "chair", "commission_secretary": "secretary", "commission_member": "member"}
    assert commission.criteria.count() == 4
    page = login(User.objects.get(username="commission_secretary")).get(reverse("commissions:queue"))
    assert page.content.decode().count('data-testid="case"') == 1
