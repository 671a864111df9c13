"""Demo data for a first look at the portal: one account per role, in a few districts.

Every function is idempotent: running `seed_demo` again finds what it made before.
"""

import datetime

from django.db import transaction
from django.utils import timezone

from accounts.models import Organisation, OrganisationKind, Role, User
from geography.models import District
from programme.models import ProgrammeYear, Stream

DEMO_PASSWORD = "bastau-demo-2026"

# Akmola region: Tselinograd district (rural) is the main demo district, Zerendi the neighbour
# whose data the first district's staff must never see.
MAIN_DISTRICT_KATO = "116600000"
OTHER_DISTRICT_KATO = "115600000"

# Streams 1–6 of a programme year that starts in April (DOMAIN.md): (year offset, month) of the window's
# first month; each window runs two months, so some stream takes applications on every day of the
# year and the demo works whatever the date. The course starts two weeks after the window closes.
STREAM_WINDOWS = [(0, 4), (0, 6), (0, 8), (0, 10), (0, 12), (1, 2)]


def _org(kind, name_kk, name_ru, name_en, district=None, region=None) -> Organisation:
    org, _ = Organisation.objects.get_or_create(
        kind=kind,
        name_ru=name_ru,
        defaults={"name_kk": name_kk, "name_en": name_en, "district": district, "region": region},
    )
    return org


def _user(username, role, organisation, first, last, **extra) -> User:
    user, created = User.objects.get_or_create(
        username=username,
        defaults={"role": role, "organisation": organisation, "first_name": first, "last_name": last, **extra},
    )
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save(update_fields=["password"])
    return user


