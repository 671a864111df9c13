"""Factories for tests: every object with sensible defaults, overridable by keyword."""

import datetime
import itertools

import factory
from django.utils import timezone
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


def _placed(district, stream, count, *, trainer, group_name):
    """Participants who passed the test, placed by the district's Chamber in a new group that starts on
    the stream's course start, taught by `trainer` (the district's trainer unless given).
    Returns (applications, group, trainer)."""
    from training import services as training_services

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
    # A test whose clock is already past the course (a later batch of graduates) places them as the
    # Chamber did then, on the course's first day: the portal refuses a group whose course has ended.
    last_day = group.days.order_by("-date").first().date
    on = group.course_start if timezone.localdate() > last_day else None
    for application in apps:
        training_services.member_move(actor=chamber, application_id=application.pk, group_id=group.pk, today=on)
    return apps, group, trainer


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

    apps, group, trainer = _placed(district, stream, count, trainer=trainer, group_name=group_name)
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


# --- API -------------------------------------------------------------------------------------------


def make_api_token(user, name="Intake system", **kwargs) -> str:
    """A token for the user, made as the admin makes one; returns its key (the only time it is seen)."""
    from api.models import ApiToken

    _token, key = ApiToken.issue(user=user, name=name, **kwargs)
    return key


# --- Certificates and financing ------------------------------------------------------------------


def make_certified(district, stream, count=1, **finished):
    """Holders of a certificate of completion, walked along the real path: defended before the district's
    commission (make_defended), then issued their certificates by the district's Chamber branch one by
    one (the PDF is rendered after commit, by the worker). Returns (applications, group)."""
    from applications.models import Application
    from certificates import services as certificate_services

    apps, group = make_defended(district, stream, count, **finished)
    chamber = _office(Role.CHAMBER, district)
    for application in apps:
        certificate_services.certificate_issue(actor=chamber, application_id=application.pk)
    return list(Application.objects.filter(pk__in=[a.pk for a in apps]).order_by("pk")), group


def make_loan_programme(lender=None, **overrides):
    """A loan programme on the Bastau terms (8,000 MCI, 6 %, 60 months, 6 months' grace) of a lender
    (a financial institution in a new region unless given)."""
    from decimal import Decimal

    from financing.models import LoanProgramme

    n = next(_serial)
    lender = lender or OrganisationFactory(
        kind=OrganisationKind.FINANCIAL_INSTITUTION, district=None, region=RegionFactory()
    )
    values = {
        "code": f"programme-{n}",
        "lender": lender,
        "name_kk": f"Бағдарлама {n}",
        "name_ru": f"Программа {n}",
        "name_en": f"Programme {n}",
        "cap_mci": 8000,
        "rate": Decimal("6.00"),
        "max_term_months": 60,
        "grace_months": 6,
    }
    values.update(overrides)
    return LoanProgramme.objects.create(**values)


def make_officer(lender):
    """An officer of the financial institution."""
    return UserFactory(role=Role.FINANCE, organisation=lender)


# --- Business plans ------------------------------------------------------------------------------

PLAN_SECTIONS_KK = {
    "summary": "Қой шаруашылығы: 20 бас қой, ет пен жүн сату. Ауылда сүт өнімдерін өндіру.",
    "product": "Қой еті, жүн және құрт.",
    "market": "Аудан орталығындағы базар, екі бәсекелес шаруа қожалығы.",
    "marketing": "Базарда сату, әлеуметтік желілер.",
    "operations": "Қора мен жайылым, күнделікті күтім.",
    "staff": "Өзім және отбасы мүшелері.",
    "finance": "Бастапқы шығындар мен ай сайынғы табыс төмендегі кестеде.",
    "risks": "Құрғақшылық, мал ауруы; сақтандыру мен ветеринар.",
}
PLAN_FINANCE = {
    "startup": [{"item": "20 бас қой", "amount": "2 000 000"}, {"item": "Қора жөндеу", "amount": "500000"}],
    "monthly_revenue": "400000",
    "monthly_costs": "150000",
    "own_funds": "300000",
}


def make_draft_plan(application, *, sections=None, finance=None):
    """A draft written by the applicant's own user through the service (the application must be in training
    or have finished the course: make_finished, or a group under way)."""
    from plans import services

    return services.plan_save_draft(
        actor=application.applicant,
        application=application,
        sections=PLAN_SECTIONS_KK if sections is None else sections,
        finance=PLAN_FINANCE if finance is None else finance,
    )


def make_frozen_plan(application, *, sections=None, finance=None):
    """The applicant's plan walked through the real services as their own user: draft, submitted as
    version 1, marked ready for defence. Returns the frozen PlanVersion."""
    from plans import services

    make_draft_plan(application, sections=sections, finance=finance)
    version = services.plan_submit(actor=application.applicant, application=application)
    return services.plan_freeze(actor=application.applicant, version=version)


# --- Commissions -------------------------------------------------------------------------------

COMMISSION_TERM = (datetime.date(2025, 1, 1), datetime.date(2028, 12, 31))


