"""The commission's admin: commissions, members with their terms and criteria, every change audited."""

import pytest
from django.urls import reverse

from accounts.models import Role
from commissions.models import CommissionMember
from core.models import AuditEntry
from tests.factories import UserFactory, make_commission

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_user(db):
    return UserFactory(role=Role.ADMIN, is_superuser=True, is_staff=True)


def test_the_administrator_lists_adds_and_seats_a_member_recorded_in_the_audit(login, admin_user, district):
    client = login(admin_user)
    commission = make_commission(district, members=2)
    assert client.get(reverse("admin:commissions_commission_changelist"), {"q": "Ұйым"}).status_code == 200
    assert client.get(reverse("admin:commissions_commission_add")).status_code == 200
    url = reverse("admin:commissions_commission_change", args=[commission.pk])
    assert client.get(url).status_code == 200
    newcomer = UserFactory(role=Role.COMMISSION, organisation=commission.organisation)
    seats = list(commission.members.order_by("pk"))
    criteria = list(commission.criteria.order_by("pk"))
    data = {
        "organisation": commission.organisation_id,
        "pass_threshold": "60",
        "quorum_min": "3",
        "members-TOTAL_FORMS": str(len(seats) + 1),
        "members-INITIAL_FORMS": str(len(seats)),
        "criteria-TOTAL_FORMS": str(len(criteria)),
        "criteria-INITIAL_FORMS": str(len(criteria)),
    }
    for n, seat in enumerate(seats):
        data.update(
            {
                f"members-{n}-id": seat.pk,
                f"members-{n}-commission": commission.pk,
                f"members-{n}-user": seat.user_id,
                f"members-{n}-role": seat.role,
                f"members-{n}-term_from": seat.term_from.isoformat(),
                f"members-{n}-term_to": seat.term_to.isoformat(),
            }
        )
    n = len(seats)
    data.update(
        {
            f"members-{n}-commission": commission.pk,
            f"members-{n}-user": newcomer.pk,
            f"members-{n}-role": "member",
            f"members-{n}-term_from": "2026-01-01",
            f"members-{n}-term_to": "2027-12-31",
        }
    )
    for n, criterion in enumerate(criteria):
        data.update(
            {
                f"criteria-{n}-id": criterion.pk,
                f"criteria-{n}-commission": commission.pk,
                f"criteria-{n}-position": criterion.position,
                f"criteria-{n}-name_kk": criterion.name_kk,
                f"criteria-{n}-name_ru": criterion.name_ru,
                f"criteria-{n}-name_en": criterion.name_en,
                f"criteria-{n}-max_score": 20 if n == 0 else criterion.max_score,
                f"criteria-{n}-is_active": "on",
            }
        )
    response = client.post(url, data)
    assert response.status_code == 302, response.context["inline_admin_formsets"][0].formset.errors
    assert CommissionMember.objects.filter(commission=commission, user=newcomer, role="member").exists()
    created = AuditEntry.objects.get(model="commissions.commissionmember", action="create")
    assert created.actor == admin_user and created.changes["user"] == [None, str(newcomer.pk)]
    changed = AuditEntry.objects.get(model="commissions.criterion", action="change")
    assert changed.changes == {"max_score": [10, 20]}


def test_a_second_chair_in_the_same_term_is_refused(district):
    from django.core.exceptions import ValidationError

    commission = make_commission(district, members=3)
    other = UserFactory(role=Role.COMMISSION, organisation=commission.organisation)
    seat = CommissionMember(
        commission=commission,
        user=other,
        role="chair",
        term_from=commission.seats[0].term_from,
        term_to=commission.seats[0].term_to,
    )
    with pytest.raises(ValidationError) as exc:
        seat.full_clean()
    assert "role" in exc.value.error_dict
