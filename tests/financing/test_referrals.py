"""A graduate asks for a referral, the Chamber branch forwards it, the lender's officer decides; each
refusal is checked through the service and, where there is a page, by URL."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from accounts.models import Role
from applications.models import Status, StatusChange
from core.errors import Conflict, NotFound, Refused
from core.models import OutboxMessage
from financing import services
from financing.models import Referral
from plans.selectors import frozen_version_of
from tests.factories import UserFactory, make_finished, make_loan_programme, make_officer, make_staff
from tests.financing.helpers import approval, forwarded, request

pytestmark = pytest.mark.django_db


def test_a_holder_of_a_certificate_of_completion_asks_and_the_application_moves_to_loan_requested(graduate, programme):
    referral = request(graduate, programme, amount=5_000_000, term=48)
    graduate.refresh_from_db()
    assert graduate.status == Status.LOAN_REQUESTED
    assert referral.state == Referral.State.REQUESTED
    assert (referral.lender, referral.district_id, referral.mci_tenge) == (programme.lender, graduate.district_id, 4325)
    # The business plan the graduate froze for the defence goes with the request.
    assert referral.plan_version == frozen_version_of(graduate)
    assert referral.plan_version.frozen_at is not None
    change = StatusChange.objects.get(application=graduate, move="financing.request")
    assert "5" in change.reason and "48" in change.reason
    assert OutboxMessage.objects.filter(task="applications.tasks.notify_status_change_task", args=[change.pk]).exists()


def test_only_once_and_only_with_a_certificate_of_completion(graduate, programme, district, stream):
    request(graduate, programme)
    with pytest.raises(Conflict):
        request(graduate, programme)
    (finished,), _group = make_finished(district, stream, 1, group_name="Group G")
    with pytest.raises(Conflict):
        request(finished, programme)


def test_another_citizen_cannot_ask_for_the_graduate(graduate, programme):
    stranger = UserFactory(role=Role.CITIZEN)
    with pytest.raises(NotFound):
        services.referral_request(
            actor=stranger,
            application_id=graduate.pk,
            programme_id=programme.pk,
            amount=1_000,
            term_months=12,
            purpose="x",
        )


def test_an_inactive_programme_and_an_empty_purpose_are_refused_on_their_fields(graduate, programme):
    programme.is_active = False
    programme.save()
    with pytest.raises(ValidationError) as refused:
        request(graduate, programme, purpose="  ")
    assert set(refused.value.message_dict) == {"programme"}
    programme.is_active = True
    programme.save()
    with pytest.raises(ValidationError) as refused:
        request(graduate, programme, purpose="  ", term=61)
    assert set(refused.value.message_dict) == {"purpose", "term_months"}


def test_the_chamber_of_the_district_forwards_and_the_application_stays_loan_requested(
    graduate, programme, chamber_user
):
    referral = forwarded(graduate, programme, chamber_user)
    graduate.refresh_from_db()
    assert referral.state == Referral.State.FORWARDED
    assert referral.forwarded_by == chamber_user
    assert graduate.status == Status.LOAN_REQUESTED
    with pytest.raises(Conflict):
        services.referral_forward(actor=chamber_user, referral_id=referral.pk)


def test_the_chamber_of_another_district_cannot_forward_by_service_or_url(graduate, programme, other_district, login):
    referral = request(graduate, programme)
    stranger = make_staff(Role.CHAMBER, district=other_district)
    with pytest.raises(NotFound):
        services.referral_forward(actor=stranger, referral_id=referral.pk)
    response = login(stranger).post(reverse("financing:forward", args=[referral.code]))
    assert response.status_code == 404
    page = login(stranger).get(reverse("financing:referrals"))
    assert 'data-testid="referral-row"' not in page.text
    referral.refresh_from_db()
    assert referral.state == Referral.State.REQUESTED


def test_a_regional_chamber_sees_the_referral_but_only_the_district_forwards(graduate, programme, district):
    regional = make_staff(Role.CHAMBER, region=district.region)
    referral = request(graduate, programme)
    assert Referral.objects.visible_to(regional).filter(pk=referral.pk).exists()
    with pytest.raises(Refused):
        services.referral_forward(actor=regional, referral_id=referral.pk)


def test_the_officer_sees_only_what_was_forwarded_to_their_institution(
    graduates, programme, officer, chamber_user, login
):
    other_programme = make_loan_programme()
    other_officer = make_officer(other_programme.lender)
    waiting = request(graduates[0], programme)  # not forwarded yet: the lender does not see it
    ours = forwarded(graduates[1], programme, chamber_user)
    theirs = forwarded(graduates[2], other_programme, chamber_user)

    assert list(Referral.objects.visible_to(officer)) == [ours]
    assert list(Referral.objects.visible_to(other_officer)) == [theirs]
    assert waiting not in Referral.objects.visible_to(officer)

    # The other institution's officer: refused by the service and by URL.
    with pytest.raises(NotFound):
        services.referral_approve(actor=other_officer, referral_id=ours.pk, **approval(ours))
    with pytest.raises(NotFound):
        services.referral_decline(actor=other_officer, referral_id=ours.pk, reason="No.")
    client = login(other_officer)
    assert client.get(reverse("financing:decide", args=[ours.code])).status_code == 404
    assert (
        client.post(reverse("financing:decide", args=[ours.code]), {"decline": "1", "decline-reason": "No"}).status_code
        == 404
    )
    inbox = client.get(reverse("financing:inbox") + "?state=all").text
    assert inbox.count('data-testid="inbox-row"') == 1
    ours.refresh_from_db()
    assert ours.state == Referral.State.FORWARDED


def test_the_decision_rule_itself_refuses_an_officer_of_another_institution(graduate, programme, chamber_user):
    """The rule behind the moves, asked directly: a referral seen some other way is still refused."""
    from accounts import policy

    referral = forwarded(graduate, programme, chamber_user)
    stranger = make_officer(make_loan_programme().lender)
    assert policy.can(make_officer(programme.lender), "financing.decide", referral)
    assert not policy.can(stranger, "financing.decide", referral)
    assert not policy.can(stranger, "financing.decide", graduate)
    assert not policy.can(chamber_user, "financing.decide", referral)


def test_approval_fires_the_move_with_what_was_approved_and_tells_the_graduate(
    graduate, programme, officer, chamber_user
):
    referral = forwarded(graduate, programme, chamber_user, amount=10_000_000, term=60)
    decided = services.referral_approve(
        actor=officer,
        referral_id=referral.pk,
        **approval(referral, amount=8_000_000, rate=Decimal("5.50"), term_months=48),
    )
    graduate.refresh_from_db()
    assert graduate.status == Status.LOAN_APPROVED
    assert (decided.state, decided.approved_amount, decided.approved_rate, decided.approved_term_months) == (
        Referral.State.APPROVED,
        8_000_000,
        Decimal("5.50"),
        48,
    )
    change = StatusChange.objects.get(application=graduate, move="financing.approve")
    assert change.actor == officer and "5.50" in change.reason
    assert OutboxMessage.objects.filter(task="applications.tasks.notify_status_change_task", args=[change.pk]).exists()
    with pytest.raises(Conflict):
        services.referral_decline(actor=officer, referral_id=referral.pk, reason="Changed our mind.")


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"amount": 10_000_001}, "amount"),  # more than asked for
        ({"amount": 0}, "amount"),
        ({"rate": Decimal("6.01")}, "rate"),  # above the programme's rate
        ({"rate": Decimal("-1")}, "rate"),
        ({"term_months": 61}, "term_months"),  # longer than the programme's longest
        ({"term_months": 6}, "term_months"),  # within the grace period
        ({"approved_on": datetime.date(2027, 1, 31)}, "approved_on"),  # before the referral reached the lender
        ({"approved_on": datetime.date(2027, 2, 2)}, "approved_on"),  # tomorrow
    ],
)
def test_approval_bounds(graduate, programme, officer, chamber_user, overrides, field):
    referral = forwarded(graduate, programme, chamber_user, amount=10_000_000, term=60)
    with pytest.raises(ValidationError) as refused:
        services.referral_approve(actor=officer, referral_id=referral.pk, **approval(referral, **overrides))
    assert set(refused.value.message_dict) == {field}
    graduate.refresh_from_db()
    assert graduate.status == Status.LOAN_REQUESTED


def test_the_approved_amount_is_bounded_by_the_cap_of_the_request_day(graduate, programme, officer, chamber_user):
    cap = 8000 * 4325
    referral = forwarded(graduate, programme, chamber_user, amount=cap, term=60)
    assert referral.cap_tenge == cap
    services.referral_approve(actor=officer, referral_id=referral.pk, **approval(referral, amount=cap))
    referral.refresh_from_db()
    assert referral.approved_amount == cap


def test_a_decline_needs_a_reason_and_ends_the_path_with_it(graduate, programme, officer, chamber_user):
    referral = forwarded(graduate, programme, chamber_user)
    with pytest.raises(ValidationError) as refused:
        services.referral_decline(actor=officer, referral_id=referral.pk, reason=" ")
    assert set(refused.value.message_dict) == {"reason"}
    services.referral_decline(actor=officer, referral_id=referral.pk, reason="Залог жеткіліксіз.")
    graduate.refresh_from_db()
    assert graduate.status == Status.LOAN_DECLINED
    change = StatusChange.objects.get(application=graduate, move="financing.decline")
    assert "Залог жеткіліксіз." in change.reason


def test_an_officer_cannot_decide_a_referral_not_yet_forwarded(graduate, programme, officer):
    referral = request(graduate, programme)
    with pytest.raises(NotFound):
        services.referral_decline(actor=officer, referral_id=referral.pk, reason="Too early.")


def test_the_timeline_shows_the_request_and_the_decision(graduate, programme, officer, chamber_user, login):
    referral = forwarded(graduate, programme, chamber_user)
    client = login(graduate.applicant)
    url = reverse("applications:status", args=[graduate.code])
    page = client.get(url).text
    assert "Your loan referral is with the financial institution" in page
    assert 'data-testid="loan-card"' in page and "Forwarded to the financial institution" in page
    services.referral_decline(actor=officer, referral_id=referral.pk, reason="Залог жеткіліксіз.")
    page = client.get(url).text
    assert "Loan declined" in page and "Залог жеткіліксіз." in page
