"""Who may read, write, comment on and freeze a plan: refused by the service called directly, and by URL."""

import pytest
from django.urls import reverse

from accounts.models import Role
from core.errors import Refused
from plans import services
from plans.models import PlanComment
from tests.factories import DistrictFactory, make_draft_plan, make_frozen_plan, make_staff


@pytest.fixture
def version(participant):
    make_draft_plan(participant)
    return services.plan_submit(actor=participant.applicant, application=participant)


@pytest.fixture
def other_participant(trained):
    return trained[0][1]


def test_another_applicant_can_neither_write_nor_freeze(participant, other_participant, version):
    with pytest.raises(Refused):
        services.plan_save_draft(actor=other_participant.applicant, application=participant, sections={"summary": "x"})
    with pytest.raises(Refused):
        services.plan_submit(actor=other_participant.applicant, application=participant)
    with pytest.raises(Refused):
        services.plan_freeze(actor=other_participant.applicant, version=version)
    with pytest.raises(Refused):
        services.plan_pdf_request(actor=other_participant.applicant, version=version)


def test_staff_never_write_a_participants_plan(participant, trainer, chamber, version):
    for staff in (trainer, chamber):
        with pytest.raises(Refused):
            services.plan_save_draft(actor=staff, application=participant, sections={"summary": "x"})
        with pytest.raises(Refused):
            services.plan_freeze(actor=staff, version=version)


def test_a_trainer_of_another_group_or_a_chamber_elsewhere_cannot_comment(version, other_trainer, other_chamber):
    for outsider in (
        other_trainer,
        other_chamber,
        make_staff(Role.COMMISSION, district=version.plan.application.district),
    ):
        with pytest.raises(Refused):
            services.plan_comment(actor=outsider, version=version, section="summary", text="Жоқ")
    assert not PlanComment.objects.exists()


def test_the_groups_trainer_and_the_districts_chamber_comment(version, trainer, chamber):
    services.plan_comment(actor=trainer, version=version, section="summary", text="Жақсы")
    services.plan_comment(actor=chamber, version=version, section="risks", text="Сақтандыру?")
    assert PlanComment.objects.count() == 2


def test_pages_of_a_plan_refuse_outsiders(
    participant, other_participant, version, other_trainer, other_chamber, client
):
    urls = [
        reverse("plans:edit", args=[participant.code]),
        reverse("plans:version", args=[version.code]),
        reverse("plans:pdf", args=[version.code]),
    ]
    for outsider in (other_participant.applicant, other_trainer, other_chamber):
        client.force_login(outsider)
        for url in urls:
            assert client.get(url).status_code in (403, 404), (outsider.role, url)
        posts = [
            (reverse("plans:save", args=[participant.code]), {"section-summary": "Чужой"}),
            (reverse("plans:submit", args=[participant.code]), {}),
            (reverse("plans:freeze", args=[version.code]), {}),
            (reverse("plans:comment", args=[version.code]), {"section": "summary", "text": "Чужой"}),
        ]
        for url, data in posts:
            assert client.post(url, data).status_code in (403, 404), (outsider.role, url)
    version.refresh_from_db()
    assert version.frozen_at is None and not PlanComment.objects.exists()
    assert "Чужой" not in str(version.plan.__class__.objects.get().draft_sections)


def test_the_trainers_group_list_is_theirs_only(group, trainer, other_trainer, other_chamber, client):
    url = reverse("plans:group", args=[group.code])
    client.force_login(trainer)
    assert client.get(url).status_code == 200
    for outsider in (other_trainer, other_chamber):
        client.force_login(outsider)
        assert client.get(url).status_code == 404
    client.force_login(group.memberships.first().application.applicant)
    assert client.get(url).status_code == 403


def test_the_commission_of_the_area_reads_the_frozen_version_only(participant, version, client):
    member = make_staff(Role.COMMISSION, district=participant.district)
    client.force_login(member)
    url = reverse("plans:version", args=[version.code])
    assert client.get(url).status_code == 404  # submitted, not ready for defence
    frozen = services.plan_freeze(actor=participant.applicant, version=version)
    assert client.get(url).status_code == 200
    assert client.get(reverse("plans:pdf", args=[frozen.code])).status_code == 200
    regional = make_staff(Role.COMMISSION, region=participant.district.region)
    client.force_login(regional)
    assert client.get(url).status_code == 200  # in_area: the region's commission too
    client.force_login(make_staff(Role.COMMISSION, district=DistrictFactory()))
    assert client.get(url).status_code == 404


def test_after_freezing_the_page_says_so_and_the_editor_is_gone(participant, client):
    version = make_frozen_plan(participant)
    client.force_login(participant.applicant)
    page = client.get(reverse("plans:edit", args=[participant.code]))
    assert 'data-testid="plan-frozen"' in page.text and 'id="plan-form"' not in page.text
    answer = client.post(
        reverse("plans:save", args=[participant.code]),
        {"revision": "1", "section-summary": "Кейін"},
        headers={"X-Autosave": "1"},
    )
    assert answer.status_code == 409 and answer.json()["code"] == "plans.frozen"
    assert version.plan.__class__.objects.get().draft_sections["summary"].startswith("Қой")
