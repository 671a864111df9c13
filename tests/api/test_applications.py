"""Applications through the API: the same submission, scoping, decision and refusals as the pages."""

import datetime

import pytest

from accounts.models import Role
from applications.models import Application, Channel, Status, StatusChange
from tests.api.conftest import error_of
from tests.factories import (
    DistrictFactory,
    make_accepted,
    make_api_token,
    make_application,
    make_iin,
    make_other_stream,
    make_staff,
)

pytestmark = pytest.mark.django_db

URL = "/api/applications/"


def payload(district, **overrides) -> dict:
    values = {
        "iin": make_iin(datetime.date(1990, 5, 17), "M"),
        "last_name": "Серікбаев",
        "first_name": "Нұрлан",
        "patronymic": "Асқарұлы",
        "birth_date": "1990-05-17",
        "sex": "M",
        "phone": "+7 701 555 12 34",
        "email": "",
        "district": district.pk,
        "employment_status": "unemployed",
        "education": "secondary",
        "business_idea": "Қой шаруашылығы: 20 бас қой.",
        "sector": "agriculture",
        "is_citizen_confirmed": True,
        "consent": True,
    }
    values.update(overrides)
    return values


# --- Create ---------------------------------------------------------------------------------------


def test_an_intake_system_registers_an_application_through_the_submission_service(
    api, centre_user, centre_key, district
):
    response = api(centre_key).post(URL, payload(district, language="ru"))
    assert response.status_code == 201, response.json()
    body = response.json()
    application = Application.objects.get(code=body["code"])
    # The channel of the token's organisation, as for a walk-in; registered by the token's user.
    assert application.channel == Channel.EMPLOYMENT_CENTRE
    assert (application.registered_by, application.registered_at_organisation) == (
        centre_user,
        centre_user.organisation,
    )
    assert (application.status, application.language, application.phone.as_e164) == (
        Status.SUBMITTED,
        "ru",
        "+77015551234",
    )
    assert application.applicant is None  # no citizen account is made for a registration by staff
    assert body["number"] == application.number and body["status"] == "submitted"
    assert [(h["from_status"], h["to_status"]) for h in body["history"]] == [("", "submitted")]
    assert StatusChange.objects.filter(application=application, actor=centre_user).count() == 1


def test_the_chambers_system_registers_with_the_chambers_channel(api, chamber_key, district):
    response = api(chamber_key).post(URL, payload(district))
    assert response.status_code == 201
    assert response.json()["channel"] == Channel.CHAMBER


def test_the_programmes_rules_come_back_as_400_on_their_fields(api, centre_key, district):
    response = api(centre_key).post(
        URL,
        payload(district, last_name="Smith", birth_date="2015-01-01", consent=False, is_citizen_confirmed=False),
    )
    assert response.status_code == 400
    error = error_of(response)
    assert set(error["fields"]) == {"last_name", "birth_date", "consent", "is_citizen_confirmed"}
    assert error["fields"]["last_name"] == ["Write the name in Cyrillic letters, as in the identity card."]


def test_malformed_input_is_400_on_its_fields_before_any_rule(api, centre_key, district):
    response = api(centre_key).post(URL, {**payload(district), "birth_date": "17.05.1990", "sex": "X", "district": 0})
    assert response.status_code == 400
    assert set(error_of(response)["fields"]) == {"birth_date", "sex", "district"}
    assert Application.objects.count() == 0


def test_an_open_application_with_the_same_iin_is_refused_on_the_iin(api, centre_key, district):
    data = payload(district)
    assert api(centre_key).post(URL, data).status_code == 201
    response = api(centre_key).post(URL, {**data, "phone": "+77015559999"})
    assert response.status_code == 400
    assert error_of(response)["fields"] == {"iin": ["This IIN already has an application in progress."]}


def test_an_applicant_of_another_district_is_refused_as_on_the_walk_in_form(api, centre_key, other_district):
    response = api(centre_key).post(URL, payload(other_district))
    assert response.status_code == 400
    assert list(error_of(response)["fields"]) == ["district"]


def test_a_role_that_does_not_register_is_403_with_the_rule(api, district):
    analyst_key = make_api_token(make_staff(Role.ANALYST, national=True))
    response = api(analyst_key).post(URL, payload(district))
    assert response.status_code == 403
    assert error_of(response)["code"] == "applications.open_intake"