def _window(first_year: int, offset: int, month: int) -> tuple[datetime.date, datetime.date, datetime.date]:
    opens = datetime.date(first_year + offset, month, 1)
    after = datetime.date(opens.year + (month + 1) // 12, (month + 1) % 12 + 1, 1)  # two months on
    closes = after - datetime.timedelta(days=1)
    return opens, closes, closes + datetime.timedelta(days=14)


def seed_programme(today: datetime.date) -> ProgrammeYear:
    """The programme year running today (April to March) with its six streams."""
    first_year = today.year if today.month >= 4 else today.year - 1
    year, _ = ProgrammeYear.objects.get_or_create(year=first_year)
    for number, (offset, month) in enumerate(STREAM_WINDOWS, start=1):
        opens, closes, start = _window(first_year, offset, month)
        Stream.objects.get_or_create(
            year=year,
            number=number,
            defaults={"application_opens": opens, "application_closes": closes, "course_start": start},
        )
    return year


def seed_people() -> dict[str, User]:
    main = District.objects.select_related("region").get(kato_code=MAIN_DISTRICT_KATO)
    other = District.objects.select_related("region").get(kato_code=OTHER_DISTRICT_KATO)
    K = OrganisationKind
    admin_org = _org(
        K.ADMINISTRATION,
        "Бастау бағдарламасының әкімшілігі",
        "Администрация программы «Бастау»",
        "Bastau programme administration",
    )
    centre = _org(
        K.EMPLOYMENT_CENTRE,
        "Целиноград ауданының жұмыспен қамту орталығы",
        "Центр занятости Целиноградского района",
        "Tselinograd District Employment Centre",
        district=main,
    )
    centre_other = _org(
        K.EMPLOYMENT_CENTRE,
        "Зеренді ауданының жұмыспен қамту орталығы",
        "Центр занятости Зерендинского района",
        "Zerendi District Employment Centre",
        district=other,
    )
    akimat = _org(
        K.AKIMAT,
        "Қосшы ауылдық округінің әкімдігі",
        "Акимат сельского округа Косшы",
        "Kosshy Rural District Akimat",
        district=main,
    )
    chamber = _org(
        K.CHAMBER_BRANCH,
        "Ақмола облысы кәсіпкерлер палатасының Целиноград филиалы",
        "Целиноградский филиал Палаты предпринимателей Акмолинской области",
        "Tselinograd branch of the Akmola Chamber of Entrepreneurs",
        district=main,
    )
    commission = _org(
        K.COMMISSION,
        "Целиноград аудандық комиссиясы",
        "Целиноградская районная комиссия",
        "Tselinograd District Commission",
        district=main,
    )
    lender = _org(
        K.FINANCIAL_INSTITUTION,
        "«Ауыл шаруашылығын қаржылай қолдау қоры» АҚ Ақмола филиалы",
        "Акмолинский филиал АО «Фонд финансовой поддержки сельского хозяйства»",
        "Akmola branch of the Agricultural Financial Support Fund",
        region=main.region,
    )
    admin = _user("admin", Role.ADMIN, admin_org, "Әсел", "Жұмабаева", is_staff=True, is_superuser=True)
    return {
        "admin": admin,
        "analyst": _user("analyst", Role.ANALYST, admin_org, "Ерлан", "Сәрсенов"),
        "centre": _user("centre", Role.EMPLOYMENT_CENTRE, centre, "Гүлнар", "Ахметова", language="kk"),
        "centre_zerendi": _user(
            "centre_zerendi", Role.EMPLOYMENT_CENTRE, centre_other, "Мария", "Иванова", language="ru"
        ),
        "akimat": _user("akimat", Role.AKIMAT, akimat, "Бауыржан", "Қасымов"),
        "chamber": _user("chamber", Role.CHAMBER, chamber, "Дана", "Омарова"),
        "trainer": _user("trainer", Role.TRAINER, chamber, "Нұрлан", "Тоқтаров"),
        "commission": _user("commission", Role.COMMISSION, commission, "Айгүл", "Сейітова"),
        "finance": _user("finance", Role.FINANCE, lender, "Серік", "Әбенов"),
        "citizen": _user(
            "citizen", Role.CITIZEN, None, "Айдар", "Нұрланов", phone="+77010000001", email="citizen@example.kz"
        ),
        "participant": _user(
            "participant", Role.CITIZEN, None, "Әсем", "Қайратова", phone="+77010000002", email="participant@example.kz"
        ),
    }


# (surname, name, patronymic, sex, birth year, employment, sector, idea)
DEMO_APPLICANTS = [
    ("Жұмабеков", "Ерлан", "Серікұлы", "M", 1988, "unemployed", "agriculture", "Ірі қара мал бордақылау алаңы."),
    ("Сәрсенова", "Айгүл", "Болатқызы", "F", 1992, "self_employed", "services", "Тігін шеберханасы."),
    ("Ким", "Виктория", "Олеговна", "F", 1985, "unemployed", "trade", "Продуктовый магазин у дома."),
    ("Оспанов", "Дәурен", "Маратұлы", "M", 1995, "unemployed", "transport", "Жүк тасымалы, екі «Газель»."),
    ("Ахметова", "Гүлназ", "Ерланқызы", "F", 1990, "self_employed", "education", "Балалар дамыту орталығы."),
    ("Петров", "Игорь", "Сергеевич", "M", 1979, "unemployed", "construction", "Бригада по ремонту квартир."),
    ("Нұрланова", "Мөлдір", "Асқарқызы", "F", 1998, "unemployed", "it", "Онлайн-дүкендерге сайт жасау."),
    ("Бекова", "Сәуле", "Қайратқызы", "F", 1983, "self_employed", "manufacturing", "Қымыз бен шұбат өндірісі."),
    ("Тоқтаров", "Арман", "Бауыржанұлы", "M", 1987, "unemployed", "agriculture", "Жылыжай: қияр мен қызанақ."),
    ("Иванова", "Ольга", "Петровна", "F", 1975, "unemployed", "services", "Парикмахерская."),
    ("Әбілов", "Бақыт", "Нұрланұлы", "M", 1993, "employed", "trade", "Құрылыс материалдары дүкені."),
    ("Серікбаева", "Динара", "Маратқызы", "F", 1996, "unemployed", "tourism", "Ауылдық қонақ үй."),
]


def _applicant(index, row, district, phone_prefix):
    from applications.iin import make_iin
    from applications.services import Applicant

    last, first, patronymic, sex, year, employment, sector, idea = row
    birth = datetime.date(year, 1 + index % 12, 1 + (index * 7) % 27)
    return Applicant(
        iin=make_iin(birth, sex, 900 + index),
        last_name=last,
        first_name=first,
        patronymic=patronymic,
        birth_date=birth,
        sex=sex,
        phone=f"{phone_prefix}{index:04d}",
        email="",
        district=district,
        employment_status=employment,
        education="secondary",
        business_idea=idea,
        sector=sector,
        is_citizen_confirmed=True,
        consent_given=True,
    )


def seed_applications(people: dict[str, User]) -> int:
    """Applications in every state and from every channel, in both demo districts."""
    from applications import services
    from applications.models import Application

    centre, chamber = people["centre"], people["chamber"]
    district = centre.organisation.district
    if Application.objects.filter(district=district).exists():
        return 0
    channels = [None, centre, people["akimat"], chamber]  # online, employment centre, akimat, Chamber
    created = []
    for index, row in enumerate(DEMO_APPLICANTS):
        actor = channels[index % 4]
        applicant = _applicant(index, row, district, "+7701200")
        created.append(services.application_submit(applicant=applicant, actor=actor, password=DEMO_PASSWORD))
    # The demo citizen's own application, online.
    citizen = people["citizen"]
    mine = _applicant(
        99,
        (
            "Нұрланов",
            "Айдар",
            "Ерланұлы",
            "M",
            1991,
            "unemployed",
            "agriculture",
            "Үй құстарын өсіру: 500 тауық, жұмыртқа сату.",
        ),
        district,
        "+7701300",
    )
    mine.phone = str(citizen.phone)
    created.append(services.application_submit(applicant=mine, actor=citizen, account=citizen))
    # Move some on: eligible → listed → accepted, and one refused, one withdrawn.
    for application in [*created[:7], created[-1]]:  # the demo citizen too: they are invited to a test
        services.application_decide(application_id=application.pk, actor=centre, eligible=True)
    services.application_decide(application_id=created[7].pk, actor=centre, eligible=False, reason="not_target_group")
    services.application_withdraw(application_id=created[8].pk, actor=centre, reason="Көшіп кетті.")
    stream = created[0].stream
    if stream is not None:
        # A first list with the first two applicants and the demo citizen, sent and accepted; a second
        # list with the next two, sent and waiting for the Chamber; the rest stay eligible, on no list.
        first = services.applicant_list_create(actor=centre, stream=stream)
        for application in created[2:7]:
            services.applicant_list_remove(list_id=first.pk, application_id=application.pk, actor=centre)
        services.applicant_list_send(list_id=first.pk, actor=centre)
        services.applicant_list_accept(list_id=first.pk, actor=chamber)
        second = services.applicant_list_create(actor=centre, stream=stream)
        for application in created[4:7]:
            services.applicant_list_remove(list_id=second.pk, application_id=application.pk, actor=centre)
        services.applicant_list_send(list_id=second.pk, actor=centre)
    # The neighbouring district, to show that its staff see only their own.
    other = people["centre_zerendi"]
    for index, row in enumerate(DEMO_APPLICANTS[:3]):
        applicant = _applicant(50 + index, row, other.organisation.district, "+7701400")
        services.application_submit(applicant=applicant, actor=other)
    return Application.objects.count()


def seed_question_editor(chamber_org) -> User:
    """A Chamber administrator who edits the question bank in the admin (and nobody else can)."""
    from django.contrib.auth.models import Group, Permission

    editors, _ = Group.objects.get_or_create(name="Question bank editors")
    editors.permissions.set(
        Permission.objects.filter(
            content_type__app_label="aptitude", content_type__model__in=["question", "choice", "category"]
        )
    )
    editor = _user("bank_editor", Role.CHAMBER, chamber_org, "Жанар", "Есенова", is_staff=True)
    editor.groups.add(editors)
    return editor


def _passed_on_paper(applications, *, centre, chamber, stream, days_ago: int, score) -> None:
    """Walk applications along the real path to "passed": found eligible by the employment centre, put
    on a list of their own (others eligible wait for a later one), sent, accepted by the Chamber,
    and scored on a paper test `days_ago` days ago; `score(i)` is the i-th applicant's percent."""
    from decimal import Decimal

    from applications import services as application_services
    from aptitude import services as aptitude_services
    from aptitude.models import TestSession

    for application in applications:
        application_services.application_decide(application_id=application.pk, actor=centre, eligible=True)
    listed = application_services.applicant_list_create(actor=centre, stream=stream)
    for application in listed.applications.exclude(pk__in=[a.pk for a in applications]):
        application_services.applicant_list_remove(list_id=listed.pk, application_id=application.pk, actor=centre)
    application_services.applicant_list_send(list_id=listed.pk, actor=centre)
    application_services.applicant_list_accept(list_id=listed.pk, actor=chamber)
    held = timezone.now() - datetime.timedelta(days=days_ago)
    paper = aptitude_services.session_schedule(
        actor=chamber,
        stream=stream,
        mode=TestSession.Mode.PAPER,
        starts_at=held,
        closes_at=held + datetime.timedelta(hours=3),
        place="Қосшы, Абай көшесі 1, 2-қабат",
        questions_count=20,
    )
    attempts = paper.attempts.filter(application__in=applications)
    scores = {attempt.pk: Decimal(score(i)) for i, attempt in enumerate(attempts)}
    aptitude_services.paper_results_record(session_id=paper.pk, actor=chamber, scores=scores)


def seed_testing_and_groups(people: dict[str, User]) -> None:
    """A tested stream: an online test session with a result, two groups with a trainer and a schedule."""

    from applications import services as application_services
    from applications.iin import make_iin
    from applications.models import Application, Status
    from aptitude import services as aptitude_services
    from aptitude.models import Choice, TestSession
    from training import services as training_services

    chamber, trainer = people["chamber"], people["trainer"]
    district = chamber.organisation.district
    accepted = Application.objects.filter(district=district, status=Status.ACCEPTED).select_related("stream")
    if TestSession.objects.filter(district=district).exists() or not accepted.exists():
        return
    stream = accepted.first().stream
    now = timezone.now()
    session = aptitude_services.session_schedule(
        actor=chamber,
        stream=stream,
        mode=TestSession.Mode.ONLINE,
        starts_at=now - datetime.timedelta(hours=1),
        closes_at=now + datetime.timedelta(days=7),
        place="Қосшы, Абай көшесі 1 / онлайн",
        questions_count=20,
    )
    # One invited applicant with an account has taken the test and answered everything right.
    taken = (
        session.attempts.filter(application__applicant__isnull=False)
        .exclude(application__applicant=people["citizen"])  # the demo citizen's test is left for you to take
        .select_related("application")
        .first()
    )
    if taken is not None:
        citizen = taken.application.applicant
        aptitude_services.attempt_start(attempt_id=taken.pk, user=citizen)
        for question_id in taken.question_ids:
            right = list(Choice.objects.filter(question_id=question_id, is_correct=True).values_list("pk", flat=True))
            aptitude_services.attempt_answer(
                attempt_id=taken.pk, user=citizen, question_id=question_id, choice_ids=right
            )
        aptitude_services.attempt_submit(attempt_id=taken.pk, user=citizen)
    # Participants who passed an earlier paper test, so the groups have people in them: six walk-ins and
    # the demo participant, who applied online. They walk the whole path through the services.
    centre = people["centre"]
    participant = people["participant"]
    walk_ins = [
        application_services.application_submit(applicant=_applicant(index, row, district, "+7701500"), actor=chamber)
        for index, row in enumerate(DEMO_APPLICANTS[:6], start=200)
    ]
    own = _applicant(300, DEMO_APPLICANTS[1], district, "+7701600")
    own.last_name, own.first_name, own.patronymic, own.phone = "Қайратова", "Әсем", "Болатқызы", str(participant.phone)
    own.sex = "F"
    own.iin = make_iin(own.birth_date, "F", 300)
    walk_ins.append(application_services.application_submit(applicant=own, actor=participant, account=participant))
    _passed_on_paper(walk_ins, centre=centre, chamber=chamber, stream=stream, days_ago=2, score=lambda i: 70 + 4 * i)
    for name in ("Бастау-1", "Бастау-2"):
        training_services.group_create(
            actor=chamber,
            stream=stream,
            name=name,
            capacity=4,
            place="Қосшы, Абай көшесі 1, 2-қабат",
            course_start=stream.course_start,
            trainers=[trainer],
        )
    training_services.participants_place(actor=chamber, stream=stream)
    seed_course_under_way(people, stream)


def seed_course_under_way(people: dict[str, User], stream) -> None:
    """A group three weeks into its course, marked day by day by its trainer through the services: one
    participant at the absence limit (warned) and one above it (an expulsion case for the commission).
    The stream's own groups start in the future, so this one starts earlier, on its own date."""

    from training import services as training_services
    from training.models import ExcuseReason, MarkKind

    chamber, trainer, centre = people["chamber"], people["trainer"], people["centre"]
    district = chamber.organisation.district
    today = timezone.localdate()
    applications = [
        _mid_course_application(index, row, district, chamber)
        for index, row in enumerate(DEMO_APPLICANTS[:4], start=400)
    ]
    _passed_on_paper(applications, centre=centre, chamber=chamber, stream=stream, days_ago=30, score=lambda i: 80)
    group = training_services.group_create(
        actor=chamber,
        stream=stream,
        name="Бастау-0",
        capacity=4,
        place="Қосшы, Абай көшесі 1, 3-қабат",
        course_start=today - datetime.timedelta(days=21),
        trainers=[trainer],
    )
    for application in applications:
        training_services.member_move(actor=chamber, application_id=application.pk, group_id=group.pk)
    members = list(group.memberships.current().order_by("application_id"))
    past = list(group.days.filter(date__lt=today).order_by("date"))
    absent = {members[0].pk: 3, members[1].pk: 4}  # at the limit (warned); above it (a case is open)
    for member in members:
        for number, day in enumerate(past[: absent.get(member.pk, 0)]):
            excused = number % 2 == 1
            training_services.attendance_mark(
                actor=trainer,
                group_id=group.pk,
                membership_id=member.pk,
                day_id=day.pk,
                kind=MarkKind.EXCUSED if excused else MarkKind.UNEXCUSED,
                reason_code=ExcuseReason.ILLNESS if excused else "",
                reason_text="Анықтама бар" if excused else "",
            )
    for day in past:
        training_services.attendance_mark_day_present(actor=trainer, group_id=group.pk, day_id=day.pk)
        training_services.module_mark_delivered(actor=trainer, group_id=group.pk, day_id=day.pk)
    # The participant at the limit brought a medical note for their excused day: a photo of it.
    training_services.absence_document_attach(
        actor=trainer, group_id=group.pk, membership_id=members[0].pk, day_id=past[1].pk, upload=_note_photo()
    )


def _note_photo():
    """A small PNG standing in for the photo of a medical note (a page with lines of text and a stamp)."""
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (300, 420), "white")
    draw = ImageDraw.Draw(image)
    for y in range(40, 300, 22):
        draw.line([(30, y), (270 - (y % 3) * 30, y)], fill=(90, 90, 110), width=3)
    draw.ellipse([(180, 320), (260, 400)], outline=(40, 60, 160), width=4)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return SimpleUploadedFile("анықтама.png", buffer.getvalue(), content_type="image/png")


