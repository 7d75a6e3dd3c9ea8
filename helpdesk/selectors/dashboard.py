"""The helpdesk against its targets over a period, for the staff dashboard.

A ticket's due times were counted in helpdesk hours when it was opened or triaged (from the
``Target`` of its category and priority), so "on target" compares moments and needs no
calendar here: a first answer or a resolution is met when it came before its due time.
Merged tickets are left out: the ticket they were merged into counts for them.

The page reads the figures kept as tickets change (``helpdesk.figures``);
``helpdesk_figures_from_tickets`` computes them from the tickets, for the tests to compare.
"""

from dataclasses import dataclass, field
import datetime

from django.db.models import Count, DateField, F, Q, Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone

from ..models import ACTIVE_STATUSES, DailyTicketFigures, Ticket, TicketFigures

TARGETS = ("first", "resolution")


@dataclass(frozen=True)
class TargetCounts:
    met: int = 0
    missed: int = 0  # done, after the due time
    late: int = 0  # not done, past the due time
    running: int = 0  # not done, still within the due time

    @property
    def decided(self) -> int:
        return self.met + self.missed + self.late

    @property
    def share_met(self) -> float | None:
        return round(100 * self.met / self.decided, 1) if self.decided else None


@dataclass
class HelpdeskFigures:
    tickets: int
    first_response: TargetCounts
    resolution: TargetCounts
    months: list[datetime.date] = field(default_factory=list)
    first_response_by_month: list[float | None] = field(default_factory=list)
    resolution_by_month: list[float | None] = field(default_factory=list)


def _conditions(now: datetime.datetime) -> dict[str, dict[str, Q]]:
    """For each target, the condition of each outcome (tickets with no due time are in none)."""
    first_due, resolution_due = F("first_response_due"), F("resolution_due")
    return {
        "first": {
            "met": Q(first_responded_at__isnull=False, first_responded_at__lte=first_due),
            "missed": Q(first_responded_at__isnull=False, first_responded_at__gt=first_due),
            "late": Q(first_responded_at__isnull=True, first_response_due__lt=now),
            "running": Q(first_responded_at__isnull=True, first_response_due__gte=now),
        },
        "resolution": {
            "met": Q(resolved_at__isnull=False, resolved_at__lte=resolution_due),
            "missed": Q(resolved_at__isnull=False, resolved_at__gt=resolution_due),
            "late": Q(resolved_at__isnull=True, status__in=ACTIVE_STATUSES, resolution_due__lt=now),
            "running": Q(resolved_at__isnull=True, status__in=ACTIVE_STATUSES, resolution_due__gte=now),
        },
    }


def helpdesk_figures_from_tickets(
    *,
    starts_at: datetime.datetime,
    ends_before: datetime.datetime,
    months: list[datetime.date],
    now: datetime.datetime | None = None,
) -> HelpdeskFigures:
    """Tickets opened from ``starts_at`` to ``ends_before``: each target met, missed, late or
    running, overall and by month of opening (the share met among those decided). One query
    over the tickets, grouped by month of opening (local time): the reference the kept
    figures (``helpdesk_figures``) are compared with."""
    now = now or timezone.now()
    conditions = _conditions(now)
    aggregates = {
        f"{target}_{outcome}": Count("pk", filter=condition)
        for target, outcomes in conditions.items()
        for outcome, condition in outcomes.items()
    }
    by_month = {
        row.pop("month"): row
        for row in Ticket.objects.filter(
            created_at__gte=starts_at, created_at__lt=ends_before, merged_into__isnull=True
        )
        .annotate(month=TruncMonth("created_at", output_field=DateField()))
        .values("month")
        .annotate(tickets=Count("pk"), **aggregates)
        .order_by()
    }
    return _by_month(by_month, months)


def helpdesk_figures(
    *,
    starts_at: datetime.datetime,
    ends_before: datetime.datetime,
    months: list[datetime.date],
    now: datetime.datetime | None = None,
) -> HelpdeskFigures:
    """The same figures for a period of whole local days (``starts_at`` and ``ends_before`` at
    midnight), from those kept as tickets change (two queries whatever the number of tickets):
    the days' counts summed by month, and the open targets whose due time is still ahead
    (running; the other open ones are late)."""
    now = now or timezone.now()
    start = timezone.localdate(starts_at)
    end = timezone.localdate(ends_before) - datetime.timedelta(days=1)
    counted = [f"{target}_{outcome}" for target in TARGETS for outcome in ("met", "missed", "open")]
    by_month = {
        row.pop("month"): row
        for row in DailyTicketFigures.objects.filter(day__gte=start, day__lte=end)
        .annotate(month=TruncMonth("day"))
        .values("month")
        .annotate(tickets=Sum("tickets"), **{name: Sum(name) for name in counted})
        .order_by()
    }
    running = (
        TicketFigures.objects.filter(opened_on__gte=start, opened_on__lte=end)
        .filter(Q(first_due__gte=now) | Q(resolution_due__gte=now))
        .annotate(month=TruncMonth("opened_on"))
        .values("month")
        .annotate(**{target: Count("pk", filter=Q(**{f"{target}_due__gte": now})) for target in TARGETS})
        .order_by()
    )
    ahead = {row.pop("month"): row for row in running}
    for month, row in by_month.items():
        for target in TARGETS:
            row[f"{target}_running"] = ahead.get(month, {}).get(target, 0)
            row[f"{target}_late"] = row.pop(f"{target}_open") - row[f"{target}_running"]
    return _by_month(by_month, months)


def _by_month(by_month: dict[datetime.date, dict[str, int]], months: list[datetime.date]) -> HelpdeskFigures:
    """The totals (the months' sums) and each month's share met, from each month's counts."""
    outcomes = ("met", "missed", "late", "running")

    def total(name: str) -> int:
        return sum(row[name] for row in by_month.values())

    def counts(target: str) -> TargetCounts:
        return TargetCounts(**{outcome: total(f"{target}_{outcome}") for outcome in outcomes})

    def shares(target: str) -> list[float | None]:
        return [
            TargetCounts(**{o: by_month[m][f"{target}_{o}"] for o in outcomes}).share_met
            if m in by_month
            else None
            for m in months
        ]

    return HelpdeskFigures(
        tickets=total("tickets"),
        first_response=counts("first"),
        resolution=counts("resolution"),
        months=months,
        first_response_by_month=shares("first"),
        resolution_by_month=shares("resolution"),
    )