def test_messages_follow_accept_language(api, centre_key, district):
    response = api(centre_key, language="ru").post(URL, payload(district, last_name="Smith"))
    assert response.status_code == 400
    message = error_of(response)["fields"]["last_name"][0]
    assert message != "Write the name in Cyrillic letters, as in the identity card."
    assert any("а" <= ch <= "я" for ch in message.lower())
    unauthenticated = api(None, language="kk").get(URL)
    assert error_of(unauthenticated)["message"] != "Authentication credentials were not provided."


# --- List and read --------------------------------------------------------------------------------


def test_a_districts_token_lists_only_its_district(api, centre_key, outsider_key, district, other_district):
    mine = [make_application(district=district) for _ in range(2)]
    theirs = make_application(district=other_district)
    body = api(centre_key).get(URL).json()
    assert body["count"] == 2
    assert {row["code"] for row in body["results"]} == {str(a.code) for a in mine}
    assert [row["code"] for row in api(outsider_key).get(URL).json()["results"]] == [str(theirs.code)]


def test_another_districts_application_is_404(api, centre_key, other_district):
    theirs = make_application(district=other_district)
    response = api(centre_key).get(f"{URL}{theirs.code}/")
    assert response.status_code == 404
    assert error_of(response)["code"] == "not_found"
    assert api(centre_key).get(f"{URL}not-a-code/").status_code == 404


def test_one_application_reads_with_its_personal_data_and_history(api, centre_key, district):
    application = make_application(district=district, status=Status.ELIGIBLE)
    body = api(centre_key).get(f"{URL}{application.code}/").json()
    assert body["iin"] == application.iin
    assert [h["to_status"] for h in body["history"]] == ["submitted", "eligible"]


def test_pages_and_filters(api, centre_key, district):
    october = make_other_stream()
    in_october = datetime.datetime(2026, 10, 5, 6, tzinfo=datetime.UTC)
    old = [make_application(district=district, now=in_october) for _ in range(2)]
    new = [make_application(district=district) for _ in range(3)]
    make_application(district=district, status=Status.ELIGIBLE)
    caller = api(centre_key)

    first = caller.get(URL, {"page_size": 2}).json()
    assert (first["count"], len(first["results"]), first["previous"]) == (6, 2, None)
    assert [r["code"] for r in first["results"]] == [str(a.code) for a in old]  # oldest first
    third = caller.get(URL, {"page_size": 2, "page": 3}).json()
    assert third["next"] is None and len(third["results"]) == 2

    assert caller.get(URL, {"status": "eligible"}).json()["count"] == 1
    assert caller.get(URL, {"stream": october.pk}).json()["count"] == 2
    assert caller.get(URL, {"submitted_from": "2026-11-01"}).json()["count"] == 4
    assert caller.get(URL, {"submitted_to": "2026-10-31"}).json()["count"] == 2
    assert caller.get(URL, {"district": district.pk, "status": "submitted"}).json()["count"] == 5
    assert caller.get(URL, {"district": DistrictFactory().pk}).json()["count"] == 0
    assert {r["code"] for r in caller.get(URL, {"submitted_from": "2026-12-01"}).json()["results"]} >= {
        str(a.code) for a in new
    }


@pytest.mark.parametrize(
    "params",
    [{"status": "nonsense"}, {"district": "x"}, {"district": 2**40}, {"submitted_from": "yesterday"}],
)
def test_a_malformed_filter_is_400_on_its_field(api, centre_key, params):
    response = api(centre_key).get(URL, params)
    assert response.status_code == 400
    assert list(error_of(response)["fields"]) == list(params)


def test_a_page_past_the_end_is_404_in_the_error_shape(api, centre_key):
    response = api(centre_key).get(URL, {"page": 9})
    assert response.status_code == 404
    error_of(response)


# --- The eligibility decision ---------------------------------------------------------------------


def decision_url(application) -> str:
    return f"{URL}{application.code}/decision/"


def test_the_centre_decides_through_the_service(api, centre_user, centre_key, district):
    application = make_application(district=district)
    response = api(centre_key).post(decision_url(application), {"eligible": True})
    assert response.status_code == 200, response.json()
    application.refresh_from_db()
    assert (application.status, application.decided_by) == (Status.ELIGIBLE, centre_user)
    assert response.json()["status"] == "eligible"