def make_commission(district=None, members=3, *, region=None, serves=(), term=COMMISSION_TERM):
    """A district commission (or, with `region`, a regional one serving the districts `serves`) with
    `members` seats in term: a chair, a secretary, then members. The users have the commission role
    and work for its organisation. `commission.chair`, `.secretary` and `.seats` name them."""
    from commissions.models import Commission, CommissionMember, MemberRole

    if region is not None:
        org = OrganisationFactory(kind=OrganisationKind.COMMISSION, district=None, region=region)
    else:
        org = OrganisationFactory(kind=OrganisationKind.COMMISSION, district=district or DistrictFactory())
    commission = Commission.objects.create(organisation=org)
    if serves:
        commission.districts.set(serves)
    roles = [MemberRole.CHAIR, MemberRole.SECRETARY] + [MemberRole.MEMBER] * max(0, members - 2)
    seats = [
        CommissionMember.objects.create(
            commission=commission,
            user=UserFactory(role=Role.COMMISSION, organisation=org),
            role=role,
            term_from=term[0],
            term_to=term[1],
        )
        for role in roles[:members]
    ]
    commission.seats = seats
    commission.chair = next((s.user for s in seats if s.role == MemberRole.CHAIR), None)
    commission.secretary = next((s.user for s in seats if s.role == MemberRole.SECRETARY), None)
    return commission


def _commission_of(district):
    from commissions.models import Commission, MemberRole

    commission = Commission.objects.filter(district=district).first()
    if commission is None:
        return make_commission(district)
    seats = list(commission.members.select_related("user"))
    commission.seats = seats
    commission.chair = next(s.user for s in seats if s.role == MemberRole.CHAIR)
    commission.secretary = next(s.user for s in seats if s.role == MemberRole.SECRETARY)
    return commission


def score_all(session, seats, points=None):
    """Every seat scores every defence of the session present, `points` on each criterion (the maximum
    when None)."""
    from commissions import services
    from commissions.models import Criterion

    criteria = list(Criterion.objects.filter(commission=session.commission, is_active=True))
    for defence in session.defences.filter(absent=False).order_by("pk"):
        for seat in seats:
            services.defence_score(
                actor=seat.user,
                session_id=session.pk,
                defence_id=defence.pk,
                points={c.pk: c.max_score if points is None else points for c in criteria},
                comment="",
            )


def make_defended_via_commission(district, stream, count=1, defended=True, *, group_name="Group D", **finished):
    """Participants walked to the commission's outcome along the real path: they finish the course
    (make_finished), freeze their plans, the district's commission schedules a session the day after the
    last teaching day, every member scores every defence (full marks, or none), and the chair confirms.
    The clock is moved to the session's day and back. Returns (applications, session)."""
    import time_machine

    from applications.models import Application
    from commissions import services

    apps, group = make_finished(district, stream, count, group_name=group_name, **finished)
    for application in apps:
        make_frozen_plan(application)
    commission = _commission_of(district)
    last = group.days.order_by("-date").first().date
    held_on = last + datetime.timedelta(days=1)
    at = datetime.datetime.combine(held_on, datetime.time(6), tzinfo=datetime.UTC)
    with time_machine.travel(at, tick=False):
        session = services.session_schedule(
            actor=commission.secretary,
            group_id=group.pk,
            held_on=held_on,
            place="Akimat hall",
            present_ids=[s.pk for s in commission.seats],
        )
        score_all(session, commission.seats, None if defended else 0)
        services.session_confirm(actor=commission.chair, session_id=session.pk)
    session.refresh_from_db()
    return list(Application.objects.filter(pk__in=[a.pk for a in apps]).order_by("pk")), session


def make_in_training(district, stream, count=1, *, trainer=None, group_name="Group T"):
    """Participants in training, walked along the real path: passed the test, placed by the Chamber in a
    group whose course started on the stream's start, and marked present by its trainer on the first day
    (which starts the course for them). The clock is moved to that day and back. Returns (applications, group)."""
    import time_machine

    from applications.models import Application
    from training import services as training_services
    from training.models import MarkKind

    apps, group, trainer = _placed(district, stream, count, trainer=trainer, group_name=group_name)
    first = group.days.order_by("date").first()
    with time_machine.travel(datetime.datetime.combine(first.date, datetime.time(6), tzinfo=datetime.UTC), tick=False):
        for member in group.memberships.current():
            training_services.attendance_mark(
                actor=trainer, group_id=group.pk, membership_id=member.pk, day_id=first.pk, kind=MarkKind.PRESENT
            )
    return list(Application.objects.filter(pk__in=[a.pk for a in apps]).order_by("pk")), group


def make_defended(district, stream, count=1, *, defended=True, **finished):
    """Participants whose defence outcome the chair confirmed (make_defended_via_commission: finished the
    course, froze their plans, scored full marks or none by every member present). Returns
    (applications, group)."""
    apps, session = make_defended_via_commission(district, stream, count, defended, **finished)
    return apps, session.group
