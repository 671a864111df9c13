"""What a citizen on a phone and a busy clerk see: the next step, the confirmations, the error
summary, the walk-in form's words, the decision page and the queue's bulk decision."""

import datetime

import pytest
from django.urls import reverse
from django.utils import translation

from accounts.models import Role
from applications.models import Status
from applications.next_step import next_steps_for
from tests.factories import make_application, make_staff

pytestmark = pytest.mark.django_db

KEYS = {"title", "body", "url", "url_label", "tone"}


def test_the_next_step_of_a_submitted_application_is_to_wait_for_the_centre(district):
    application = make_application(district=district)
    (step,) = next_steps_for(application, application.applicant)
    assert set(step) == KEYS
    assert step["title"] == "Wait for the employment centre's decision"
    assert step["tone"] == "wait"


def test_an_eligible_applicant_waits_for_the_test(district):
    application = make_application(district=district, status=Status.ELIGIBLE)
    (step,) = next_steps_for(application, application.applicant)
    assert step["title"] == "Wait for the aptitude test"


def test_an_ended_application_says_why_and_offers_to_apply_again(district):
    application = make_application(district=district, status=Status.INELIGIBLE)
    (step,) = next_steps_for(application, application.applicant)
    assert step["tone"] == "ended"
    assert step["url"] == reverse("applications:apply")
    assert "not in the target group" in step["body"].lower() or "target group" in step["body"].lower()


def test_staff_get_no_next_step_card(district):
    application = make_application(district=district)
    assert next_steps_for(application, make_staff(Role.EMPLOYMENT_CENTRE, district=district)) == []


def test_the_status_and_home_pages_open_with_the_next_step(login, district):
    application = make_application(district=district)
    client = login(application.applicant)
    status = client.get(reverse("applications:status", args=[application.code])).text
    home = client.get(reverse("portal:home")).text
    for page in (status, home):
        assert 'data-testid="next-step"' in page
        assert "Wait for the employment centre&#x27;s decision" in page
    # Above everything else in the page's content: before the timeline.
    assert status.index('data-testid="next-step"') < status.index('id="timeline-heading"')


def test_withdrawing_asks_first_and_names_what_cannot_be_undone(login, district):
    application = make_application(district=district)
    client = login(application.applicant)
    url = reverse("applications:withdraw", args=[application.code])
    status = client.get(reverse("applications:status", args=[application.code])).text
    assert f'href="{url}"' in status  # the status page links to the confirmation, it does not withdraw

    page = client.get(url)
    assert page.status_code == 200
    assert "This cannot be undone" in page.text
    application.refresh_from_db()
    assert application.status == Status.SUBMITTED

    client.post(url, {"reason": ""})
    application.refresh_from_db()
    assert application.status == Status.WITHDRAWN


def _form_data(**overrides):
    data = {
        "iin": "",
        "last_name": "Нұрланов",
        "first_name": "Айдар",
        "phone": "+77015550123",
        "password1": "short",
        "password2": "different",
    }
    data.update(overrides)
    return data


def test_the_form_after_an_error_opens_with_a_summary_linking_to_each_field(client, district):
    response = client.post(reverse("applications:apply"), _form_data())
    text = response.content.decode()
    assert 'id="error-summary"' in text
    assert 'href="#id_iin"' in text and 'href="#id_consent"' in text and 'href="#id_password2"' in text
    assert text.index('id="error-summary"') < text.index('<form method="post" novalidate')
    form = response.context["form"]
    # A too-short password and a mismatch are told in the same round trip.
    assert form.errors["password1"] and form.errors["password2"] == ["The two passwords differ."]
    assert 'data-testid="password-emptied"' in text
    assert "js/error-summary.js" in text


def test_the_walk_in_form_speaks_to_the_clerk_and_its_scan_is_optional(login, centre_user):
    text = login(centre_user).get(reverse("applications:intake")).text
    assert "About the applicant" in text and "The applicant's business idea" in text
    assert "The applicant is a citizen of the Republic of Kazakhstan" in text
    assert "About you" not in text and "Your business idea" not in text
    scan = text.split("Scanned document (optional)", 1)[1]
    assert "required" not in scan.split("</fieldset>", 1)[0]


def test_the_decision_page_shows_what_the_decision_needs(login, district, centre_user):
    earlier = make_application(district=district, status=Status.INELIGIBLE)
    application = make_application(district=district, iin=earlier.iin, birth_date=earlier.birth_date)
    text = login(centre_user).get(reverse("applications:decide", args=[application.code])).text
    assert application.business_idea in text
    assert application.get_sector_display() in text and application.get_education_display() in text
    assert "Earlier applications of this IIN" in text
    assert earlier.number in text and "Not eligible" in text


def test_the_queue_opens_on_awaiting_a_decision(login, district, centre_user):
    waiting = make_application(district=district)
    decided = make_application(district=district, status=Status.ELIGIBLE)
    text = login(centre_user).get(reverse("applications:queue")).text
    assert waiting.number in text and decided.number not in text
    everything = login(centre_user).get(reverse("applications:queue"), {"status": ""}).text
    assert decided.number in everything


def test_a_bulk_decision_without_ticks_keeps_the_choice_and_says_what_is_missing(login, district, centre_user):
    make_application(district=district)
    response = login(centre_user).post(
        reverse("applications:queue_decide"), {"bulk-decision": "eligible", "next": "/staff/applications/"}
    )
    assert response.status_code == 400
    assert "Tick at least one application in the table." in response.text
    assert response.context["bulk_form"]["decision"].value() == "eligible"


def test_a_bulk_decision_without_a_decision_keeps_the_ticks(login, district, centre_user):
    application = make_application(district=district)
    response = login(centre_user).post(
        reverse("applications:queue_decide"), {"bulk-applications": [application.pk], "next": "/staff/applications/"}
    )
    assert response.status_code == 400
    assert "Choose the decision below the table." in response.text
    assert f'value="{application.pk}" checked' in response.text
    application.refresh_from_db()
    assert application.status == Status.SUBMITTED


def test_dates_are_day_first_with_kazakh_weekday_abbreviations():
    from django.template import Context, Template

    tuesday = datetime.date(2026, 12, 1)
    template = Template('{% load bastau %}{{ d|weekday_short }} {{ d|date:"D" }} {{ d|date:"SHORT_DATE_FORMAT" }}')
    with translation.override("kk"):
        assert template.render(Context({"d": tuesday})) == "Сс Сс 01.12.2026"
    with translation.override("ru"):
        assert template.render(Context({"d": tuesday})) == "Вт Вт 01.12.2026"
    with translation.override("en"):
        assert template.render(Context({"d": tuesday})) == "Tue Tue 01.12.2026"


def test_dates_are_typed_in_the_pages_format(district):
    from applications.forms import ApplicationForm

    form = ApplicationForm()
    html = str(form["birth_date"])
    assert 'type="text"' in html and 'placeholder="DD.MM.YYYY"' in html
    with translation.override("kk"):
        assert 'placeholder="КК.АА.ЖЖЖЖ"' in str(ApplicationForm()["birth_date"])


def test_sms_in_kazakh_and_russian_begin_with_the_programmes_name_in_cyrillic(district):
    from django.template.loader import render_to_string

    application = make_application(district=district)
    for lang in ("kk", "ru"):
        with translation.override(lang):
            text = render_to_string("emails/status-sms.txt", {"application": application, "status": "x", "url": "u"})
        assert text.startswith("Бастау "), text
