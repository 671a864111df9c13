"""No English "trainer" on a Kazakh or Russian page: the pages a trainer works on and the participant's
pages that speak of their trainer, read as a user reads them (the text, and the titles and labels a
pointer or a screen reader shows), not the markup (/trainer/ in a link or a test id is no word)."""

import html
import re

import pytest
from django.conf import settings
from django.urls import reverse

from accounts.models import Role
from plans import services as plans_services
from tests.factories import StreamFactory, make_draft_plan, make_in_training, make_staff

pytestmark = pytest.mark.django_db

SHOWN_ATTRIBUTES = re.compile(r'\b(?:title|aria-label|placeholder|alt)="([^"]*)"')


def shown_text(page: str) -> str:
    page = re.sub(r"<(script|style)\b.*?</\1>", " ", page, flags=re.S | re.I)
    attributes = " ".join(SHOWN_ATTRIBUTES.findall(page))
    text = re.sub(r"<[^>]+>", " ", page)
    return html.unescape(f"{text} {attributes}")


@pytest.fixture
def course(district):
    # logins as the demo's: a person's login is no label ("trainer" was shown for the trainer's name)
    trainer = make_staff(Role.TRAINER, district=district, username="trainer", first_name="Нұрлан", last_name="Тоқтаров")
    chamber = make_staff(Role.CHAMBER, district=district, username="chamber")
    apps, group = make_in_training(district, StreamFactory(), 2, trainer=trainer)
    participant = apps[0]
    make_draft_plan(participant)
    version = plans_services.plan_submit(actor=participant.applicant, application=participant)
    plans_services.plan_comment(actor=trainer, version=version, section="market", text="Бағасы қандай?")
    day = group.days.order_by("date").first()
    return {
        "group": group,
        "trainer": trainer,
        "chamber": chamber,
        "participant": participant,
        "version": version,
        "day": day,
    }


@pytest.mark.parametrize("language", ["kk", "ru"])
def test_no_english_trainer_on_the_trainers_and_participants_pages(client, course, language):
    group, version, participant = course["group"], course["version"], course["participant"]
    pages = {
        course["trainer"]: [
            reverse("portal:home"),
            reverse("training:groups"),
            reverse("training:group", args=[group.code]),
            reverse("training:attendance", args=[group.code]),
            reverse("training:attendance", args=[group.code]) + f"?day={course['day'].date.isoformat()}",
            reverse("plans:groups"),
            reverse("plans:group", args=[group.code]),
            reverse("plans:version", args=[version.code]),
        ],
        course["chamber"]: [
            reverse("portal:home"),
            reverse("training:groups"),  # the new group's form offers the district's trainers
            reverse("training:group", args=[group.code]),
            reverse("training:attendance", args=[group.code]),
            reverse("plans:group", args=[group.code]),
        ],
        participant.applicant: [
            reverse("portal:home"),
            reverse("applications:status", args=[participant.code]),
            reverse("plans:edit", args=[participant.code]),
            reverse("plans:version", args=[version.code]),
        ],
    }
    for user, urls in pages.items():
        user.language = language
        user.save(update_fields=["language"])
        client.force_login(user, backend=settings.AUTHENTICATION_BACKENDS[-1])
        for url in urls:
            response = client.get(url)
            assert response.status_code == 200, url
            assert f'<html lang="{language}">' in response.text, url
            text = shown_text(response.text)
            words = re.findall(r".{0,40}trainer.{0,40}", text, flags=re.I)
            assert words == [], (url, words)
    # and the trainer is named, in the page's language, where the Chamber assigns trainers
    client.force_login(course["chamber"], backend=settings.AUTHENTICATION_BACKENDS[-1])
    text = shown_text(client.get(reverse("training:groups")).text)
    assert "Тоқтаров Нұрлан" in text and {"kk": "Тренерлер", "ru": "Тренеры"}[language] in text
