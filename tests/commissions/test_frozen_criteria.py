"""A session's criteria are frozen at its first score: a criterion added or changed in the admin
afterwards (60 % defended became 48 %) changes no outcome already scored, and applies to later
sessions only."""

import datetime
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse

from accounts.models import Role
from commissions import selectors, services
from commissions.models import Criterion, SessionCriterion
from tests.factories import UserFactory, make_commission, make_finished, make_frozen_plan

pytestmark = pytest.mark.django_db


def _finished(district, stream, name):
    apps, group = make_finished(district, stream, 1, group_name=name)
    make_frozen_plan(apps[0])
    return group, group.days.order_by("-date").first().date + datetime.timedelta(days=1)


def _on(day):
    return time_machine.travel(datetime.datetime.combine(day, datetime.time(8), tzinfo=datetime.UTC), tick=False)


def _schedule(commission, group, day):
    with _on(day):
        return services.session_schedule(
            actor=commission.secretary,
            group_id=group.pk,
            held_on=day,
            place="Akimat hall",
            present_ids=[s.pk for s in commission.seats],
        )


def _score(seat, session, defence, points: dict):
    return services.defence_score(
        actor=seat.user, session_id=session.pk, defence_id=defence.pk, points=points, comment=""
    )


@pytest.fixture
def scored(district, stream):
    """A session whose four criteria of 10 were scored 6 each by two of its three members."""
    commission = make_commission(district, members=3)
    group, day = _finished(district, stream, "Group F")
    session = _schedule(commission, group, day)
    defence = session.defences.get()
    criteria = list(commission.criteria.order_by("position"))
    with _on(day):
        for seat in commission.seats[:2]:
            _score(seat, session, defence, {c.pk: 6 for c in criteria})
    return commission, session, defence, criteria, day


def _add_criterion(commission) -> Criterion:
    """As the admin's criteria inline saves a new row."""
    return Criterion.objects.create(
        commission=commission, name_kk="Әлеуметтік әсер", name_ru="Социальный эффект", max_score=10, position=5
    )


def test_a_criterion_added_mid_session_changes_neither_the_sheet_nor_the_outcome(scored):
    commission, session, defence, criteria, day = scored
    session.refresh_from_db()
    assert session.criteria_frozen_at is not None
    assert list(SessionCriterion.objects.filter(session=session).values_list("criterion_id", "max_score")) == [
        (c.pk, 10) for c in criteria
    ]
    added = _add_criterion(commission)
    first = criteria[0]
    first.max_score = 20  # and a maximum raised: the session keeps 10
    first.save()
    with _on(day):
        # The last member scores the four criteria the session was started on: the new one is not asked.
        _score(commission.seats[2], session, defence, {c.pk: 6 for c in criteria})
        view = selectors.session_defences(session, None)[0]
        assert view.complete and (view.result.defended, view.result.percent) == (True, Decimal("60.00"))
        assert [c.pk for c in selectors.criteria_for(session)] == [c.pk for c in criteria]
        assert added.pk not in [c.pk for c in selectors.criteria_for(session)]
        services.session_confirm(actor=commission.chair, session_id=session.pk)
    defence.refresh_from_db()
    assert (defence.outcome, defence.score_percent) == ("defended", Decimal("60.00"))  # not 48 %


def test_a_criterion_added_once_everyone_scored_leaves_60_percent_defended_not_48(scored):
    commission, session, defence, criteria, day = scored
    with _on(day):
        _score(commission.seats[2], session, defence, {c.pk: 6 for c in criteria})  # 24 of 40 each: 60 %
        _add_criterion(commission)  # 24 of 50 would be 48 %
        services.session_confirm(actor=commission.chair, session_id=session.pk)
    defence.refresh_from_db()
    assert (defence.outcome, defence.score_percent) == ("defended", Decimal("60.00"))


def test_a_point_above_the_frozen_maximum_is_refused_after_the_admin_raised_it(scored):
    commission, session, defence, criteria, day = scored
    first = criteria[0]
    first.max_score = 20
    first.save()
    with _on(day), pytest.raises(ValidationError) as refused:
        _score(commission.seats[2], session, defence, {c.pk: 15 if c == first else 6 for c in criteria})
    assert f"c{first.pk}" in refused.value.message_dict


