"""The helpdesk against its targets over a period, for the staff dashboard (one query).

A ticket's due times were counted in helpdesk hours when it was opened or triaged (from the
``Target`` of its category and priority), so "on target" compares moments and needs no
calendar here: a first answer or a resolution is met when it came before its due time.
Merged tickets are left out: the ticket they were merged into counts for them.
"""

from dataclasses import dataclass, field
import datetime

from django.db.models import Count, DateField, F, Q
from django.db.models.functions import TruncMonth
from django.utils import timezone

from ..models import ACTIVE_STATUSES, Ticket


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


def helpdesk_figures(
    *,
    starts_at: datetime.datetime,
    ends_before: datetime.datetime,
    months: list[datetime.date],
    now: datetime.datetime | None = None,
) -> HelpdeskFigures:
    """Tickets opened from ``starts_at`` to ``ends_before``: each target met, missed, late or
    running, overall and by month of opening (the share met among those decided). One query,
    grouped by month of opening (local time); the totals are the months' sums."""
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

    def total(name: str) -> int:
        return sum(row[name] for row in by_month.values())

    def counts(target: str) -> TargetCounts:
        return TargetCounts(**{outcome: total(f"{target}_{outcome}") for outcome in conditions[target]})

    def shares(target: str) -> list[float | None]:
        return [
            TargetCounts(**{o: by_month[m][f"{target}_{o}"] for o in conditions[target]}).share_met
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
