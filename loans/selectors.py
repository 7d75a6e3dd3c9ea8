"""Reads of kits, loans and visits, always scoped to what a person may see.

Every list here is read in a fixed number of queries whatever the number of rows.
"""

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

from schools.models import School, StaffRole
from schools.selectors import managed_school_ids, user_has_staff_role, user_is_staff_member

from .models import (
    LENDABLE_STATES,
    CalendarFeed,
    InternetReferral,
    InventoryState,
    Item,
    Kit,
    KitEvent,
    KitType,
    Loan,
    LoanStatus,
    Repair,
    Visit,
    VisitStatus,
    holder_filter,
)

OPEN_LOAN_STATES = (LoanStatus.RESERVED, LoanStatus.LENT)


# --- who sees what -----------------------------------------------------------------------------


def user_sees_all_visits(user) -> bool:
    """Coordinators, helpdesk and read-only staff see every visit; a technician only their own."""
    return user_has_staff_role(user, StaffRole.COORDINATOR, StaffRole.HELPDESK_AGENT, StaffRole.READ_ONLY)


def user_manages_inventory(user) -> bool:
    """Technicians and coordinators move kits, check them in and log repairs."""
    return user_has_staff_role(user, StaffRole.COORDINATOR, StaffRole.TECHNICIAN)


def user_plans_visits(user) -> bool:
    return user_has_staff_role(user, StaffRole.COORDINATOR)


def kits_visible_to(user) -> QuerySet[Kit]:
    """Staff see every kit; directors the kits at their schools or booked for them."""
    if user_is_staff_member(user):
        return Kit.objects.all()
    school_ids = managed_school_ids(user)
    if not school_ids:
        return Kit.objects.none()
    booked = Loan.objects.filter(kit=OuterRef("pk"), school_id__in=school_ids, status__in=OPEN_LOAN_STATES)
    return Kit.objects.filter(Q(school_id__in=school_ids) | Exists(booked))


def loans_visible_to(user) -> QuerySet[Loan]:
    if user_is_staff_member(user):
        return Loan.objects.all()
    school_ids = managed_school_ids(user)
    if not school_ids:
        return Loan.objects.none()
    return Loan.objects.filter(school_id__in=school_ids)


def visits_visible_to(user) -> QuerySet[Visit]:
    """Coordinators (and read-only staff) every visit, technicians theirs, directors their schools'."""
    if user_is_staff_member(user):
        if user_sees_all_visits(user):
            return Visit.objects.all()
        return Visit.objects.filter(technician=user)
    school_ids = managed_school_ids(user)
    if not school_ids:
        return Visit.objects.none()
    return Visit.objects.filter(school_id__in=school_ids)


def referrals_visible_to(user) -> QuerySet[InternetReferral]:
    if user_is_staff_member(user):
        return InternetReferral.objects.all()
    school_ids = managed_school_ids(user)
    if not school_ids:
        return InternetReferral.objects.none()
    return InternetReferral.objects.filter(school_id__in=school_ids)


def schools_with_kits_for(user) -> QuerySet[School]:
    """The schools whose kits, loans and visits the user may follow (directors: their own)."""
    if user_is_staff_member(user):
        return School.objects.all()
    return School.objects.filter(pk__in=managed_school_ids(user))


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


# --- loans -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class LoanFilters:
    q: str = ""
    status: str = ""
    school: str = ""
    kit_type: str = ""


def loan_list(*, user, filters: LoanFilters) -> QuerySet[Loan]:
    loans = loans_visible_to(user).select_related(
        "kit__kit_type", "school", "school_class", "trimester__school_year"
    )
    if filters.status:
        loans = loans.filter(status=filters.status)
    if filters.school:
        loans = loans.filter(school_id=filters.school)
    if filters.kit_type:
        loans = loans.filter(kit__kit_type_id=filters.kit_type)
    query = filters.q.strip()
    if query:
        loans = loans.filter(
            Q(kit__code__iexact=query)
            | Q(reference__iexact=query)
            | Q(school__name__icontains=query)
            | Q(kit__items__serial_number__iexact=query)
        ).distinct()
    return loans.order_by("-start", "-pk")


def loan_for_checkin(queryset: QuerySet[Loan]) -> QuerySet[Loan]:
    return queryset.select_related("kit__kit_type", "school")


def loan_items(loan: Loan) -> list[Item]:
    return list(Item.objects.filter(kit_id=loan.kit_id).order_by("category", "serial_number"))


def holder_open_loan(holder) -> Loan | None:
    """The reserved or lent loan of a programme's record (a connection case), if any."""
    return (
        Loan.objects.filter(**holder_filter(holder), status__in=OPEN_LOAN_STATES)
        .select_related("kit__kit_type")
        .order_by("-start")
        .first()
    )


@dataclass
class KitPanel:
    loans: list[Loan]
    visits: list[Visit]
    referrals: list[InternetReferral]

    @property
    def open_loan(self) -> Loan | None:
        return next((loan for loan in self.loans if loan.is_open), None)


def holder_kit_panel(holder) -> KitPanel:
    """Loans (with the kit's items and serial numbers), visits and referrals of a record: 3 queries."""
    held = holder_filter(holder)
    loans = list(
        Loan.objects.filter(**held)
        .select_related("kit__kit_type")
        .prefetch_related(Prefetch("kit__items", queryset=Item.objects.order_by("category", "serial_number")))
        .order_by("-start", "-pk")
    )
    visits = list(Visit.objects.filter(**held).select_related("technician").order_by("starts_at", "pk"))
    referrals = list(InternetReferral.objects.filter(**held).order_by("-referred_on", "-pk"))
    return KitPanel(loans=loans, visits=visits, referrals=referrals)