def seed_financing(people: dict[str, User]) -> dict[str, User]:
    """The lenders' officers, and graduates walked along the path to a certificate of completion: a group
    whose course ended, marked present day by day by its trainer, finished by the daily job, defended before
    the district's commission (their plans frozen, scored, confirmed by the chair) and issued their
    certificates by the Chamber in one action. Then
    one referral in each state: requested, forwarded, approved, declined; and the demo graduate, who
    has not asked yet. Returns the new logins."""
    from decimal import Decimal

    from applications import services as application_services
    from applications.models import Status
    from certificates import services as certificate_services
    from financing import services as financing_services
    from financing.loader import lender, load_loan_programmes
    from financing.models import LoanProgramme, Referral

    load_loan_programmes()
    fund, acc = lender("fund"), lender("acc")
    if fund is None or acc is None:  # no geography loaded
        return {}
    logins = {
        "lender_fund": _user("lender_fund", Role.FINANCE, fund, "Талғат", "Мұхамедиев", language="ru"),
        "lender_acc": _user("lender_acc", Role.FINANCE, acc, "Жанна", "Бекмұратова"),
    }
    chamber = people["chamber"]
    district = chamber.organisation.district
    graduate_user = _user(
        "graduate", Role.CITIZEN, None, "Бақытжан", "Ермеков", phone="+77010000003", email="graduate@example.kz"
    )
    logins["graduate"] = graduate_user
    if Referral.objects.filter(district=district).exists() or graduate_user.applications.exists():
        return logins
    today = timezone.localdate()
    applications = [
        application_services.application_submit(
            applicant=_applicant(index, row, district, "+7701800"), actor=None, password=DEMO_PASSWORD
        )
        for index, row in enumerate(DEMO_APPLICANTS[4:8], start=500)
    ]
    own = _applicant(600, DEMO_APPLICANTS[8], district, "+7701900")
    own.last_name, own.first_name, own.patronymic, own.phone = (
        "Ермеков",
        "Бақытжан",
        "Серікұлы",
        str(graduate_user.phone),
    )
    applications.append(
        application_services.application_submit(applicant=own, actor=graduate_user, account=graduate_user)
    )
    stream = applications[0].stream
    if stream is None:
        return logins
    group = _finished_group(people, applications, stream, name="Бастау-Т", days_ago=60, floor=1)
    if group is None:
        return logins
    _defend_before_the_commission(people, group, {application.pk: True for application in applications})
    certificate_services.certificates_issue_for_group(actor=chamber, group_id=group.pk)
    kasipker, isker = LoanProgramme.objects.get(code="kasipker"), LoanProgramme.objects.get(code="isker")
    plans = [
        (kasipker, 12_000_000, 60, "Ірі қара мал бордақылау алаңын кеңейту: 40 бас бұқа."),
        (isker, 6_500_000, 48, "Тігін цехына екі өнеркәсіптік тігін машинасы."),
        (kasipker, 9_000_000, 36, "Жүк тасымалына «Газель» көлігі."),
        (isker, 20_000_000, 60, "Балалар дамыту орталығына ғимарат жалдау және жөндеу."),
    ]
    referrals = []
    for application, (programme, amount, term, purpose) in zip(applications[:4], plans, strict=True):
        application.refresh_from_db()
        if application.status != Status.CERTIFIED:
            continue
        referrals.append(
            financing_services.referral_request(
                actor=application.applicant,
                application_id=application.pk,
                programme_id=programme.pk,
                amount=amount,
                term_months=term,
                purpose=purpose,
            )
        )
    if len(referrals) < 4:
        return logins
    _requested, *sent = referrals
    for referral in sent:
        financing_services.referral_forward(actor=chamber, referral_id=referral.pk)
    approved, declined = sent[1], sent[2]
    financing_services.referral_approve(
        actor=logins["lender_fund"],
        referral_id=approved.pk,
        amount=8_000_000,
        rate=Decimal("6.00"),
        term_months=36,
        approved_on=today,
    )
    financing_services.referral_decline(
        actor=logins["lender_acc"],
        referral_id=declined.pk,
        reason="Кепіл мүлкі жеткіліксіз; кепілгермен қайта өтінуге болады.",
    )
    return logins


