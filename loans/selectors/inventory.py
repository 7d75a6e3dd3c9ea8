"""Finding a free kit, a kit type's calendar, and what a kit's page shows."""

from dataclasses import dataclass, field
import datetime

from django.db.models import (
    Case,
    Count,
    Exists,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from ..models import LENDABLE_STATES, InventoryState, Item, Kit, KitEvent, KitType, Loan, LoanStatus, Repair

# --- finding a kit -----------------------------------------------------------------------------


def kit_types() -> QuerySet[KitType]:
    return KitType.objects.order_by("name")


def kits_free_between(
    *, kit_type: KitType | int, start: datetime.date, end: datetime.date | None, region: str = ""
) -> QuerySet[Kit]:
    """Kits of a type with no loan sharing a day with [start, end] (``end`` None: open-ended).

    Ranked: kits whose home region is ``region`` first, kits in repair last, then kits at
    the depot before kits still out (coming back before ``start``), then by code. Each kit
    carries ``next_booking``: the first day of its next loan after the period, if any.
    """
    busy = Loan.objects.filter(kit=OuterRef("pk")).exclude(status=LoanStatus.CANCELLED)
    busy = busy.filter(Q(end__isnull=True) | Q(end__gte=start))
    if end is not None:
        busy = busy.filter(start__lte=end)
    after = end or start
    next_booking = (
        Loan.objects.filter(kit=OuterRef("pk"), start__gt=after)
        .exclude(status=LoanStatus.CANCELLED)
        .order_by("start")
        .values("start")[:1]
    )
    item_count = (
        Item.objects.filter(kit=OuterRef("pk")).order_by().values("kit").annotate(n=Count("pk")).values("n")
    )
    kit_type_id = kit_type.pk if isinstance(kit_type, KitType) else kit_type
    return (
        Kit.objects.filter(kit_type_id=kit_type_id, state__in=LENDABLE_STATES)
        .filter(~Exists(busy))
        .annotate(
            region_rank=Case(
                When(region=region, then=Value(0)), default=Value(1), output_field=IntegerField()
            )
            if region
            else Value(0, output_field=IntegerField()),
            repair_rank=Case(
                When(state=InventoryState.IN_REPAIR, then=Value(2)),
                When(state=InventoryState.LENT, then=Value(1)),
                default=Value(0),
                output_field=IntegerField(),
            ),
            next_booking=Subquery(next_booking),
            item_count=Subquery(item_count, output_field=IntegerField()),
        )
        .select_related("kit_type", "school")
        .order_by("region_rank", "repair_rank", "code")
    )


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
