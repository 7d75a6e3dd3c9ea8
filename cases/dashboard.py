"""The connection programme in figures, for a period and a school year (the staff dashboard).

The page reads the figures kept as the cases change (``cases.figures``): a period's requests
and connections are sums of daily rows, whose number does not grow with the cases; the waits
are counts by month and tenth of a day. The same figures computed from the cases and their
timelines (``*_from_timeline``, ``waiting_times``) are the reference the tests compare them
with: the cases' timeline, grouped by case, gives one row per connection of the period (its
region, the months it started and ended, its wait).
"""

from bisect import bisect_right
from collections import Counter
from dataclasses import dataclass, field
import datetime
from itertools import accumulate

from django.db import connection
from django.db.models import (
    Aggregate,
    BooleanField,
    Case,
    Count,
    DateField,
    DurationField,
    ExpressionWrapper,
    F,
    Max,
    Min,
    Q,
    QuerySet,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Cast, TruncDate, TruncMonth
from django.utils import timezone

from loans.selectors import KitUse, kit_use
from schools.models import Region

from .figures import END_KINDS
from .models import (
    CaseEvent,
    CaseFigures,
    CaseStatus,
    ConnectionCase,
    DailyFigures,
    EventKind,
    HealthDataAccess,
    WaitFigures,
)

PERCENTILES = {"median": 0.5, "p90": 0.9}


class PercentileCont(Aggregate):
    """PostgreSQL's ``percentile_cont(p) WITHIN GROUP (ORDER BY expression)``, here over intervals."""

    function = "percentile_cont"
    template = "%(function)s(%(fraction)s) WITHIN GROUP (ORDER BY %(expressions)s)"
    allow_distinct = False

    def __init__(self, expression, fraction: float, **extra):
        super().__init__(expression, fraction=float(fraction), output_field=DurationField(), **extra)


@dataclass(frozen=True)
class Period:
    """From ``start`` to ``end`` (both included), optionally the cases of one programme year."""

    start: datetime.date
    end: datetime.date
    programme_year: str = ""

    @property
    def months(self) -> list[datetime.date]:
        months, day = [], self.start.replace(day=1)
        while day <= self.end:
            months.append(day)
            day = (day + datetime.timedelta(days=32)).replace(day=1)
        return months

    @property
    def starts_at(self) -> datetime.datetime:
        return _midnight(self.start)

    @property
    def ends_before(self) -> datetime.datetime:
        return _midnight(self.end + datetime.timedelta(days=1))


def _midnight(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


@dataclass
class Waiting:
    """Days from the request (submitted) to the connection (kit installed), for cases connected in the period."""

    count: int = 0
    median: float | None = None
    p90: float | None = None


@dataclass
class ProgrammeFigures:
    period: Period
    months: list[datetime.date]
    active_by_region: dict[str, list[int]] = field(default_factory=dict)
    requests_by_state: list[tuple[str, str, int]] = field(default_factory=list)
    waiting: Waiting = field(default_factory=Waiting)
    kit_use: list[KitUse] = field(default_factory=list)


def connection_spans(period: Period):
    """One row per case ever connected: its region, request, connection and end (grouped events)."""
    # A case requested after the period, or closed before it, has no connection in it: leaving
    # them out first spares the grouping most of the cases of other years.
    events = CaseEvent.objects.filter(
        kind__in=[EventKind.ACTIVATED, *END_KINDS], case__submitted_at__lt=period.ends_before
    ).exclude(case__closed_at__lt=period.starts_at)
    if period.programme_year:
        events = events.filter(case__programme_year=period.programme_year)
    return (
        events.values("case_id")
        .annotate(
            region=F("case__school__region"),
            submitted_at=F("case__submitted_at"),
            activated_at=Min("at", filter=Q(kind=EventKind.ACTIVATED)),
            ended_at=Min("at", filter=Q(kind__in=END_KINDS)),
        )
        .filter(activated_at__isnull=False, activated_at__lt=period.ends_before)
        .filter(Q(ended_at__isnull=True) | Q(ended_at__gte=period.starts_at))
        .annotate(
            waited=ExpressionWrapper(F("activated_at") - F("submitted_at"), output_field=DurationField())
        )
    )


def _connected_in_period(period: Period) -> Q:
    return Q(
        activated_at__gte=period.starts_at, activated_at__lt=period.ends_before, submitted_at__isnull=False
    )


def connection_figures_from_timeline(period: Period) -> tuple[dict[str, list[int]], Waiting]:
    """Pupils connected at some moment of each month by region, and the waits of those
    connected in the period: one query, one row per connection.

    The database gives each connection's region, the months (local time) it started and
    ended, and how long the request waited; a connection is in force in a month from the one
    it started to the one it ended. The waits are ranked here (as ``percentile_cont`` does):
    a second pass of ``percentile_cont`` over the same timeline would cost as much as this one.
    """
    # Whether a connection started in the period is asked of the database: loading each
    # connection's moment (a timestamp with its time zone) costs more than the whole query.
    rows = (
        connection_spans(period)
        .annotate(
            connected_in_period=ExpressionWrapper(_connected_in_period(period), output_field=BooleanField())
        )
        .values_list(
            "region",
            TruncMonth("activated_at", output_field=DateField()),
            TruncMonth("ended_at", output_field=DateField()),
            "connected_in_period",
            "waited",
        )
    )
    months = period.months
    counts = {region: [0] * len(months) for region in Region.values}
    groups: Counter = Counter()
    waits = []
    for region, started, ended, connected_in_period, waited in rows:
        groups[region, started, ended] += 1
        if waited is not None and connected_in_period:
            waits.append(waited.total_seconds() / 86400)
    for (region, started, ended), n in groups.items():
        row = counts.setdefault(region, [0] * len(months))
        for m, month in enumerate(months):
            if started <= month and (ended is None or ended >= month):
                row[m] += n
    return counts, ranked_waits(waits)


def ranked_waits(waits: list[float]) -> Waiting:
    ranked = sorted(waits)
    median, p90 = (percentile(ranked, fraction) for fraction in PERCENTILES.values())
    return Waiting(
        count=len(ranked),
        median=round(median, 1) if median is not None else None,
        p90=round(p90, 1) if p90 is not None else None,
    )


def waiting_times(period: Period) -> Waiting:
    """The waits of the pupils connected in the period, computed by PostgreSQL alone
    (``percentile_cont``): one aggregate, for callers that need only these figures. Other
    databases have no such function: there the waits are ranked in Python."""
    if connection.vendor != "postgresql":
        return connection_figures_from_timeline(period)[1]
    connected = _connected_in_period(period)
    row = connection_spans(period).aggregate(
        count=Count("case_id", filter=connected),
        **{
            name: PercentileCont("waited", fraction, filter=connected)
            for name, fraction in PERCENTILES.items()
        },
    )
    return Waiting(count=row["count"], median=_days(row["median"]), p90=_days(row["p90"]))


def _days(value) -> float | None:
    """``percentile_cont`` over intervals gives an interval (a timedelta), or nothing."""
    return None if value is None else round(value.total_seconds() / 86400, 1)


def percentile(ranked: list[float], fraction: float) -> float | None:
    """The value at ``fraction`` of sorted values, interpolated as ``percentile_cont`` does."""
    if not ranked:
        return None
    position = fraction * (len(ranked) - 1)
    lower = int(position)
    upper = min(lower + 1, len(ranked) - 1)
    return ranked[lower] + (ranked[upper] - ranked[lower]) * (position - lower)


def _by_state(counts: dict[str, int]) -> list[tuple[str, str, int]]:
    return [
        (state, str(label), counts.get(state, 0))
        for state, label in CaseStatus.choices
        if state != CaseStatus.DRAFT
    ]


def requests_by_state_from_cases(period: Period) -> list[tuple[str, str, int]]:
    """Requests submitted in the period, by the state they are in now: (state, label, count)."""
    cases = ConnectionCase.objects.exclude(status=CaseStatus.DRAFT).filter(
        submitted_at__gte=period.starts_at, submitted_at__lt=period.ends_before
    )
    if period.programme_year:
        cases = cases.filter(programme_year=period.programme_year)
    return _by_state(dict(cases.order_by().values_list("status").annotate(n=Count("pk"))))


def _of_year(queryset: QuerySet, period: Period) -> QuerySet:
    return queryset.filter(programme_year=period.programme_year) if period.programme_year else queryset


def requests_by_state(period: Period) -> list[tuple[str, str, int]]:
    """Requests submitted in the period by the state they are in now, summed over its days."""
    days = DailyFigures.objects.filter(day__gte=period.start, day__lte=period.end).exclude(status="")
    return _by_state(
        dict(_of_year(days, period).order_by().values_list("status").annotate(n=Sum("requests")))
    )


def active_by_region(period: Period) -> dict[str, list[int]]:
    """Pupils connected at some moment of each month, by region (one query over the days).

    Those in force when the period starts (connected before it, less those ended before it),
    plus those connected since the start up to the month's end (or the period's), less those
    ended since the start before the month began: the days before the start are summed in
    one group, the period's by month.
    """
    months = period.months
    position = {month: m for m, month in enumerate(months)}
    days = _of_year(DailyFigures.objects.filter(status="", day__lte=period.end), period)
    rows = (
        days.annotate(
            month=Case(
                When(day__lt=period.start, then=Value(None)),
                default=Cast(TruncMonth("day"), DateField()),
                output_field=DateField(),
            )
        )
        .order_by()
        .values("region", "month")
        .annotate(connected=Sum("connected"), ended=Sum("ended"))
    )
    before: Counter = Counter()
    started: dict[str, list[int]] = {}
    ended: dict[str, list[int]] = {}
    for row in rows:
        region = row["region"]
        if row["month"] is None:
            before[region] += row["connected"] - row["ended"]
            continue
        started.setdefault(region, [0] * len(months))[position[row["month"]]] += row["connected"]
        ended.setdefault(region, [0] * len(months))[position[row["month"]]] += row["ended"]
    counts = {region: [0] * len(months) for region in Region.values}
    for region in set(before) | set(started):
        in_force, line = before[region], []
        for m in range(len(months)):
            in_force += started.get(region, [0] * len(months))[m]
            line.append(in_force)
            in_force -= ended.get(region, [0] * len(months))[m]
        if region in counts or any(line):
            counts[region] = line
    return counts


def _month_after(day: datetime.date) -> datetime.date:
    return (day.replace(day=1) + datetime.timedelta(days=32)).replace(day=1)


def _whole_months(period: Period) -> tuple[datetime.date, datetime.date] | None:
    """The first and the last of the months the period covers whole (None: not one)."""
    first = period.start if period.start.day == 1 else _month_after(period.start)
    last = period.end.replace(day=1)
    if _month_after(period.end) - datetime.timedelta(days=1) != period.end:
        last = (last - datetime.timedelta(days=1)).replace(day=1)
    return (first, last) if first <= last else None


def _wait_counts(period: Period) -> Counter:
    """How many pupils connected in the period waited each tenth of a day: the months it covers
    whole from their counts, the days of the others from one row per case connected on them."""
    counts: Counter = Counter()
    whole = _whole_months(period)
    days = Q(activated_on__gte=period.start, activated_on__lte=period.end)
    if whole is not None:
        months = WaitFigures.objects.filter(month__gte=whole[0], month__lte=whole[1])
        counts.update(
            dict(_of_year(months, period).order_by().values_list("tenths").annotate(Sum("connected")))
        )
        days &= Q(activated_on__lt=whole[0]) | Q(activated_on__gte=_month_after(whole[1]))
    if whole is None or whole[0] != period.start or _month_after(whole[1]) <= period.end:
        cases = _of_year(CaseFigures.objects.filter(days, waited_tenths__isnull=False), period)
        counts.update(dict(cases.order_by().values_list("waited_tenths").annotate(Count("pk"))))
    return +counts


def waits_of_connections(period: Period) -> Waiting:
    """The waits of the pupils connected in the period, from their counts by tenth of a day
    (``WaitFigures``), whose number does not grow with the cases.

    A percentile lies between two ranked waits (``percentile_cont``): when both round to the
    same tenth of a day, so does every value between them, and that tenth is the figure shown;
    otherwise the longest wait of the lower tenth and the shortest of the upper one are read
    (one query, through an index) and interpolated as ``percentile`` does.
    """
    counts = _wait_counts(period)
    total = sum(counts.values())
    if not total:
        return Waiting()
    tenths = sorted(counts)
    ends = list(accumulate(counts[tenth] for tenth in tenths))
    ranks = {}
    for name, fraction in PERCENTILES.items():
        position = fraction * (total - 1)
        lower = int(position)
        upper = min(lower + 1, total - 1)
        ranks[name] = (tenths[bisect_right(ends, lower)], tenths[bisect_right(ends, upper)], position - lower)
    straddled = {tenth for low, high, part in ranks.values() if low != high and part for tenth in (low, high)}
    bounds = _wait_bounds(period, straddled) if straddled else {}
    figures = {}
    for name, (low, high, part) in ranks.items():
        if low == high or not part:
            figures[name] = low / 10
        else:
            longest, shortest = bounds[low][1], bounds[high][0]
            figures[name] = round(longest + (shortest - longest) * part, 1)
    return Waiting(count=total, **figures)


def _wait_bounds(period: Period, tenths: set[int]) -> dict[int, tuple[float, float]]:
    """The shortest and longest waits (in days) of each of these tenths of a day in the period."""
    cases = _of_year(
        CaseFigures.objects.filter(
            activated_on__gte=period.start, activated_on__lte=period.end, waited_tenths__in=tenths
        ),
        period,
    )
    rows = cases.order_by().values_list("waited_tenths").annotate(Min("waited"), Max("waited"))
    return {tenth: (low.total_seconds() / 86400, high.total_seconds() / 86400) for tenth, low, high in rows}


def programme_figures(period: Period, *, today: datetime.date | None = None) -> ProgrammeFigures:
    """Everything the dashboard shows of the programme and its kits (five queries, up to two
    more for the days of months the period covers in part and for waits read one by one), from
    the figures kept as the cases change."""
    today = today or timezone.localdate()
    return ProgrammeFigures(
        period=period,
        months=period.months,
        active_by_region=active_by_region(period),
        requests_by_state=requests_by_state(period),
        waiting=waits_of_connections(period),
        kit_use=kit_use(start=period.start, end=period.end, today=today),
    )


@dataclass(frozen=True)
class UnusualReads:
    day: datetime.date
    email: str
    name: str
    cases: int


def unusual_health_reads(period: Period, *, threshold: int, limit: int = 50) -> list[UnusualReads]:
    """People who read the health data of more than ``threshold`` cases in one day of the
    period (exports included), most recent day first (one query)."""
    rows = (
        HealthDataAccess.objects.filter(at__gte=period.starts_at, at__lt=period.ends_before)
        .annotate(day=TruncDate("at", tzinfo=timezone.get_current_timezone()))
        .values("day", "user__email", "user__first_name", "user__last_name")
        .annotate(cases=Count("case", distinct=True))
        .filter(cases__gt=threshold)
        .order_by("-day", "-cases", "user__email")[:limit]
    )
    return [
        UnusualReads(
            day=row["day"],
            email=row["user__email"],
            name=f"{row['user__first_name']} {row['user__last_name']}".strip(),
            cases=row["cases"],
        )
        for row in rows
    ]