def seed_commission(people: dict[str, User]) -> None:
    """The district's commission with a chair (`commission`), a secretary and a member in their term; the
    demo's open expulsion case (seed_course_under_way) waits in its queue."""
    from commissions.models import Commission, CommissionMember, MemberRole

    chair = people["commission"]
    organisation = chair.organisation
    commission = Commission.objects.filter(organisation=organisation).first() or Commission.objects.create(
        organisation=organisation
    )
    people["commission_secretary"] = _user(
        "commission_secretary", Role.COMMISSION, organisation, "Ержан", "Бекмұханов", language="kk"
    )
    people["commission_member"] = _user("commission_member", Role.COMMISSION, organisation, "Людмила", "Ким")
    today = timezone.localdate()
    term = {"term_from": today.replace(month=1, day=1), "term_to": today.replace(year=today.year + 2, month=12, day=31)}
    for user, role in (
        (chair, MemberRole.CHAIR),
        (people["commission_secretary"], MemberRole.SECRETARY),
        (people["commission_member"], MemberRole.MEMBER),
    ):
        if not CommissionMember.objects.filter(commission=commission, user=user).exists():
            CommissionMember.objects.create(commission=commission, user=user, role=role, **term)


def seed_certified(people: dict[str, User]) -> None:
    """A group whose course ended two weeks ago (Бастау-С): two participants marked present, finished by
    the daily job, one defended and one not before the district's commission, and their certificates
    issued by the Chamber in one action (completion and participation). The PDFs are rendered after
    the seed commits: in-process without Redis (signed with var/signing/'s development pair), by
    the `pdf` worker with it."""

    from applications import services as application_services
    from applications.models import Application
    from certificates import services as certificate_services
    from training.models import TrainingGroup

    chamber = people["chamber"]
    district = chamber.organisation.district
    if TrainingGroup.objects.filter(district=district, name="Бастау-С").exists():
        return
    stream = Application.objects.filter(district=district, stream__isnull=False).first().stream
    applications = [
        application_services.application_submit(
            applicant=_applicant(index, row, district, "+7701700"), actor=None, password=DEMO_PASSWORD
        )
        for index, row in enumerate(DEMO_APPLICANTS[2:4], start=700)
    ]
    group = _finished_group(people, applications, stream, name="Бастау-С", days_ago=50, floor=3)
    if group is None:
        return  # a calendar whose holidays push the course past today: no certificate to show
    _defend_before_the_commission(people, group, {applications[0].pk: True, applications[1].pk: False})
    certificate_services.certificates_issue_for_group(actor=chamber, group_id=group.pk)


