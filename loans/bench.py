"""Inventory at scale for `make bench`: 2,000 kits with their items and 50,000 loans.

Each kit is lent to a class for 25 of 27 trimesters of nine school years: past loans are
returned, the current one is out, later ones are booked, so "which kits are free from A
to B" has to look through every kit's history.
"""

import datetime

from django.contrib.auth.models import Group
from django.db import connection
from django.utils import timezone

from classcontact.bench import BenchPage
from schools.bench import BENCH_COORDINATOR
from schools.models import Calendar, CalendarKind, Region, SchoolClass, SchoolYear, Trimester, User

from . import services
from .models import (
    InventoryState,
    Item,
    ItemCategory,
    Kit,
    KitType,
    KitTypeComponent,
    Loan,
    LoanPurpose,
    LoanStatus,
)

KITS = 2000
LOANS_PER_KIT = 25
FIRST_YEAR = 2018
YEARS = 9
PREFIX = "BK-"
KIT_TYPE = "bench-connection"
COMPONENTS = [
    ItemCategory.CHROMEBOOK,
    ItemCategory.CAMERA_360,
    ItemCategory.SPEAKERPHONE,
    ItemCategory.KEYBOARD,
    ItemCategory.CABLES,
    ItemCategory.SOFTWARE_LICENCE,
]
BENCH_TECHNICIAN = "bench.technician@bench.classcontact.be"


def _trimesters() -> list[Trimester]:
    calendar, _ = Calendar.objects.get_or_create(
        code="bench", defaults={"name": "Bench calendar", "kind": CalendarKind.OTHER}
    )
    for offset in range(YEARS):
        first = FIRST_YEAR + offset
        year, _ = SchoolYear.objects.get_or_create(
            calendar=calendar,
            label=f"{first}-{first + 1}",
            defaults={"start": datetime.date(first, 9, 1), "end": datetime.date(first + 1, 6, 30)},
        )
        spans = [
            (datetime.date(first, 9, 1), datetime.date(first, 12, 20)),
            (datetime.date(first + 1, 1, 5), datetime.date(first + 1, 3, 31)),
            (datetime.date(first + 1, 4, 15), datetime.date(first + 1, 6, 30)),
        ]
        for number, (start, end) in enumerate(spans, start=1):
            Trimester.objects.get_or_create(
                school_year=year, number=number, defaults={"start": start, "end": end}
            )
    return list(Trimester.objects.filter(school_year__calendar=calendar).order_by("start"))


def _kit_type() -> KitType:
    """The bench kit type with its composition, and a technician to look at the kits."""
    kit_type, created = KitType.objects.get_or_create(
        code=KIT_TYPE, defaults={"name": "Bench connection kit", "programme": "connection"}
    )
    if created:
        KitTypeComponent.objects.bulk_create(
            [
                KitTypeComponent(kit_type=kit_type, category=category, position=n)
                for n, category in enumerate(COMPONENTS)
            ]
        )
    if not User.objects.filter(email=BENCH_TECHNICIAN).exists():
        technician = User.objects.create_user(email=BENCH_TECHNICIAN, is_staff=True)
        technician.groups.add(Group.objects.get(name="technician"))
    return kit_type


