"""Finding a free kit, a kit type's calendar, and what a kit's page shows."""

from dataclasses import dataclass, field
import datetime

from django.contrib.postgres.lookups import Overlap
from django.db import connection
from django.db.models import (
    Case,
    Count,
    F,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from ..models import (
    LENDABLE_STATES,
    DateRange,
    InventoryState,
    Item,
    Kit,
    KitEvent,
    KitType,
    Loan,
    LoanStatus,
    Repair,
    busy_days,
)

# --- finding a kit -----------------------------------------------------------------------------


def kit_types() -> QuerySet[KitType]:
    return KitType.objects.order_by("name")


# Ranks of a kit's state when looking for a free one: at the depot (available, or reserved
# for later), still out (coming back before the period), in repair.
_STATE_RANKS = (
    (0, (InventoryState.AVAILABLE, InventoryState.RESERVED)),
    (1, (InventoryState.LENT,)),
    (2, (InventoryState.IN_REPAIR,)),
)
# "More than 50 free kits": past that, nobody reads the count, and counting them all would
# cost what the whole inventory does (the count and the first page share one walk).
FREE_KITS_COUNT_CAP = 50


def _busy_loans(start: datetime.date, end: datetime.date) -> QuerySet[Loan]:
    """Loans of the outer kit busy on a day of [start, end].

    A returned kit is free from the day it came back (``loans.models.busy_days``)."""
    loans = Loan.objects.filter(kit=OuterRef("pk")).exclude(status=LoanStatus.CANCELLED).order_by()
    if connection.vendor == "postgresql":
        # The very overlap the exclusion constraint forbids: its GiST index on (kit, dates)
        # answers it for one kit by reading only that kit's loans around the period.
        period = DateRange(Value(start), Value(end), Value("[]"))
        return loans.filter(Overlap(busy_days(), period))
    loans = loans.filter(Q(end__isnull=True) | Q(end__gte=start)).exclude(
        Q(end=start) | Q(end=F("start")), status=LoanStatus.RETURNED
    )
    return loans.filter(start__lte=end)


class FreeKits:
    """The free kits of a search, ranked, read one page at a time (see ``kits_free_between``).

    On PostgreSQL each rank (home region or not, then the state's rank) is read in the order
    of its index on the codes, and only for as many kits as the ranks before it left to find
    (one query: a chain of ``LIMIT``s): a page costs the same whatever the size of the
    inventory. A kit is free when no loan shares a day with the period, checked kit by kit
    on the loans' GiST index; with no end, when its ``free_from`` is not after the first
    day, on an index of the kits alone. The ids found are kept: the count (up to a cap) and the first
    page come from the same walk.
    """

    def __init__(self, *, kit_type_id: int, start: datetime.date, end: datetime.date | None, region: str):
        self.start, self.end, self.region = start, end, region
        kits = Kit.objects.filter(kit_type_id=kit_type_id, state__in=LENDABLE_STATES)
        if end is None:
            # Free from ``start`` with no end: no loan keeps the kit busy from then on, which
            # each kit records (``free_from``, kept by the loan services): no loan is read.
            self.candidates = kits.filter(free_from__lte=start)
        else:
            busy = _busy_loans(start, end).values("pk")[:1]
            # "No loan id below 1" rather than "IS NULL": the planner guesses a third of the
            # kits free (about right) instead of one in two hundred, and so reads a rank in
            # the order of its index until it has enough rather than sorting the whole rank.
            self.candidates = kits.annotate(busy_loan=Coalesce(Subquery(busy), 0)).filter(busy_loan__lt=1)
        self._ids: list[int] = []
        self._read_up_to = 0

    def _region_ranks(self) -> list[Q]:
        return [Q(region=self.region), ~Q(region=self.region)] if self.region else [Q()]

    def _ranks(self) -> list[QuerySet[Kit]]:
        return [
            self.candidates.filter(region_q, state__in=states).order_by("code").values_list("pk", flat=True)
            for region_q in self._region_ranks()
            for _rank, states in _STATE_RANKS
        ]

    def _read_chained(self, limit: int) -> list[int]:
        """The first ``limit`` ids in rank order: each rank reads what the ranks before it
        did not find (``LIMIT`` of a subquery), so later ranks are not read at all. The SQL
        is made of the ranks' own compiled queries and numbers; every value is a parameter."""
        parts, params, found = [], [], []
        for n, rank in enumerate(self._ranks()):
            sql, rank_params = rank.query.get_compiler(connection=connection).as_sql()
            before = "".join(f" - (SELECT COUNT(*) FROM r{k})" for k in range(n))  # noqa: S608
            parts.append(f"r{n}(kit_id) AS ({sql} LIMIT GREATEST(%s{before}, 0))")  # noqa: S608
            params += [*rank_params, limit]
            found.append(f"SELECT {n} AS rank_number, kit_id FROM r{n}")  # noqa: S608
        sql = (
            f"WITH {', '.join(parts)} SELECT kit_id FROM ({' UNION ALL '.join(found)}) ranked "  # noqa: S608
            f"ORDER BY rank_number LIMIT %s"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, [*params, limit])
            return [row[0] for row in cursor.fetchall()]

    def _read(self, limit: int) -> list[int]:
        if connection.vendor == "postgresql":
            return self._read_chained(limit)
        ranked = self.candidates.annotate(
            region_rank=Case(When(region=self.region, then=Value(0)), default=Value(1))
            if self.region
            else Value(0),
            repair_rank=Case(
                *[When(state__in=states, then=Value(rank)) for rank, states in _STATE_RANKS], default=Value(3)
            ),
        ).order_by("region_rank", "repair_rank", "code")
        return list(ranked.values_list("pk", flat=True)[:limit])

    def ranked_ids(self, start: int, stop: int) -> list[int]:
        if stop > self._read_up_to:
            self._ids, self._read_up_to = self._read(stop), stop
        return self._ids[start:stop]

    def count_up_to(self, limit: int) -> int:
        """How many kits are free, counting no further than ``limit``."""
        return len(self.ranked_ids(0, limit))

    def count(self) -> int:
        return self.candidates.order_by().count()

    def __len__(self) -> int:
        return self.count()

    def _kits(self, ids: list[int]) -> list[Kit]:
        next_booking = (
            Loan.objects.filter(kit=OuterRef("pk"), start__gt=self.end or self.start)
            .exclude(status=LoanStatus.CANCELLED)
            .order_by("start")
            .values("start")[:1]
        )
        item_count = (
            Item.objects.filter(kit=OuterRef("pk"))
            .order_by()
            .values("kit")
            .annotate(n=Count("pk"))
            .values("n")
        )
        kits = (
            Kit.objects.filter(pk__in=ids)
            .annotate(
                region_rank=Case(When(region=self.region, then=Value(0)), default=Value(1))
                if self.region
                else Value(0, output_field=IntegerField()),
                next_booking=Subquery(next_booking),
                item_count=Subquery(item_count, output_field=IntegerField()),
            )
            .select_related("kit_type", "school")
        )
        by_id = {kit.pk: kit for kit in kits}
        return [by_id[pk] for pk in ids if pk in by_id]

    def __getitem__(self, index):
        if isinstance(index, slice):
            stop = index.stop if index.stop is not None else self.count()
            return self._kits(self.ranked_ids(index.start or 0, stop))
        return self._kits(self.ranked_ids(index, index + 1))[0]

    def __iter__(self):
        return iter(self[0 : self.count()])


def kits_free_between(
    *, kit_type: KitType | int, start: datetime.date, end: datetime.date | None, region: str = ""
) -> FreeKits:
    """Kits of a type with no loan sharing a day with [start, end] (``end`` None: open-ended).

    Ranked: kits whose home region is ``region`` first, kits in repair last, then kits at
    the depot before kits still out (coming back before ``start``), then by code. Each kit
    carries ``next_booking``: the first day of its next loan after the period, if any.
    """
    kit_type_id = kit_type.pk if isinstance(kit_type, KitType) else kit_type
    return FreeKits(kit_type_id=kit_type_id, start=start, end=end, region=region)


# --- calendar and timeline -----------------------------------------------------------------------


CALENDAR_SYMBOLS = {"free": "", LoanStatus.RESERVED: "R", LoanStatus.LENT: "L", LoanStatus.RETURNED: "✓"}


@dataclass
class CalendarCell:
    start: datetime.date
    end: datetime.date
    status: str  # "free", or the status of the loan covering the week (reserved, lent, returned)
    partial: bool = False
    label: str = ""
    css: str = ""
    symbol: str = ""
    text: str = ""
    title: str = ""


@dataclass
class CalendarRow:
    kit: Kit
    cells: list[CalendarCell] = field(default_factory=list)


def calendar_weeks(first_day: datetime.date, weeks: int) -> list[tuple[datetime.date, datetime.date]]:
    monday = first_day - datetime.timedelta(days=first_day.weekday())
    return [
        (monday + datetime.timedelta(weeks=n), monday + datetime.timedelta(weeks=n, days=6))
        for n in range(weeks)
    ]


def kit_type_calendar_kits(kit_type: KitType, *, region: str = "") -> QuerySet[Kit]:
    kits = Kit.objects.filter(kit_type=kit_type).exclude(state=InventoryState.RETIRED)
    if region:
        kits = kits.filter(region=region)
    return kits.order_by("code")


def _finish_cell(cell: CalendarCell, today: datetime.date, words: dict[str, str]) -> CalendarCell:
    """The cell's classes, symbol and words, prepared once here rather than in the template."""
    classes = ["cal-cell", f"cal-{cell.status}"]
    if cell.partial:
        classes.append("cal-partial")
    if cell.start <= today <= cell.end:
        classes.append("cal-today")
    cell.css = " ".join(classes)
    cell.symbol = CALENDAR_SYMBOLS.get(cell.status, "")
    cell.text = words[cell.status] if cell.status == "free" else f"{words[cell.status]} · {cell.label}"
    cell.title = f"{formats.date_format(cell.start, 'SHORT_DATE_FORMAT')}: {cell.text}"
    return cell


def kit_type_calendar_rows(
    kits: list[Kit], *, weeks: list[tuple[datetime.date, datetime.date]], today: datetime.date | None = None
) -> list[CalendarRow]:
    """One row per kit, one cell per week, from the loans of these kits (one query)."""
    today = today or timezone.localdate()
    words = {"free": str(_("free")), **{status: str(label).lower() for status, label in LoanStatus.choices}}
    if not kits or not weeks:
        return [CalendarRow(kit=kit) for kit in kits]
    first, last = weeks[0][0], weeks[-1][1]
    loans = (
        Loan.objects.filter(kit__in=kits, start__lte=last)
        .filter(Q(end__isnull=True) | Q(end__gte=first))
        .exclude(status=LoanStatus.CANCELLED)
        .select_related("school")
        .only("kit_id", "start", "end", "status", "school__name")
        .order_by("start")
    )
    by_kit: dict[int, list[Loan]] = {}
    for loan in loans:
        by_kit.setdefault(loan.kit_id, []).append(loan)
    rows = []
    for kit in kits:
        row = CalendarRow(kit=kit)
        kit_loans = by_kit.get(kit.pk, [])
        for week_start, week_end in weeks:
            covering = [
                loan
                for loan in kit_loans
                if loan.start <= week_end and (loan.end is None or loan.end >= week_start)
            ]
            if not covering:
                row.cells.append(_finish_cell(CalendarCell(week_start, week_end, "free"), today, words))
                continue
            loan = covering[0]
            days_covered = set()
            for one in covering:
                lo = max(one.start, week_start)
                hi = min(one.end or week_end, week_end)
                days_covered.update(range((lo - week_start).days, (hi - week_start).days + 1))
            cell = CalendarCell(
                week_start, week_end, loan.status, partial=len(days_covered) < 7, label=loan.school.name
            )
            row.cells.append(_finish_cell(cell, today, words))
        rows.append(row)
    return rows


def kit_for_page(queryset: QuerySet[Kit]) -> QuerySet[Kit]:
    return queryset.select_related("kit_type", "school").prefetch_related(
        Prefetch("items", queryset=Item.objects.order_by("category", "serial_number"))
    )


def kit_timeline(kit: Kit, *, limit: int = 200) -> list[KitEvent]:
    """The newest ``limit`` events of a kit and of the items while they were in it (one query)."""
    return list(
        KitEvent.objects.filter(kit=kit)
        .select_related("actor", "item", "loan")
        .order_by("-at", "-pk")[:limit]
    )


def kit_loans(kit: Kit, *, limit: int = 100) -> list[Loan]:
    return list(
        Loan.objects.filter(kit=kit)
        .select_related("school", "school_class", "trimester__school_year")
        .order_by("-start", "-pk")[:limit]
    )


def kit_repairs(kit: Kit) -> list[Repair]:
    return list(
        Repair.objects.filter(Q(kit=kit) | Q(item__kit=kit))
        .select_related("item")
        .order_by("-opened_at")[:50]
    )


def kit_missing_components(kit: Kit) -> list[tuple[str, int]]:
    """Composition lines the kit lacks: (category label, how many are missing).

    Uses ``kit.items`` and ``kit.kit_type.components`` as prefetched when they are.
    """
    present: dict[str, int] = {}
    for item in kit.items.all():
        if item.state not in (InventoryState.LOST, InventoryState.RETIRED):
            present[item.category] = present.get(item.category, 0) + 1
    missing = []
    for line in kit.kit_type.components.all():
        lacking = line.quantity - present.get(line.category, 0)
        if lacking > 0:
            missing.append((line.get_category_display(), lacking))
    return missing