def _finished_group(people: dict[str, User], applications, stream, *, name: str, days_ago: int, floor: int):
    """Applicants walked to the end of a course that started `days_ago`: passed on paper, placed by the
    Chamber in a new group, marked present and each module delivered by its trainer day by day, finished
    by the daily job. None when the calendar pushes the course's last day past today."""
    from training import services as training_services

    chamber, trainer, centre = people["chamber"], people["trainer"], people["centre"]
    today = timezone.localdate()
    _passed_on_paper(
        applications, centre=centre, chamber=chamber, stream=stream, days_ago=days_ago + 10, score=lambda i: 85
    )
    group = training_services.group_create(
        actor=chamber,
        stream=stream,
        name=name,
        capacity=max(4, len(applications)),
        place=f"Қосшы, Абай көшесі 1, {floor}-қабат",
        course_start=today - datetime.timedelta(days=days_ago),
        trainers=[trainer],
    )
    for application in applications:  # placed as on the course's first day
        training_services.member_move(
            actor=chamber, application_id=application.pk, group_id=group.pk, today=group.course_start
        )
    days = list(group.days.order_by("date"))
    if days[-1].date >= today:
        return None
    for day in days:
        training_services.attendance_mark_day_present(actor=trainer, group_id=group.pk, day_id=day.pk)
        training_services.module_mark_delivered(actor=trainer, group_id=group.pk, day_id=day.pk)
    training_services.courses_finish(today=today)
    return group


