"""Factories for tests: every object with sensible defaults, overridable by keyword."""

import datetime
import itertools

import factory
from factory.django import DjangoModelFactory

from accounts.models import Organisation, OrganisationKind, Role, User
from geography.models import District, Region
from programme.models import ProgrammeYear, Stream

_kato = itertools.count(900000000, 10000)
ROLE_KIND = {
    Role.EMPLOYMENT_CENTRE: OrganisationKind.EMPLOYMENT_CENTRE,
    Role.AKIMAT: OrganisationKind.AKIMAT,
    Role.CHAMBER: OrganisationKind.CHAMBER_BRANCH,
    Role.TRAINER: OrganisationKind.CHAMBER_BRANCH,
    Role.COMMISSION: OrganisationKind.COMMISSION,
    Role.FINANCE: OrganisationKind.FINANCIAL_INSTITUTION,
    Role.ANALYST: OrganisationKind.ADMINISTRATION,
    Role.ADMIN: OrganisationKind.ADMINISTRATION,
}
PASSWORD = "test-pass-2026"


class RegionFactory(DjangoModelFactory):
    class Meta:
        model = Region

    kato_code = factory.LazyFunction(lambda: str(next(_kato)))
    name_kk = factory.Sequence(lambda n: f"Облыс {n}")
    name_ru = factory.Sequence(lambda n: f"Область {n}")
    name_en = factory.Sequence(lambda n: f"Region {n}")


class DistrictFactory(DjangoModelFactory):
    class Meta:
        model = District

    kato_code = factory.LazyFunction(lambda: str(next(_kato)))
    region = factory.SubFactory(RegionFactory)
    level = District.Level.DISTRICT
    name_kk = factory.Sequence(lambda n: f"Аудан {n}")
    name_ru = factory.Sequence(lambda n: f"Район {n}")
    name_en = factory.Sequence(lambda n: f"District {n}")


class OrganisationFactory(DjangoModelFactory):
    class Meta:
        model = Organisation

    kind = OrganisationKind.EMPLOYMENT_CENTRE
    district = factory.SubFactory(DistrictFactory)
    region = factory.LazyAttribute(lambda o: o.district.region if o.district else None)
    name_kk = factory.Sequence(lambda n: f"Ұйым {n}")
    name_ru = factory.Sequence(lambda n: f"Организация {n}")
    name_en = factory.Sequence(lambda n: f"Organisation {n}")


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = "Айгерім"
    last_name = factory.Sequence(lambda n: f"Сапарова{n}")
    email = factory.Sequence(lambda n: f"user{n}@example.kz")
    role = Role.CITIZEN
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):
        if create:
            obj.save()


def make_staff(role: str = Role.EMPLOYMENT_CENTRE, *, district=None, region=None, national=False, **kwargs) -> User:
    """A staff user of `role` whose organisation sits in the district, the region, or nationally."""
    kind = ROLE_KIND[role]
    if national:
        org = OrganisationFactory(kind=kind, district=None, region=None)
    elif region is not None and district is None:
        org = OrganisationFactory(kind=kind, district=None, region=region)
    else:
        org = OrganisationFactory(kind=kind, district=district or DistrictFactory())
    return UserFactory(role=role, organisation=org, **kwargs)


class ProgrammeYearFactory(DjangoModelFactory):
    class Meta:
        model = ProgrammeYear
        django_get_or_create = ("year",)

    year = 2026


class StreamFactory(DjangoModelFactory):
    class Meta:
        model = Stream

    year = factory.SubFactory(ProgrammeYearFactory)
    number = factory.Sequence(lambda n: n % 6 + 1)
    application_opens = datetime.date(2026, 11, 1)
    application_closes = datetime.date(2026, 11, 30)
    course_start = datetime.date(2026, 12, 7)


def make_other_stream(**kwargs):
    """A second stream whose application window does not overlap StreamFactory's (October 2026), so an
    application submitted in it goes to it."""
    defaults = {
        "application_opens": datetime.date(2026, 10, 1),
        "application_closes": datetime.date(2026, 10, 20),
        "course_start": datetime.date(2026, 11, 2),
    }
    return StreamFactory(**{**defaults, **kwargs})


# --- Applications -------------------------------------------------------------------------------

_serial = itertools.count(1)