def test_a_new_criterion_applies_to_a_later_session(scored, district, stream):
    commission, session, _defence, criteria, _day = scored
    added = _add_criterion(commission)
    group, day = _finished(district, stream, "Group G")
    later = _schedule(commission, group, day)
    assert [c.pk for c in selectors.criteria_for(later)] == [*(c.pk for c in criteria), added.pk]
    with _on(day):
        _score(commission.seats[0], later, later.defences.get(), {c.pk: 6 for c in [*criteria, added]})
    assert SessionCriterion.objects.filter(session=later).count() == 5
    assert SessionCriterion.objects.filter(session=session).count() == 4


def test_a_criterion_added_in_the_admin_page_leaves_the_scored_session_at_60_percent(scored, login):
    commission, session, defence, criteria, day = scored
    admin_user = UserFactory(role=Role.ADMIN, is_superuser=True, is_staff=True)
    client = login(admin_user)
    url = reverse("admin:commissions_commission_change", args=[commission.pk])
    page = client.get(url)
    assert page.status_code == 200
    seats = list(commission.members.order_by("pk"))
    data = {
        "organisation": commission.organisation_id,
        "pass_threshold": "60",
        "quorum_min": "3",
        "members-TOTAL_FORMS": str(len(seats)),
        "members-INITIAL_FORMS": str(len(seats)),
        "criteria-TOTAL_FORMS": str(len(criteria) + 1),
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
    for n, criterion in enumerate(criteria):
        data.update(
            {
                f"criteria-{n}-id": criterion.pk,
                f"criteria-{n}-commission": commission.pk,
                f"criteria-{n}-position": criterion.position,
                f"criteria-{n}-name_kk": criterion.name_kk,
                f"criteria-{n}-name_ru": criterion.name_ru,
                f"criteria-{n}-name_en": criterion.name_en,
                f"criteria-{n}-max_score": criterion.max_score,
                f"criteria-{n}-is_active": "on",
            }
        )
    n = len(criteria)
    data.update(
        {
            f"criteria-{n}-commission": commission.pk,
            f"criteria-{n}-position": 5,
            f"criteria-{n}-name_kk": "Әлеуметтік әсер",
            f"criteria-{n}-name_ru": "Социальный эффект",
            f"criteria-{n}-name_en": "Social effect",
            f"criteria-{n}-max_score": 10,
            f"criteria-{n}-is_active": "on",
        }
    )
    response = client.post(url, data)
    assert response.status_code == 302, response.context["inline_admin_formsets"][1].formset.errors
    assert commission.criteria.count() == 5
    with _on(day):
        _score(commission.seats[2], session, defence, {c.pk: 6 for c in criteria})
        client = login(commission.seats[2].user)
        page = client.get(reverse("commissions:session", args=[session.code])).content.decode()
        assert "Әлеуметтік әсер" not in page and "Social effect" not in page
        session.refresh_from_db()
        view = selectors.session_defences(session, None)[0]
        assert view.result.percent == Decimal("60.00") and view.result.defended
    # The session's own admin page shows the criteria it is scored on, read only.
    client = login(admin_user)
    page = client.get(reverse("admin:commissions_defencesession_change", args=[session.pk]))
    assert page.status_code == 200
    assert "Social effect" not in page.text and criteria[0].name_en in page.text
    assert page.text.count('class="field-max_score"') == 4 and 'name="frozen_criteria-0-max_score"' not in page.text


def test_the_migration_freezes_a_session_scored_before_it_on_the_criteria_scored(scored):
    import importlib

    from django.apps import apps

    from commissions.models import DefenceSession, Scoresheet

    commission, session, _defence, criteria, _day = scored
    # As the rows stood before the migration: scored, nothing frozen, a criterion added since.
    SessionCriterion.objects.filter(session=session).delete()
    DefenceSession.objects.filter(pk=session.pk).update(criteria_frozen_at=None)
    _add_criterion(commission)
    migration = importlib.import_module("commissions.migrations.0003_session_criteria")
    migration.freeze_scored_sessions(apps, None)
    migration.freeze_scored_sessions(apps, None)  # run twice: nothing more
    session.refresh_from_db()
    first = Scoresheet.objects.filter(defence__session=session).order_by("at").first()
    assert session.criteria_frozen_at == first.at
    assert sorted(SessionCriterion.objects.filter(session=session).values_list("criterion_id", flat=True)) == sorted(
        c.pk for c in criteria
    )