def _freeze_plans(applications) -> None:
    """Each participant who finished the course writes a plan, submits it and marks it ready for defence."""
    from applications.models import Application, Status
    from plans import services as plan_services

    plan = DEMO_PLANS["student1"]
    for application in Application.objects.filter(pk__in=[a.pk for a in applications], status=Status.COURSE_FINISHED):
        plan_services.plan_save_draft(
            actor=application.applicant, application=application, sections=plan["sections"], finance=plan["finance"]
        )
        version = plan_services.plan_submit(actor=application.applicant, application=application)
        plan_services.plan_freeze(actor=application.applicant, version=version)


def _schedule_defence(people: dict[str, User], group):
    """The district commission's secretary schedules the group's defence today, every member present."""
    from commissions import services as commission_services
    from commissions.models import Commission

    commission = Commission.objects.get(organisation=people["commission"].organisation)
    seats = list(commission.members.select_related("user"))
    session = commission_services.session_schedule(
        actor=people["commission_secretary"],
        group_id=group.pk,
        held_on=timezone.localdate(),
        place="Қосшы, әкімдік мәжіліс залы",
        present_ids=[seat.pk for seat in seats],
    )
    return session, seats


def _score(session, seats, outcomes: dict[int, bool]) -> None:
    """Each seat scores each defence present: full marks for those True in `outcomes`, none otherwise."""
    from commissions import services as commission_services
    from commissions.models import Criterion

    criteria = list(Criterion.objects.filter(commission=session.commission, is_active=True))
    for defence in session.defences.filter(absent=False).order_by("pk"):
        passed = outcomes.get(defence.application_id, False)
        for seat in seats:
            commission_services.defence_score(
                actor=seat.user,
                session_id=session.pk,
                defence_id=defence.pk,
                points={c.pk: c.max_score if passed else 0 for c in criteria},
                comment="",
            )