def make_iin(birth_date=datetime.date(1990, 5, 17), sex="M") -> str:
    """A fresh valid IIN for the date and sex: a new serial each call, never one seen before."""
    from applications.iin import check_digit

    century_digit = {1800: 1, 1900: 3, 2000: 5}[birth_date.year // 100 * 100] + (sex == "F")
    while True:
        body = f"{birth_date:%y%m%d}{century_digit}{next(_serial) % 10000:04d}"
        if (digit := check_digit(body)) is not None:
            return body + str(digit)


def make_applicant(**overrides):
    """A services.Applicant that passes every rule, in a new district unless one is given."""
    from applications.services import Applicant

    birth_date = overrides.pop("birth_date", datetime.date(1990, 5, 17))
    sex = overrides.pop("sex", "M")
    values = {
        "iin": make_iin(birth_date, sex),
        "last_name": "Серікбаев",
        "first_name": "Нұрлан",
        "patronymic": "Асқарұлы",
        "birth_date": birth_date,
        "sex": sex,
        "phone": f"+7701{next(_serial):07d}",
        "email": "",
        "district": overrides.pop("district", None) or DistrictFactory(),
        "employment_status": "unemployed",
        "education": "secondary",
        "business_idea": "Қой шаруашылығы: 20 бас қой, ет пен жүн сату.",
        "sector": "agriculture",
        "is_citizen_confirmed": True,
        "consent_given": True,
    }
    values.update(overrides)
    return Applicant(**values)


def make_application(*, actor=None, status=None, language="en", now=None, **overrides):
    """An application submitted through the service (online unless a staff actor is given), at `now`
    when given; `status` moves it on through the services as the real pages would."""
    from applications import services
    from applications.models import Status

    applicant = make_applicant(**overrides)
    if actor is None:
        application = services.application_submit(
            applicant=applicant, actor=None, password=PASSWORD, language=language, now=now
        )
    else:
        application = services.application_submit(applicant=applicant, actor=actor, language=language, now=now)
    if status in (Status.ELIGIBLE, Status.INELIGIBLE, Status.WITHDRAWN):
        centre = make_staff(Role.EMPLOYMENT_CENTRE, district=application.district)
        if status == Status.WITHDRAWN:
            services.application_withdraw(application_id=application.pk, actor=centre)
        else:
            services.application_decide(
                application_id=application.pk,
                actor=centre,
                eligible=status == Status.ELIGIBLE,
                reason="" if status == Status.ELIGIBLE else "not_target_group",
            )
        application.refresh_from_db()
    return application


# --- Aptitude test and training ----------------------------------------------------------------


def make_question(kind="single", correct=(0,), answers=4, category=None):
    """A question with `answers` choices, those at the `correct` positions right."""
    from aptitude.models import Choice, Question

    n = next(_serial)
    question = Question.objects.create(
        kind=kind, category=category, text_kk=f"Сұрақ {n}", text_ru=f"Вопрос {n}", text_en=f"Question {n}"
    )
    for i in range(answers):
        Choice.objects.create(
            question=question,
            text_kk=f"Жауап {i}",
            text_ru=f"Ответ {i}",
            text_en=f"Answer {i}",
            is_correct=i in correct,
            position=i,
        )
    return question


def make_bank(count=20, **kwargs):
    return [make_question(**kwargs) for _ in range(count)]


def _office(role, district):
    """The district's office of that role, made once and reused, as one real office would be."""
    from accounts.models import User

    return User.objects.filter(role=role, organisation__district=district).first() or make_staff(
        role, district=district
    )


def make_accepted(district, stream, count=1):
    """Applications the Chamber accepted, walked along the real path: submitted online in the stream's
    window, found eligible by the district's employment centre, put on a list, sent, accepted."""
    from applications import services
    from applications.models import Application

    window = datetime.datetime.combine(stream.application_opens, datetime.time(12), tzinfo=datetime.UTC)
    apps = [make_application(district=district, now=window) for _ in range(count)]
    for application in apps:
        if application.stream_id != stream.pk:
            raise AssertionError(
                f"{application.number} went to stream {application.stream}, not {stream}: give the other "
                "streams of the test application windows of their own"
            )
    centre, chamber = _office(Role.EMPLOYMENT_CENTRE, district), _office(Role.CHAMBER, district)
    for application in apps:
        services.application_decide(application_id=application.pk, actor=centre, eligible=True)
    applicant_list = services.applicant_list_create(actor=centre, stream=stream)
    services.applicant_list_send(list_id=applicant_list.pk, actor=centre)
    services.applicant_list_accept(list_id=applicant_list.pk, actor=chamber)
    return list(Application.objects.filter(pk__in=[a.pk for a in apps]).order_by("pk"))


def make_participants(district, stream, count=1):
    """Applicants who passed the aptitude test: accepted, invited to a paper session by the Chamber
    branch, and scored 100 % by it."""
    from decimal import Decimal

    from applications.models import Application
    from aptitude import services as aptitude_services
    from aptitude.models import Question, TestSession

    apps = make_accepted(district, stream, count)
    if Question.objects.filter(is_active=True).count() < 5:
        make_bank(5)
    chamber = _office(Role.CHAMBER, district)
    now = datetime.datetime.now(tz=datetime.UTC)
    session = aptitude_services.session_schedule(
        actor=chamber,
        stream=stream,
        mode=TestSession.Mode.PAPER,
        starts_at=now - datetime.timedelta(hours=1),
        closes_at=now + datetime.timedelta(hours=1),
        place="Akimat hall",
        questions_count=5,
    )
    scores = {attempt.pk: Decimal(100) for attempt in session.attempts.filter(application__in=apps)}
    aptitude_services.paper_results_record(session_id=session.pk, actor=chamber, scores=scores)
    return list(Application.objects.filter(pk__in=[a.pk for a in apps]).order_by("pk"))


def make_modules(count=12):
    from training.models import Module

    return [
        Module.objects.get_or_create(
            number=n, defaults={"title_kk": f"Модуль {n}", "title_ru": f"Модуль {n}", "title_en": f"Module {n}"}
        )[0]
        for n in range(1, count + 1)
    ]


def make_finished(district, stream, count=1, *, trainer=None, group_name="Group F", missed=0):
    """Participants who finished the course, walked along the real path: passed the test, placed by the
    Chamber in a group built from the stream's schedule, marked present by its trainer on the first day
    (the first `missed` of them absent, excused, on the days after it, within the limit), and finished
    by the daily job the day after the last teaching day. The clock is moved there and back.
    Returns (applications, group)."""
    import time_machine

    from applications.models import Application
    from training import services as training_services
    from training.models import ExcuseReason, MarkKind

    if not _modules_exist():
        make_modules()
    apps = make_participants(district, stream, count)
    chamber = _office(Role.CHAMBER, district)
    trainer = trainer or _office(Role.TRAINER, district)
    group = training_services.group_create(
        actor=chamber,
        stream=stream,
        name=group_name,
        place="Akimat hall",
        course_start=stream.course_start,
        capacity=max(30, count),
        trainers=[trainer],
    )
    for application in apps:
        training_services.member_move(actor=chamber, application_id=application.pk, group_id=group.pk)
    days = list(group.days.order_by("date"))
    after = datetime.datetime.combine(days[-1].date + datetime.timedelta(days=1), datetime.time(4), tzinfo=datetime.UTC)
    with time_machine.travel(after, tick=False):
        members = list(group.memberships.current().order_by("application_id"))
        for n, member in enumerate(members):
            training_services.attendance_mark(
                actor=trainer, group_id=group.pk, membership_id=member.pk, day_id=days[0].pk, kind=MarkKind.PRESENT
            )
            for day in days[1 : 1 + (missed if n == 0 else 0)]:
                training_services.attendance_mark(
                    actor=trainer,
                    group_id=group.pk,
                    membership_id=member.pk,
                    day_id=day.pk,
                    kind=MarkKind.EXCUSED,
                    reason_code=ExcuseReason.values[0],
                    reason_text="Illness",
                )
        training_services.courses_finish(today=after.date())
    return list(Application.objects.filter(pk__in=[a.pk for a in apps]).order_by("pk")), group


def _modules_exist() -> bool:
    from training.models import Module

    return Module.objects.count() >= 12


# --- Commissions and certificates ----------------------------------------------------------------


def make_defended(district, stream, count=1, *, defended=True, **finished):
    """Participants whose defence outcome was confirmed: finished the course (make_finished), then
    moved to *defended* (or *not defended*) by a commission member of the district through the path.
    Until the commissions stage's services land, the move is fired directly on the locked
    application; the lead switches this to the commission's services at merge. Returns (applications, group)."""
    from django.db import transaction

    from applications import pathway
    from applications.models import Application

    apps, group = make_finished(district, stream, count, **finished)
    member = _office(Role.COMMISSION, district)
    move = "commissions.defended" if defended else "commissions.not_defended"
    for application in apps:
        with transaction.atomic():
            locked = Application.objects.select_for_update().get(pk=application.pk)
            pathway.fire(locked, move, actor=member, reason="")
    return list(Application.objects.filter(pk__in=[a.pk for a in apps]).order_by("pk")), group
