"""The yearly report at scale for `make bench`: 500 classes reached over three school years,
with their follow-up, evaluation and loans; the report page is measured, and the PDF's
build time by ``manage.py bench_report_pdf``."""

import datetime
from decimal import Decimal
import statistics
import time

from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction
from django.utils import timezone

from classcontact.bench import BenchPage
from loans.models import Kit, KitType, Loan, LoanPurpose, LoanStatus, Programme
from schools.models import Region, School, SchoolClass, SchoolYear, Trimester

from .bench import BENCH_ADVISER, SCHOOL_PREFIX, _calendar_years
from .models import Application, ApplicationStatus, Campaign, ClassFollowUp, Origin

A = ApplicationStatus
CLASSES = 500
YEARS = (2022, 2023, 2024)
CAMPAIGN_PREFIX = "Bench bilan"
KIT_PREFIX = "BENCH-MC-"
STATES = [A.DELIVERED, A.IN_PROGRESS, A.PRESENTED, A.RETURNED, A.EVALUATED, A.EVALUATED, A.EVALUATED]


def _years() -> list[SchoolYear]:
    """The report's three school years, on the bench's calendar (its trimesters included)."""
    return list(_calendar_years(YEARS).values())


def _kits(count: int) -> list[Kit]:
    kit_type, _ = KitType.objects.get_or_create(
        code="bench-mobile-classroom",
        defaults={"name": "Classe mobile bench", "programme": Programme.MOBILE_CLASSROOM},
    )
    existing = Kit.objects.filter(code__startswith=KIT_PREFIX).count()
    Kit.objects.bulk_create(
        [
            Kit(code=f"{KIT_PREFIX}{n:04d}", kit_type=kit_type, region=Region.PAS_DE_CALAIS)
            for n in range(existing, count)
        ]
    )
    return list(Kit.objects.filter(code__startswith=KIT_PREFIX).order_by("code"))


def _application(n: int, *, campaign: Campaign, trimester: Trimester, school_id: int, now) -> Application:
    return Application(
        number=f"CB-{campaign.school_year.label[:4]}-{n:05d}",
        campaign=campaign,
        school_id=school_id,
        status=STATES[n % len(STATES)],
        status_changed_at=now,
        class_name=f"Classe bilan {n}",
        level="cm1",
        pupil_count=18 + n % 10,
        origin=Origin.SPONTANEOUS,
        b2i_rate=Decimal(30 + n % 40) if n % 3 == 0 else None,
        accepted_trimester=trimester,
        submitted_at=now,
        decided_at=now,
    )


def _followup(application: Application, n: int) -> ClassFollowUp:
    evaluated = application.status == A.EVALUATED
    return ClassFollowUp(
        application=application,
        pupils_assessed=application.pupil_count if evaluated else None,
        pupils_validated=application.pupil_count - n % 6 if evaluated else None,
        teacher_evaluation="Évaluation de l'enseignant." if evaluated else "",
        equipment_plan=(n % 4 == 0) if evaluated else None,
        equipment_plan_on=datetime.date(YEARS[0] + 1, 9, 1) if evaluated and n % 4 == 0 else None,
        equipment_plan_description="Tablettes" if evaluated and n % 4 == 0 else "",
        equipment_plan_amount=Decimal(5000 + n) if evaluated and n % 4 == 0 else None,
    )


def _loans(applications: list[Application], kits: list[Kit], *, holder_type) -> list[Loan]:
    classes = SchoolClass.objects.bulk_create(
        [
            SchoolClass(school_id=a.school_id, name=a.class_name, school_year=a.campaign.school_year.label)
            for a in applications
        ]
    )
    per_trimester: dict[int, int] = {}
    loans = []
    for application, school_class in zip(applications, classes, strict=True):
        slot = per_trimester.get(application.accepted_trimester_id, 0)
        per_trimester[application.accepted_trimester_id] = slot + 1
        trimester = application.accepted_trimester
        loans.append(
            Loan(
                holder_type=holder_type,
                holder_id=application.pk,
                reference=application.number,
                kit=kits[slot % len(kits)],
                purpose=LoanPurpose.CLASS_TRIMESTER,
                school_class=school_class,
                trimester=trimester,
                school_id=application.school_id,
                start=trimester.start,
                end=trimester.end,
                status=LoanStatus.RETURNED,
            )
        )
    return loans


def seed(*, stdout, scale: int = 1) -> None:
    total = CLASSES * scale
    years = _years()
    campaigns = []
    for year in years:
        campaign, created = Campaign.objects.get_or_create(
            name=f"{CAMPAIGN_PREFIX} {year.label}",
            defaults={"school_year": year, "opens_on": year.start.replace(month=3), "closes_on": year.start},
        )
        if created:
            campaign.trimesters.set(year.trimesters.all())
        campaigns.append(campaign)
    if Application.objects.filter(campaign__in=campaigns).exists():
        return
    schools = list(
        School.objects.filter(official_number__startswith=SCHOOL_PREFIX).values_list("pk", flat=True)
    )
    trimesters = {c.pk: list(c.school_year.trimesters.order_by("number")) for c in campaigns}
    slots = -(-total // (len(years) * 3))  # classes per trimester, rounded up
    kits = _kits(slots)
    now = timezone.now()
    with transaction.atomic():
        applications = Application.objects.bulk_create(
            [
                _application(
                    n,
                    campaign=campaigns[n % len(campaigns)],
                    trimester=trimesters[campaigns[n % len(campaigns)].pk][n // len(campaigns) % 3],
                    school_id=schools[n % len(schools)],
                    now=now,
                )
                for n in range(total)
            ]
        )
        ClassFollowUp.objects.bulk_create([_followup(a, n) for n, a in enumerate(applications)])
        holder_type = ContentType.objects.get_for_model(Application)
        Loan.objects.bulk_create(_loans(applications, kits, holder_type=holder_type))
    stdout.write(f"  yearly report: {total} classes over {len(years)} school years")
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE classrooms_application, classrooms_classfollowup, loans_loan")


def pages() -> list[BenchPage]:
    label = f"{YEARS[-1]}-{YEARS[-1] + 1}"
    if not Campaign.objects.filter(name=f"{CAMPAIGN_PREFIX} {label}").exists():
        return []
    return [
        BenchPage(
            "classroom yearly report",
            f"/staff/classrooms/report/{label}/",
            BENCH_ADVISER,
            max_queries=15,
            target_median_ms=100,
        )
    ]


def pdf_build_times(*, repeat: int = 5) -> list[float]:
    """Seconds to compute and render the yearly report's PDF of the latest bench year."""
    from .report import yearly_report
    from .report_exports import report_pdf

    label = f"{YEARS[-1]}-{YEARS[-1] + 1}"
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        report_pdf(yearly_report(label))
        times.append(time.perf_counter() - started)
    return times


def pdf_summary(times: list[float]) -> str:
    return (
        f"yearly report PDF: median {statistics.median(times) * 1000:.0f} ms, "
        f"max {max(times) * 1000:.0f} ms over {len(times)} builds"
    )
