"""What the aptitude tests share: the clock, scheduling a session, and reading the test page."""

import datetime
import re

from django.urls import reverse

from aptitude import services
from aptitude.models import TestSession

NOW = datetime.datetime(2026, 12, 1, 4, 0, tzinfo=datetime.UTC)  # 09:00 in Almaty
OPENS = NOW
CLOSES = NOW + datetime.timedelta(hours=8)
MINUTE = datetime.timedelta(minutes=1)


def schedule(
    actor, stream, *, mode=TestSession.Mode.ONLINE, starts_at=OPENS, closes_at=CLOSES, **kwargs
) -> TestSession:
    """Invite the district's accepted applicants through services.session_schedule."""
    return services.session_schedule(
        actor=actor, stream=stream, mode=mode, starts_at=starts_at, closes_at=closes_at, **kwargs
    )


def right(question) -> list[int]:
    return [c.pk for c in question.choices.all() if c.is_correct]


def wrong(question) -> list[int]:
    return [c.pk for c in question.choices.all() if not c.is_correct]


def take_url(attempt) -> str:
    return reverse("aptitude:take", args=[attempt.code])


def start(client, attempt):
    return client.post(reverse("aptitude:start", args=[attempt.code]))


def answer(client, attempt, question, choice_ids):
    return client.post(
        reverse("aptitude:answer", args=[attempt.code]), {"question": question.pk, f"q{question.pk}": choice_ids}
    )


def submit(client, attempt, **data):
    """Submit as the confirmation page does (the first POST only asks "answered n of m, submit?")."""
    return client.post(reverse("aptitude:submit", args=[attempt.code]), {"confirm": "1", **data}, follow=True)


def question_ids_on(html: str) -> list[int]:
    """The questions of the test page, in the order the citizen sees them."""
    return [int(pk) for pk in re.findall(r'<fieldset[^>]*data-testid="question"[^>]*"question": "(\d+)"', html)]


def checked_on(html: str) -> set[int]:
    return {int(pk) for pk in re.findall(r'<input [^>]*value="(\d+)"[^>]*\schecked>', html)}


def seconds_left(html: str) -> int:
    return int(re.search(r'id="timer" data-seconds="(\d+)"', html).group(1))