def _defend_before_the_commission(people: dict[str, User], group, outcomes: dict[int, bool]) -> None:
    """The group's participants freeze their plans, defend before the district's commission today (every
    member scores every defence) and the chair confirms: `commissions.defended` / `not_defended`."""
    from applications.models import Application
    from commissions import services as commission_services

    _freeze_plans(Application.objects.filter(pk__in=outcomes))
    session, seats = _schedule_defence(people, group)
    _score(session, seats, outcomes)
    commission_services.session_confirm(actor=people["commission"], session_id=session.pk)


def seed_defence_under_way(people: dict[str, User]) -> None:
    """A group whose course ended (Бастау-Қ): three participants froze their plans and defend today; the
    commission member has scored them, the secretary and the chair have not, so the others' scores stay
    hidden and the outcomes wait (logins commission_secretary, commission, commission_member)."""
    from applications import services as application_services
    from applications.models import Application
    from training.models import TrainingGroup

    district = people["chamber"].organisation.district
    if TrainingGroup.objects.filter(district=district, name="Бастау-Қ").exists():
        return
    stream = Application.objects.filter(district=district, stream__isnull=False).first().stream
    applications = [
        application_services.application_submit(
            applicant=_applicant(index, row, district, "+7701600"), actor=None, password=DEMO_PASSWORD
        )
        for index, row in enumerate(DEMO_APPLICANTS[5:8], start=800)
    ]
    group = _finished_group(people, applications, stream, name="Бастау-Қ", days_ago=45, floor=2)
    if group is None:
        return
    _freeze_plans(applications)
    session, seats = _schedule_defence(people, group)
    member = [seat for seat in seats if seat.user_id == people["commission_member"].pk]
    _score(session, member, {application.pk: True for application in applications})


