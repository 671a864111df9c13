"""The financing pages as their users meet them."""

import pytest
import time_machine
from django.urls import reverse

from accounts.models import Role
from applications.models import Status
from financing.models import FollowUp, Referral
from tests.factories import make_staff
from tests.financing.helpers import forwarded, request
from tests.financing.test_followups import SIX_MONTHS_ON

pytestmark = pytest.mark.django_db


def test_the_status_page_offers_the_referral_as_the_next_step(graduate, programme, login):
    page = login(graduate.applicant).get(reverse("applications:status", args=[graduate.code])).text
    assert "Ask for a loan referral" in page
    assert reverse("financing:request", args=[graduate.code]) in page
    assert "34\u00a0600\u00a0000" in page or "34,600,000" in page  # 8,000 × 4,325 ₸


def test_the_request_page_states_the_cap_today_and_the_payment_as_guidance(graduate, programme, login):
    client = login(graduate.applicant)
    page = client.get(reverse("financing:request", args=[graduate.code])).text
    assert 'data-testid="cap"' in page and "34,600,000" in page
    fragment = client.get(
        reverse("financing:guidance", args=[graduate.code]),
        {"programme": programme.pk, "amount": "1000000", "term_months": "60"},
        headers={"HX-Request": "true"},
    ).text
    assert "5,000.00" in fragment  # interest only during the 6 months' grace
    assert "21,176.86" in fragment  # then the annuity over 54 months
    over = client.get(
        reverse("financing:guidance", args=[graduate.code]),
        {"programme": programme.pk, "amount": str(34_600_001), "term_months": "60"},
    ).text
    assert 'data-testid="guidance-error"' in over and "cap" in over


def test_sending_the_form_asks_for_the_referral(graduate, programme, login):
    client = login(graduate.applicant)
    url = reverse("financing:request", args=[graduate.code])
    refused = client.post(url, {"programme": programme.pk, "amount": 34_600_001, "term_months": 60, "purpose": "Ферма"})
    assert refused.status_code == 200 and "above the programme" in refused.text
    response = client.post(
        url, {"programme": programme.pk, "amount": 34_600_000, "term_months": 60, "purpose": "Ферма"}
    )
    assert response.status_code == 302
    graduate.refresh_from_db()
    assert graduate.status == Status.LOAN_REQUESTED
    assert client.get(url).status_code == 302  # asked once: back to the status page


def test_someone_elses_request_page_is_not_found(graduate, programme, citizen, login):
    assert login(citizen).get(reverse("financing:request", args=[graduate.code])).status_code == 404
    assert login(citizen).get(reverse("financing:guidance", args=[graduate.code])).status_code == 404


def test_the_chamber_forwards_from_its_list(graduate, programme, chamber_user, login):
    referral = request(graduate, programme)
    client = login(chamber_user)
    page = client.get(reverse("financing:referrals")).text
    assert page.count('data-testid="referral-row"') == 1 and "Forward to" in page
    client.post(reverse("financing:forward", args=[referral.code]))
    referral.refresh_from_db()
    assert referral.state == Referral.State.FORWARDED


def test_the_officer_approves_and_declines_on_the_decision_page(graduates, programme, officer, chamber_user, login):
    first = forwarded(graduates[0], programme, chamber_user)
    second = forwarded(graduates[1], programme, chamber_user)
    client = login(officer)
    page = client.get(reverse("financing:decide", args=[first.code])).text
    assert 'data-testid="approve-form"' in page and graduates[0].iin in page
    too_much = client.post(
        reverse("financing:decide", args=[first.code]),
        {
            "approve": "1",
            "approve-amount": first.amount + 1,
            "approve-rate": "6",
            "approve-term_months": 48,
            "approve-approved_on": "01.02.2027",
        },
    )
    assert too_much.status_code == 200 and "At most the amount asked for" in too_much.text
    assert 'data-testid="confirm-yes"' not in too_much.text  # wrong terms are mended before anything is asked
    terms = {
        "approve": "1",
        "approve-amount": first.amount,
        "approve-rate": "6",
        "approve-term_months": 48,
        "approve-approved_on": "01.02.2027",
    }
    asked = client.post(reverse("financing:decide", args=[first.code]), terms)
    # The first POST asks: what is recorded, to whom, and the same terms carried on to "Yes".
    assert asked.status_code == 200 and 'data-testid="cannot-undo"' in asked.text
    assert graduates[0].full_name in asked.text and "5,000,000" in asked.text and "48" in asked.text
    assert 'name="confirm" value="1"' in asked.text and 'name="approve-amount" value="5000000"' in asked.text
    first.refresh_from_db()
    assert first.state == Referral.State.FORWARDED
    done = client.post(reverse("financing:decide", args=[first.code]), {**terms, "confirm": "1"})
    assert done.status_code == 302
    refusal = {"decline": "1", "decline-reason": "Кепіл жоқ."}
    asked = client.post(reverse("financing:decide", args=[second.code]), refusal)
    assert 'data-testid="cannot-undo"' in asked.text and "Кепіл жоқ." in asked.text
    assert graduates[1].full_name in asked.text
    second.refresh_from_db()
    assert second.state == Referral.State.FORWARDED
    client.post(reverse("financing:decide", args=[second.code]), {**refusal, "confirm": "1"})
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.state, second.state) == (Referral.State.APPROVED, Referral.State.DECLINED)
    assert 'data-testid="decided"' in client.get(reverse("financing:decide", args=[first.code])).text


