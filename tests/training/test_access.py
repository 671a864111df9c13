"""Who sees which group: trainers their own, the Chamber its district's, the participant their own."""

import re

import pytest
from django.urls import reverse

from accounts.models import Role
from tests.factories import make_participants, make_staff
from tests.training.helpers import make_group, put

pytestmark = pytest.mark.django_db


@pytest.fixture
def groups(chamber_user, district, stream, modules, trainer):
    """Two groups of the district: the trainer teaches the first only."""
    colleague = make_staff(Role.TRAINER, district=district)
    mine = make_group(chamber_user, stream, "Group A", trainers=[trainer])
    theirs = make_group(chamber_user, stream, "Group B", trainers=[colleague])
    return mine, theirs


def group_url(group) -> str:
    return reverse("training:group", args=[group.code])


def pdf_url(group) -> str:
    return reverse("training:group_pdf", args=[group.code])


def test_a_trainer_lists_only_the_groups_they_teach(login, trainer, groups):
    mine, theirs = groups

    page = login(trainer).get(reverse("training:groups")).text

    assert page.count('data-testid="group-row"') == 1
    assert group_url(mine) in page
    assert group_url(theirs) not in page


def test_a_trainer_gets_404_on_a_group_of_their_district_they_do_not_teach(login, trainer, groups):
    client = login(trainer)
    _, theirs = groups

    assert client.get(group_url(theirs)).status_code == 404
    assert client.get(pdf_url(theirs)).status_code == 404


def test_a_trainer_opens_the_page_of_their_own_group(login, trainer, groups):
    mine, _ = groups

    response = login(trainer).get(group_url(mine))

    assert response.status_code == 200
    assert "Group A" in response.text
    assert response.text.count('data-testid="teaching-day"') == 25
    assert reverse("training:move_day", args=[mine.code]) not in response.text  # a trainer moves no days


def test_the_chamber_lists_every_group_of_its_district(login, chamber_user, groups, other_district, stream, modules):
    make_group(make_staff(Role.CHAMBER, district=other_district), stream, "Elsewhere")

    page = login(chamber_user).get(reverse("training:groups")).text

    assert page.count('data-testid="group-row"') == 2
    assert "Elsewhere" not in page


def test_the_chamber_of_another_district_gets_404_on_the_group_page_and_pdf(login, groups, other_district):
    client = login(make_staff(Role.CHAMBER, district=other_district))
    mine, _ = groups

    assert client.get(group_url(mine)).status_code == 404
    assert client.get(pdf_url(mine)).status_code == 404


def test_a_trainer_of_another_district_gets_404_on_the_group_page(login, groups, other_district):
    client = login(make_staff(Role.TRAINER, district=other_district))

    assert client.get(group_url(groups[0])).status_code == 404


@pytest.mark.parametrize("role", [Role.CITIZEN, Role.EMPLOYMENT_CENTRE])
def test_citizens_and_the_employment_centre_are_refused_the_groups_pages(login, district, groups, role):
    user = (
        make_staff(role, district=district)
        if role != Role.CITIZEN
        else make_participants(district, groups[0].stream, 1)[0].applicant
    )
    client = login(user)

    assert client.get(reverse("training:groups")).status_code == 403
    assert client.get(group_url(groups[0])).status_code == 403
    assert client.get(pdf_url(groups[0])).status_code == 403


def test_the_group_pdf_is_a_pdf_for_the_chamber(login, chamber_user, district, groups):
    mine, _ = groups
    put(chamber_user, mine, make_participants(district, mine.stream, 2))

    response = login(chamber_user).get(pdf_url(mine))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert len(response.content) > 1000


def test_the_participant_sees_their_group_trainers_and_schedule_on_their_status_page(
    login, chamber_user, district, trainer, groups
):
    mine, _ = groups
    (participant,) = make_participants(district, mine.stream, 1)
    put(chamber_user, mine, [participant])

    response = login(participant.applicant).get(reverse("applications:status", args=[participant.code]))

    assert response.status_code == 200
    card = response.text.split('data-testid="group-card"')[1].split("</div></div>")[0]
    assert "Group A" in card
    assert "Akimat hall" in card
    assert trainer.full_name in card
    assert "Schedule: 25 teaching days" in card
    days = list(mine.days.select_related("module").order_by("date"))
    items = re.findall(r"<li>(.*?) — (.*?)</li>", card)
    assert [module for _, module in items] == [str(d.module) for d in days]
    first_date = items[0][0]
    assert "07" in first_date and "12" in first_date  # Monday 7 December, in whatever short format


def test_a_participant_without_a_group_sees_no_group_card(login, district, groups):
    (participant,) = make_participants(district, groups[0].stream, 1)

    response = login(participant.applicant).get(reverse("applications:status", args=[participant.code]))

    assert response.status_code == 200
    assert 'data-testid="group-card"' not in response.text
    assert "Your training group" not in response.text