def _kit_loans(kit: Kit, trimesters: list[Trimester], classes: list, today: datetime.date):
    """A kit's loans, one per trimester but two skipped, and the state they leave it in."""
    n = int(kit.code[len(PREFIX) :])
    skipped = {n % len(trimesters), (n // len(trimesters) + 13) % len(trimesters)}
    if len(skipped) == 1:
        skipped.add((n + 1) % len(trimesters))
    state = InventoryState.AVAILABLE
    loans = []
    for index, trimester in enumerate(trimesters):
        if index in skipped:
            continue
        school_class_id, school_id = classes[(n * 31 + index * 17) % len(classes)]
        if trimester.end < today:
            status = LoanStatus.RETURNED
        elif trimester.start <= today:
            status, state = LoanStatus.LENT, InventoryState.LENT
        else:
            status = LoanStatus.RESERVED
            if state == InventoryState.AVAILABLE:
                state = InventoryState.RESERVED
        loans.append(
            Loan(
                kit=kit,
                purpose=LoanPurpose.CLASS_TRIMESTER,
                school_id=school_id,
                school_class_id=school_class_id,
                trimester=trimester,
                start=trimester.start,
                end=trimester.end,
                status=status,
            )
        )
    return loans, state


def seed(*, stdout, scale: int = 1) -> None:
    kit_type = _kit_type()
    kits_wanted = KITS * scale
    if Kit.objects.filter(code__startswith=PREFIX).count() >= kits_wanted:
        return
    trimesters = _trimesters()
    classes = list(
        SchoolClass.objects.filter(school__official_number__startswith="B", name="P5")
        .order_by("school_id")
        .values_list("pk", "school_id")
    )
    if not classes:
        stdout.write("kits bench: no bench schools yet (schools.bench seeds them first)")
        return
    today = timezone.localdate()
    regions = list(Region.values)
    existing = Kit.objects.filter(code__startswith=PREFIX).count()
    kits = Kit.objects.bulk_create(
        [
            Kit(
                code=f"{PREFIX}{n:05d}",
                kit_type=kit_type,
                region=regions[n % len(regions)],
                depot=f"Dépôt {n % 5}",
            )
            for n in range(existing, kits_wanted)
        ],
        batch_size=1000,
    )
    loans, states = [], {}
    for kit in kits:
        kit_loans, states[kit.pk] = _kit_loans(kit, trimesters, classes, today)
        loans += kit_loans
    Loan.objects.bulk_create(loans, batch_size=2000)
    for state in set(states.values()):
        Kit.objects.filter(pk__in=[pk for pk, value in states.items() if value == state]).update(state=state)
    Item.objects.bulk_create(
        [
            Item(
                kit=kit,
                category=category,
                model_name="Bench",
                serial_number=f"BSN{kit.code[len(PREFIX) :]}{position}",
                state=states[kit.pk],
            )
            for kit in kits
            for position, category in enumerate(COMPONENTS)
        ],
        batch_size=2000,
    )
    # Written in bulk, past the services: each kit's first day free for good follows here.
    services.kits_settle_free_from(Kit.objects.filter(code__startswith=PREFIX))
    if connection.vendor == "postgresql":
        # Fresh statistics, as autovacuum would have them after such a load in production.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE loans_kit, loans_loan, loans_item")
    stdout.write(f"kits bench: {len(kits)} kits, {len(loans)} loans")


def pages() -> list[BenchPage]:
    kit_type = KitType.objects.filter(code=KIT_TYPE).first()
    if kit_type is None:
        return []
    today = timezone.localdate()
    upcoming = (
        Trimester.objects.filter(school_year__calendar__code="bench", start__gt=today)
        .order_by("start")
        .first()
    )
    start, end = (upcoming.start, upcoming.end) if upcoming else (today, today + datetime.timedelta(days=90))
    search = f"/cases/kits/availability/?kit_type={kit_type.pk}&start={start:%Y-%m-%d}&end={end:%Y-%m-%d}&region=namur"
    open_ended = f"/cases/kits/availability/?kit_type={kit_type.pk}&start={today:%Y-%m-%d}&region=brussels"
    return [
        BenchPage("kits availability search", search, BENCH_COORDINATOR, max_queries=12, target_median_ms=50),
        BenchPage(
            "kits availability, open-ended",
            open_ended,
            BENCH_COORDINATOR,
            max_queries=12,
            target_median_ms=50,
        ),
        BenchPage("kits calendar", f"/cases/kits/calendar/{kit_type.pk}/", BENCH_COORDINATOR, max_queries=12),
        BenchPage("kits loan list", "/cases/kits/loans/", BENCH_COORDINATOR, max_queries=12),
        BenchPage("kits admin changelist", "/admin/loans/kit/", BENCH_COORDINATOR, max_queries=15),
        BenchPage(
            "kits admin, search by serial", "/admin/loans/kit/?q=BSN012343", BENCH_COORDINATOR, max_queries=15
        ),
        BenchPage("items admin changelist", "/admin/loans/item/", BENCH_COORDINATOR, max_queries=15),
        BenchPage("loans admin changelist", "/admin/loans/loan/", BENCH_COORDINATOR, max_queries=15),
        BenchPage(
            "loans admin, search by kit", "/admin/loans/loan/?q=BK-01234", BENCH_COORDINATOR, max_queries=15
        ),
    ]
