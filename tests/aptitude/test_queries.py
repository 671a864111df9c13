"""The test page costs the same number of queries however many sit the session."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from aptitude.models import Question
from tests.aptitude.helpers import answer, checked_on, question_ids_on, right, schedule, start, take_url
from tests.factories import make_accepted, make_bank

pytestmark = pytest.mark.django_db

# The login session, the user, the attempt with its session and stream, the questions, their choices
# and the answers given.
MOST_QUERIES = 6


def test_the_test_page_makes_as_many_queries_for_100_participants_as_for_5(login, chamber_user, district, stream):
    make_bank(30)
    make_accepted(district, stream, 5)
    small = schedule(chamber_user, stream, questions_count=20)
    make_accepted(district, stream, 100)
    large = schedule(chamber_user, stream, questions_count=20)
    assert (small.attempts.count(), large.attempts.count()) == (5, 100)

    def queries_on_the_page(session) -> int:
        attempt = session.attempts.first()
        client = login(attempt.application.applicant)
        start(client, attempt)
        for question in Question.objects.filter(pk__in=attempt.question_ids[:7]):
            answer(client, attempt, question, right(question))
        client.get(take_url(attempt))  # warm up what a first request loads
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(take_url(attempt))
        assert question_ids_on(response.text) == attempt.question_ids
        assert len(checked_on(response.text)) == 7
        return len(ctx.captured_queries)

    for_5, for_100 = queries_on_the_page(small), queries_on_the_page(large)
    assert for_5 == for_100
    assert for_100 == MOST_QUERIES  # exactly, one per line of the comment above
