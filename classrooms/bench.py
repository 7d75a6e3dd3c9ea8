"""Mobile classroom applications at scale for `make bench`: 5,000 applications of 400 French
schools over 8 districts and two campaigns, each with its timeline."""

import datetime

from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.db import connection, transaction
from django.utils import timezone

from classcontact.bench import BenchPage
from classcontact.numbering import counter_raise_to
from schools.models import (
    Calendar,
    CalendarKind,
    District,
    Membership,
    MembershipRole,
    Network,
    ProgrammeRole,
    Region,
    School,
    SchoolYear,
    Trimester,
    User,
)
from schools.roles import ensure_staff_groups

from .models import (
    APPLICATION_NUMBER_SCOPE,
    Application,
    ApplicationEvent,
    ApplicationStatus,
    Campaign,
    ClassLevel,
    EventKind,
    Opinion,
    Origin,
    format_application_number,
)

APPLICATIONS = 5_000
SCHOOLS = 400
DISTRICTS = 8
BATCH = 1_000
BENCH_ADVISER = "bench.adviser@bench.classcontact.fr"
BENCH_DIRECTOR = "bench.director@bench.classcontact.fr"
SCHOOL_PREFIX = "F62"
YEARS = (2025, 2026)
STATES = [s for s in ApplicationStatus if s != ApplicationStatus.DRAFT]
LEVELS = list(ClassLevel.values)


def _calendar_years(years: tuple[int, ...] = YEARS) -> dict[int, SchoolYear]:
    calendar, _ = Calendar.objects.get_or_create(
        code="bench-fr", defaults={"name": "Bench zone B", "kind": CalendarKind.FR_ZONE}
    )
    found = {}
    for first in years:
        year, created = SchoolYear.objects.get_or_create(
            calendar=calendar,
            label=f"{first}-{first + 1}",
            defaults={"start": datetime.date(first, 9, 1), "end": datetime.date(first + 1, 7, 3)},
        )
        if created:
            periods = [(9, 1, 12, 18), (1, 4, 4, 9), (4, 26, 7, 3)]
            for number, (m1, d1, m2, d2) in enumerate(periods, start=1):
                y1 = first if m1 >= 9 else first + 1
                y2 = first if m2 >= 9 else first + 1
                Trimester.objects.create(
                    school_year=year,
                    number=number,
                    start=datetime.date(y1, m1, d1),
                    end=datetime.date(y2, m2, d2),
                )
        found[first] = year
    return found


def _campaigns(years: dict[int, SchoolYear]) -> list[Campaign]:
    campaigns = []
    for first, year in years.items():
        campaign, created = Campaign.objects.get_or_create(
            name=f"Bench classes mobiles {year.label}",
            defaults={
                "school_year": year,
                "opens_on": datetime.date(first, 5, 1),
                "closes_on": datetime.date(first + 1, 3, 1),
            },
        )
        if created:
            campaign.trimesters.set(year.trimesters.all())
        campaigns.append(campaign)
    return campaigns