def test_the_chamber_records_a_follow_up_from_the_due_list(graduate, chamber_user, login):
    assert 'data-testid="followup-row"' not in login(chamber_user).get(reverse("financing:followups")).text
    with time_machine.travel(SIX_MONTHS_ON, tick=False):
        client = login(chamber_user)  # six months on: a new session
        page = client.get(reverse("financing:followups")).text
        assert page.count('data-testid="followup-row"') == 3  # the three graduates' six-month follow-ups
        follow_up = FollowUp.objects.get(application=graduate, milestone=6)
        url = reverse("financing:followup", args=[follow_up.code])
        wrong = client.post(
            url,
            {
                "business_opened": "yes",
                "registration_number": "971240001316",
                "sector": "trade",
                "jobs_created": 2,
                "loan_received": "no",
            },
        )
        assert wrong.status_code == 200 and "check digit" in wrong.text
        client.post(
            url,
            {
                "business_opened": "yes",
                "registration_number": "971240001315",
                "sector": "trade",
                "jobs_created": 2,
                "loan_received": "no",
            },
        )
        follow_up.refresh_from_db()
        assert follow_up.is_recorded and follow_up.sector == "trade" and follow_up.loan_received is False
        assert client.get(reverse("financing:followups")).text.count('data-testid="followup-row"') == 2


@pytest.mark.parametrize(
    ("role", "shown", "hidden"),
    [
        (Role.CHAMBER, ["financing:referrals"], ["financing:inbox"]),
        (Role.FINANCE, ["financing:inbox"], ["financing:referrals"]),
        (Role.EMPLOYMENT_CENTRE, [], ["financing:referrals", "financing:inbox"]),
        (Role.ANALYST, [], ["financing:referrals", "financing:inbox"]),
    ],
)
def test_the_navigation_asks_the_policy(district, login, role, shown, hidden):
    user = make_staff(role, district=district)
    page = login(user).get(reverse("portal:home")).text
    for name in shown:
        assert f'href="{reverse(name)}"' in page
    for name in hidden:
        assert f'href="{reverse(name)}"' not in page


def test_the_follow_ups_are_a_tab_of_the_chambers_loans_page(chamber_user, login):
    page = login(chamber_user).get(reverse("financing:referrals")).text
    assert f'href="{reverse("financing:followups")}"' in page


@pytest.mark.parametrize("name", ["financing:referrals", "financing:followups", "financing:inbox"])
def test_staff_pages_refuse_other_roles(district, login, name):
    assert login(make_staff(Role.EMPLOYMENT_CENTRE, district=district)).get(reverse(name)).status_code == 403


def test_after_the_approval_the_next_step_is_the_loan_agreement_and_the_amount_is_shown(
    graduate, programme, officer, chamber_user, login
):
    from financing import services
    from tests.financing.helpers import approval

    referral = forwarded(graduate, programme, chamber_user, amount=5_000_000)
    page = login(graduate.applicant).get(reverse("applications:status", args=[graduate.code])).text
    assert "Wait for the financial institution" in page and "Your certificate is ready" not in page
    services.referral_approve(actor=officer, referral_id=referral.pk, **approval(referral, amount=4_000_000))
    page = login(graduate.applicant).get(reverse("applications:status", args=[graduate.code])).text
    step = page.split('data-testid="next-step"')[1].split("</section>")[0]
    assert "sign the loan agreement" in step and "4,000,000" in step and programme.lender.name in step
    assert "Your certificate is ready" not in page
    assert 'data-testid="referral-approved"' in page
    listed = login(chamber_user).get(reverse("financing:referrals")).text
    assert 'data-testid="approved-amount"' in listed and "4,000,000" in listed
    assert "4,000,000" in login(officer).get(reverse("financing:inbox") + "?state=all").text


def test_after_a_refusal_the_next_step_gives_the_reason(graduate, programme, officer, chamber_user, login):
    from financing import services

    referral = forwarded(graduate, programme, chamber_user)
    services.referral_decline(actor=officer, referral_id=referral.pk, reason="Кепіл жоқ")
    page = login(graduate.applicant).get(reverse("applications:status", args=[graduate.code])).text
    step = page.split('data-testid="next-step"')[1].split("</section>")[0]
    assert "Your loan was declined" in step and "Кепіл жоқ." in step
    assert "Your certificate is ready" not in page