@transaction.atomic
def seed_demo() -> dict[str, User]:
    seed_programme(timezone.localdate())
    people = seed_people()
    people["bank_editor"] = seed_question_editor(people["chamber"].organisation)
    seed_applications(people)
    seed_testing_and_groups(people)
    seed_business_plans(people)
    seed_commission(people)
    people.update(seed_financing(people))
    seed_certified(people)
    seed_defence_under_way(people)
    return people


# --- Business plans (plans/) ---------------------------------------------------------------------

# Two of the group mid-course applied online with an account of their own, so they write their business
# plan in the portal (walk-ins have no account to log in with): (index in the group, username).
DEMO_PLAN_WRITERS = {402: "student1", 403: "student2"}
DEMO_PLANS = {
    "student1": {
        "language": "ru",
        "sections": {
            "summary": "Продуктовый магазин у дома в селе Косшы: свежие продукты, хлеб и молочная продукция "
            "от местных фермеров, с 8:00 до 22:00 без выходных.",
            "product": "Продукты первой необходимости, хлеб местной пекарни, молоко и творог от двух хозяйств.",
            "market": "В микрорайоне 600 домов и один магазин; ближайший супермаркет в 4 км.",
            "marketing": "Вывеска, страница в Instagram, доставка пожилым жителям по звонку.",
            "operations": "Аренда помещения 40 м², закупка два раза в неделю, касса и терминал.",
            "staff": "Я и один продавец посменно.",
            "finance": "Старт за счёт микрокредита и собственных средств; окупаемость — см. таблицу.",
            "risks": "Конкуренция с супермаркетом: держим ассортимент свежих местных продуктов.",
        },
        "finance": {
            "startup": [
                {"item": "Холодильные витрины (2 шт.)", "amount": "1 400 000"},
                {"item": "Стеллажи и касса", "amount": "600 000"},
                {"item": "Первая закупка товара", "amount": "2 000 000"},
            ],
            "monthly_revenue": "2 400 000",
            "monthly_costs": "2 050 000",
            "own_funds": "800 000",
        },
        "submit": True,
    },
    "student2": {
        "language": "kk",
        "sections": {
            "summary": "Жүк тасымалы: екі «Газель» көлігімен аудан ішінде және облыс орталығына жүк жеткізу.",
            "product": "Тұрмыстық заттарды, құрылыс материалдарын және ауыл шаруашылығы өнімдерін тасымалдау.",
            "market": "",
        },
        "finance": {
            "startup": [{"item": "Екінші «Газель» (пайдаланылған)", "amount": "6 500 000"}],
            "monthly_revenue": "900 000",
            "monthly_costs": "520 000",
            "own_funds": "1 500 000",
        },
        "submit": False,
    },
}


def _mid_course_application(index, row, district, chamber):
    """An applicant of the group mid-course: a walk-in registered by the Chamber, or one who applied online
    with an account of their own (DEMO_PLAN_WRITERS), who then writes a business plan."""
    from applications import services as application_services

    applicant = _applicant(index, row, district, "+7701700")
    username = DEMO_PLAN_WRITERS.get(index)
    if username is None:
        return application_services.application_submit(applicant=applicant, actor=chamber)
    last, first = row[0], row[1]
    user = _user(username, Role.CITIZEN, None, first, last, phone=applicant.phone)
    return application_services.application_submit(applicant=applicant, actor=user, account=user)


def seed_business_plans(people: dict[str, User]) -> None:
    """The group mid-course writes its business plans, through the services as its participants would: one
    has submitted version 1 (the trainer commented on two sections) and goes on with the draft; another has
    a draft half written. No demo participant has finished a course yet, so no plan is frozen."""
    from applications.models import Application
    from plans import services as plan_services
    from plans.models import BusinessPlan

    trainer = people["trainer"]
    for username, plan in DEMO_PLANS.items():
        application = (
            Application.objects.filter(applicant__username=username, memberships__left_at__isnull=True)
            .select_related("applicant")
            .first()
        )
        if application is None or BusinessPlan.objects.filter(application=application).exists():
            continue
        user = application.applicant
        plan_services.plan_save_draft(
            actor=user,
            application=application,
            sections=plan["sections"],
            finance=plan["finance"],
            language=plan["language"],
        )
        if plan["submit"]:
            version = plan_services.plan_submit(actor=user, application=application)
            plan_services.plan_comment(
                actor=trainer,
                version=version,
                section="market",
                text="Сколько покупателей в день вы ждёте? Посчитайте средний чек.",
            )
            plan_services.plan_comment(
                actor=trainer,
                version=version,
                section="risks",
                text="Добавьте риск роста аренды и что вы будете делать.",
            )
