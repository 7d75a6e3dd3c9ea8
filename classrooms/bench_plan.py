"""The deployment plan at scale for `make bench`: 500 classes placed over 3 school years
(nine trimesters of one campaign) on the kits of a mobile classroom type, one page: the grid."""

import datetime
import math

from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction
from django.utils import timezone

from classcontact.bench import BenchPage
from loans.models import Kit, KitType, Loan, LoanPurpose, LoanStatus, Programme
from schools.models import Region, School, SchoolClass, Trimester

from .bench import BENCH_ADVISER, SCHOOL_PREFIX, _calendar_years
from .models import Application, ApplicationStatus, Campaign, ClassLevel

CLASSES = 500
YEARS = (2024, 2025, 2026)
CAMPAIGN = "Bench plan de déploiement 2024-2027"
KIT_PREFIX = "BPL-"
BATCH = 1_000
STATES = [
    ApplicationStatus.ACCEPTED,
    ApplicationStatus.TRAINING_REGISTERED,
    ApplicationStatus.DELIVERED,
    ApplicationStatus.IN_PROGRESS,
    ApplicationStatus.RETURNED,
]


def _trimesters() -> list[Trimester]:
    """The nine trimesters of three school years of the bench's French calendar."""
    years = _calendar_years(YEARS)
    return [t for first in YEARS for t in years[first].trimesters.order_by("number")]


def _campaign(trimesters: list[Trimester]) -> Campaign:
    campaign, created = Campaign.objects.get_or_create(
        name=CAMPAIGN,
        defaults={
            "school_year": trimesters[0].school_year,
            "opens_on": datetime.date(YEARS[0], 5, 1),
            "closes_on": datetime.date(YEARS[0], 7, 1),
        },
    )
    if created:
        campaign.trimesters.set(trimesters)
    return campaign


def _kits(count: int) -> list[Kit]:
    kit_type, _ = KitType.objects.get_or_create(
        code="bench-mobile", defaults={"name": "Bench classe mobile", "programme": Programme.MOBILE_CLASSROOM}
    )
    existing = Kit.objects.filter(code__startswith=KIT_PREFIX).count()
    Kit.objects.bulk_create(
        [
            Kit(
                code=f"{KIT_PREFIX}{n:04d}",
                kit_type=kit_type,
                region=Region.PAS_DE_CALAIS,
                owner="Partenaire bench" if n % 4 == 0 else "",
            )
            for n in range(existing, count)
        ]
    )
    return list(Kit.objects.filter(code__startswith=KIT_PREFIX).order_by("code")[:count])


def seed(*, stdout, scale: int = 1) -> None:
    classes = CLASSES * scale
    trimesters = _trimesters()
    campaign = _campaign(trimesters)
    if Application.objects.filter(campaign=campaign).count() >= classes:
        return
    schools = list(School.objects.filter(official_number__startswith=SCHOOL_PREFIX).order_by("pk")[:400])
    kits = _kits(math.ceil(classes / len(trimesters)))
    campaign.kits.add(*kits)
    holder_type = ContentType.objects.get_for_model(Application)
    now = timezone.now()
    with transaction.atomic():
        applications = Application.objects.bulk_create(
            [
                Application(
                    number=f"CM-P-{n:05d}",
                    campaign=campaign,
                    school=schools[n % len(schools)],
                    status=STATES[n % len(STATES)],
                    status_changed_at=now,
                    class_name=f"Classe plan {n}",
                    level=ClassLevel.CM1,
                    teacher_names="Enseignant bench",
                    accepted_trimester=trimesters[n % len(trimesters)],
                    decided_at=now,
                )
                for n in range(classes)
            ],
            batch_size=BATCH,
        )
        school_classes = SchoolClass.objects.bulk_create(
            [
                SchoolClass(
                    school_id=a.school_id,
                    name=a.class_name,
                    school_year=a.accepted_trimester.school_year.label,
                )
                for a in applications
            ],
            batch_size=BATCH,
        )
        Loan.objects.bulk_create(
            [
                Loan(
                    kit=kits[n // len(trimesters)],
                    purpose=LoanPurpose.CLASS_TRIMESTER,
                    school_id=a.school_id,
                    school_class=school_classes[n],
                    trimester=a.accepted_trimester,
                    start=a.accepted_trimester.start,
                    end=a.accepted_trimester.end,
                    status=LoanStatus.RETURNED
                    if a.status == ApplicationStatus.RETURNED
                    else LoanStatus.RESERVED,
                    holder_type=holder_type,
                    holder_id=a.pk,
                    reference=a.number,
                )
                for n, a in enumerate(applications)
            ],
            batch_size=BATCH,
        )
    stdout.write(
        f"  deployment plan: {classes} classes on {len(kits)} kits over {len(trimesters)} trimesters"
    )
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE loans_loan, loans_kit, classrooms_application")


def pages() -> list[BenchPage]:
    campaign = Campaign.objects.filter(name=CAMPAIGN).first()
    if campaign is None:
        return []
    return [
        BenchPage(
            "classroom deployment plan (500 classes)",
            f"/classrooms/plan/{campaign.pk}/",
            BENCH_ADVISER,
            max_queries=15,
            target_median_ms=100,
        )
    ]