def test_not_eligible_needs_a_reason_on_its_field(api, centre_key, district):
    application = make_application(district=district)
    response = api(centre_key).post(decision_url(application), {"eligible": False})
    assert response.status_code == 400
    assert error_of(response)["fields"] == {"reason": ["Choose the reason."]}
    response = api(centre_key).post(decision_url(application), {"eligible": False, "reason": "other"})
    assert error_of(response)["fields"] == {"note": ["Explain the reason."]}
    response = api(centre_key).post(
        decision_url(application), {"eligible": False, "reason": "other", "note": "Lives abroad"}
    )
    assert response.status_code == 200 and response.json()["status"] == "ineligible"


def test_another_districts_application_cannot_be_decided(api, outsider_key, district):
    application = make_application(district=district)
    response = api(outsider_key).post(decision_url(application), {"eligible": True})
    assert response.status_code == 404
    application.refresh_from_db()
    assert application.status == Status.SUBMITTED


def test_a_role_that_does_not_decide_is_403_with_the_rule(api, chamber_key, district):
    application = make_application(district=district)
    response = api(chamber_key).post(decision_url(application), {"eligible": True})
    assert response.status_code == 403
    assert error_of(response)["code"] == "applications.decide_any"


def test_a_regional_centre_decides_in_its_region_as_on_the_page(api, district, other_district):
    regional_key = make_api_token(make_staff(Role.EMPLOYMENT_CENTRE, region=district.region))
    application = make_application(district=district)
    elsewhere = make_application(district=other_district)  # another region (a district of its own)
    assert api(regional_key).post(decision_url(application), {"eligible": True}).status_code == 200
    assert api(regional_key).post(decision_url(elsewhere), {"eligible": True}).status_code == 404


def test_an_application_that_moved_on_is_409(api, centre_key, district, stream):
    accepted = make_accepted(district, stream)[0]
    response = api(centre_key).post(decision_url(accepted), {"eligible": True})
    assert response.status_code == 409
    assert error_of(response)["code"]


# --- The lists sent to the Chamber ----------------------------------------------------------------


def test_the_chamber_reads_the_lists_sent_to_it_never_a_draft(api, centre_user, chamber_key, district, stream):
    from applications import services

    accepted = make_accepted(district, stream, 2)
    window = datetime.datetime.combine(stream.application_opens, datetime.time(12), tzinfo=datetime.UTC)
    draft_member = make_application(district=district, now=window, status=Status.ELIGIBLE)
    draft = services.applicant_list_create(actor=centre_user, stream=stream)
    rows = api(chamber_key).get("/api/applicant-lists/").json()["results"]
    assert [(r["code"], r["state"], r["size"]) for r in rows] == [(str(accepted[0].applicant_list.code), "accepted", 2)]
    assert api(chamber_key).get(f"/api/applicant-lists/{draft.code}/").status_code == 404
    body = api(chamber_key).get(f"/api/applicant-lists/{accepted[0].applicant_list.code}/").json()
    assert sorted(a["code"] for a in body["applications"]) == sorted(str(a.code) for a in accepted)
    # The centre that prepares them sees its draft too, with its applicant.
    centre_rows = api(make_api_token(centre_user)).get("/api/applicant-lists/", {"state": "draft"}).json()["results"]
    assert [r["code"] for r in centre_rows] == [str(draft.code)]
    other = make_api_token(make_staff(Role.CHAMBER))
    assert api(other).get(f"/api/applicant-lists/{accepted[0].applicant_list.code}/").status_code == 404
    assert draft_member.pk  # on the draft


def test_a_role_without_the_lists_page_is_403(api, district):
    akimat_key = make_api_token(make_staff(Role.AKIMAT, district=district))
    response = api(akimat_key).get("/api/applicant-lists/")
    assert response.status_code == 403
    assert error_of(response)["code"] == "applications.view_lists"


def test_a_trainer_or_commission_token_cannot_read_an_applications_full_personal_data(api, district, stream):
    from tests.factories import make_api_token, make_commission, make_in_training

    (participant,), group = make_in_training(district, stream, 1)
    commission = make_commission(district)
    for user in (group.trainers.get(), commission.secretary):
        response = api(make_api_token(user)).get(f"{URL}{participant.code}/")
        # Both may see the participant in their own resources, masked; the full IIN and contacts are
        # for those who work the queue, as on the status page.
        assert response.status_code == 403, user.role
        assert error_of(response)["code"] == "applications.view_queue"
        assert participant.iin not in response.content.decode()