# --- visits ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class VisitFilters:
    status: str = ""
    kind: str = ""
    technician: str = ""
    school: str = ""
    when: str = "upcoming"  # upcoming, past, all


def visit_list(*, user, filters: VisitFilters) -> QuerySet[Visit]:
    visits = visits_visible_to(user).select_related("school", "technician")
    now = timezone.now()
    if filters.status:
        visits = visits.filter(status=filters.status)
    if filters.kind:
        visits = visits.filter(kind=filters.kind)
    if filters.technician:
        visits = visits.filter(technician_id=filters.technician)
    if filters.school:
        visits = visits.filter(school_id=filters.school)
    if filters.when == "past":
        return visits.filter(starts_at__lt=now).order_by("-starts_at", "-pk")
    if filters.when == "upcoming":
        visits = visits.filter(starts_at__gte=now - datetime.timedelta(hours=12))
    return visits.order_by("starts_at", "pk")


@dataclass
class Agenda:
    overdue: list[Visit]
    today: list[Visit]
    this_week: list[Visit]
    later: list[Visit]
    done_today: list[Visit]


def technician_agenda(user, *, now: datetime.datetime | None = None, days_ahead: int = 21) -> Agenda:
    """A technician's visits: not yet marked done from before today, today, the rest of the
    week, and the next weeks; one query."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    week_end = today + datetime.timedelta(days=6 - today.weekday())
    horizon = today + datetime.timedelta(days=days_ahead)
    tz = timezone.get_current_timezone()
    start_of_today = datetime.datetime.combine(today, datetime.time.min, tzinfo=tz)
    end_of_horizon = datetime.datetime.combine(horizon, datetime.time.max, tzinfo=tz)
    visits = list(
        Visit.objects.filter(technician=user, starts_at__lte=end_of_horizon)
        .filter(Q(status=VisitStatus.PLANNED) | Q(status=VisitStatus.DONE, done_at__gte=start_of_today))
        .select_related("school")
        .order_by("starts_at", "pk")[:200]
    )
    agenda = Agenda(overdue=[], today=[], this_week=[], later=[], done_today=[])
    for visit in visits:
        day = timezone.localdate(visit.starts_at)
        if visit.status == VisitStatus.DONE:
            agenda.done_today.append(visit)
        elif day < today:
            agenda.overdue.append(visit)
        elif day == today:
            agenda.today.append(visit)
        elif day <= week_end:
            agenda.this_week.append(visit)
        else:
            agenda.later.append(visit)
    return agenda


def visit_for_page(queryset: QuerySet[Visit]) -> QuerySet[Visit]:
    return queryset.select_related("school", "technician", "loan__kit", "done_by", "created_by")


# --- a school's side ---------------------------------------------------------------------------


@dataclass
class SchoolOverview:
    kits: list[Kit]
    loans: list[Loan]
    visits: list[Visit]
    referrals: list[InternetReferral]


def school_overview(school: School, *, today: datetime.date | None = None) -> SchoolOverview:
    """The kits at a school or booked for it, its loans, visits to come and referrals (4 queries)."""
    today = today or timezone.localdate()
    open_loans = Loan.objects.filter(school=school, status__in=OPEN_LOAN_STATES)
    kits = list(
        Kit.objects.filter(Q(school=school) | Exists(open_loans.filter(kit=OuterRef("pk"))))
        .select_related("kit_type")
        .order_by("code")[:200]
    )
    loans = list(
        Loan.objects.filter(school=school)
        .select_related("kit__kit_type", "school_class", "trimester__school_year")
        .order_by("-start", "-pk")[:100]
    )
    visits = list(
        Visit.objects.filter(school=school, starts_at__gte=timezone.now() - datetime.timedelta(days=30))
        .exclude(status=VisitStatus.CANCELLED)
        .select_related("technician")
        .order_by("starts_at", "pk")[:100]
    )
    referrals = list(InternetReferral.objects.filter(school=school).order_by("-referred_on", "-pk")[:50])
    return SchoolOverview(kits=kits, loans=loans, visits=visits, referrals=referrals)


# --- calendar feeds --------------------------------------------------------------------------


def feed_for_token(token: str) -> CalendarFeed | None:
    """The active feed of a token, or None for an unknown or revoked one (the same answer)."""
    from classcontact.tokens import hash_token

    if not token or len(token) > 100:
        return None
    return (
        CalendarFeed.objects.filter(token_hash=hash_token(token), revoked_at__isnull=True)
        .select_related("user", "school")
        .first()
    )


def feed_visits(feed: CalendarFeed, *, now: datetime.datetime | None = None) -> list[Visit]:
    """Visits of the last 60 days and to come, of the feed's technician or school (one query)."""
    now = now or timezone.now()
    visits = Visit.objects.filter(starts_at__gte=now - datetime.timedelta(days=60))
    visits = visits.filter(technician=feed.user) if feed.user_id else visits.filter(school=feed.school)
    return list(visits.select_related("school", "technician").order_by("starts_at", "pk")[:1000])


def feeds_of(user) -> QuerySet[CalendarFeed]:
    """The active feeds a user may see: their own and those of the schools they direct."""
    feeds = CalendarFeed.objects.filter(revoked_at__isnull=True)
    school_ids = managed_school_ids(user)
    return feeds.filter(Q(user=user) | Q(school_id__in=school_ids)).select_related("school", "user")