def _people_and_schools() -> list[int]:
    ensure_staff_groups()
    adviser = User.objects.filter(email=BENCH_ADVISER).first()
    if adviser is None:
        adviser = User.objects.create_user(email=BENCH_ADVISER)
        adviser.groups.add(Group.objects.get(name=ProgrammeRole.ADVISER))
    districts = []
    for n in range(DISTRICTS):
        district, _ = District.objects.get_or_create(
            code=f"bench-{n}", defaults={"name": f"Circonscription bench {n}", "department": "Pas-de-Calais"}
        )
        districts.append(district)
    existing = School.objects.filter(official_number__startswith=SCHOOL_PREFIX).count()
    if existing < SCHOOLS:
        School.objects.bulk_create(
            [
                School(
                    name=f"École bench Pas-de-Calais {n:04d}",
                    official_number=f"{SCHOOL_PREFIX}{n:05d}",
                    network=Network.OTHER,
                    city=f"Commune {n % 90}",
                    postcode=f"62{n % 1000:03d}",
                    region=Region.PAS_DE_CALAIS,
                    eligible_mobile_classroom=True,
                    inspection_district=districts[n % DISTRICTS],
                )
                for n in range(existing, SCHOOLS)
            ],
            batch_size=BATCH,
        )
    school_ids = list(
        School.objects.filter(official_number__startswith=SCHOOL_PREFIX)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    if not User.objects.filter(email=BENCH_DIRECTOR).exists():
        director = User.objects.create_user(email=BENCH_DIRECTOR, password=make_password(None))
        Membership.objects.create(user=director, school_id=school_ids[0], role=MembershipRole.DIRECTOR)
    return school_ids


def _application(n: int, *, schools: list[int], campaigns: list[Campaign], now) -> Application:
    campaign = campaigns[n % len(campaigns)]
    year = YEARS[n % len(YEARS)]
    status = STATES[n % len(STATES)]
    submitted = min(timezone.make_aware(datetime.datetime(year, 9 + n % 4, 1 + n % 28, 10)), now)
    changed = min(submitted + datetime.timedelta(days=n % 30), now)
    invited = n % 5 == 0
    return Application(
        number=format_application_number(year, n // len(YEARS) + 1),
        campaign=campaign,
        school_id=schools[n % len(schools)],
        status=status,
        status_changed_at=changed,
        class_name=f"Classe {n % 7}",
        level=LEVELS[n % len(LEVELS)],
        pupil_count=18 + n % 10,
        teacher_names="Enseignant bench",
        objectives="Projet numérique de la classe.",
        activities="Productions numériques.",
        b2i_link="B2i école.",
        municipality_information="Courrier au maire.",
        equipment="Peu d'équipement.",
        municipality_contact="Mairie",
        origin=Origin.INVITED if invited else Origin.SPONTANEOUS,
        invited_at=submitted if invited else None,
        invitation_reason="Taux B2i faible." if invited else "",
        opinion=""
        if status in (ApplicationStatus.SUBMITTED, ApplicationStatus.WITHDRAWN)
        else Opinion.FAVOURABLE,
        opinion_at=None if status in (ApplicationStatus.SUBMITTED, ApplicationStatus.WITHDRAWN) else changed,
        submitted_at=submitted,
    )


def _events(application: Application, now) -> list[ApplicationEvent]:
    return [
        ApplicationEvent(
            application=application, at=application.submitted_at, kind=EventKind.CREATED, notified_at=now
        ),
        ApplicationEvent(
            application=application,
            at=application.submitted_at,
            kind=EventKind.SUBMITTED,
            to_status=ApplicationStatus.SUBMITTED,
            notified_at=now,
        ),
        ApplicationEvent(
            application=application,
            at=application.status_changed_at,
            kind=EventKind.OPINION_GIVEN,
            to_status=application.status,
            notified_at=now,
        ),
    ]


def seed(*, stdout, scale: int = 1) -> None:
    schools = _people_and_schools()
    campaigns = _campaigns(_calendar_years())
    existing = Application.objects.filter(campaign__in=campaigns).count()
    now = timezone.now()
    total = APPLICATIONS * scale
    for start in range(existing, total, BATCH):
        with transaction.atomic():
            applications = Application.objects.bulk_create(
                [
                    _application(n, schools=schools, campaigns=campaigns, now=now)
                    for n in range(start, min(start + BATCH, total))
                ]
            )
            ApplicationEvent.objects.bulk_create(
                [event for application in applications for event in _events(application, now)],
                batch_size=BATCH,
            )
        stdout.write(f"  mobile classroom applications {min(start + BATCH, total)}/{total}")
    for year in YEARS:
        counter_raise_to(scope=APPLICATION_NUMBER_SCOPE, year=year, value=total // len(YEARS) + 1)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE classrooms_application, classrooms_applicationevent, schools_school")


def pages() -> list[BenchPage]:
    campaign = Campaign.objects.filter(name__startswith="Bench classes mobiles").order_by("-opens_on").first()
    district = District.objects.filter(code="bench-3").first()
    application = (
        Application.objects.filter(school__official_number__startswith=SCHOOL_PREFIX, number__isnull=False)
        .order_by("number")
        .only("public_id")
        .first()
    )
    if campaign is None or district is None or application is None:
        return []
    limits = {"max_queries": 12, "target_median_ms": 30}
    review = "/classrooms/review/"
    return [
        BenchPage("classroom applications", review, BENCH_ADVISER, **limits),
        BenchPage(
            "classroom applications, filtered",
            f"{review}?campaign={campaign.pk}&district={district.pk}&state=opinion_given&level=cm1&origin=spontaneous",
            BENCH_ADVISER,
            **limits,
        ),
        BenchPage(
            "classroom applications, search", f"{review}?q=pas-de-calais+0042", BENCH_ADVISER, **limits
        ),
        # An accepted class's page adds its deployment panel: the kit's loan, its visits and
        # whether the reader teaches there (three queries, whatever the number of classes).
        BenchPage(
            "classroom application",
            f"{review}{application.public_id}/",
            BENCH_ADVISER,
            max_queries=15,
            target_median_ms=limits["target_median_ms"],
        ),
        BenchPage("classroom school list", "/classrooms/applications/", BENCH_DIRECTOR, **limits),
    ]
