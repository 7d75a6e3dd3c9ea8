"""How much the kits were used: the share of kit-days lent over a period, by kit type.

``kit_use`` reads the daily rows kept as the loans change (``loans.services.usage``), whose
number does not grow with the loans; ``kit_use_from_loans`` computes the same figures from the
loans themselves, the reference the tests compare the kept rows with.
"""

from dataclasses import dataclass
import datetime

from django.db.models import (
    Count,
    DateField,
    DurationField,
    ExpressionWrapper,
    F,
    IntegerField,
    OuterRef,
    Q,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce, Greatest, Least

from ..models import InventoryState, Kit, KitType, KitUseDay, Loan, LoanStatus


@dataclass(frozen=True)
class KitUse:
    kit_type: KitType
    kits: int
    days_lent: int
    days_available: int

    @property
    def share(self) -> float:
        """Percentage of the kit-days of the period during which a kit of this type was out."""
        if not self.days_available:
            return 0.0
        return round(100 * min(self.days_lent, self.days_available) / self.days_available, 1)


def _by_type(days_by_type: dict[int, int], *, start: datetime.date, end: datetime.date) -> list[KitUse]:
    """Each kit type with its days lent; the days it could have been lent are its kits
    (retired ones left out) times the days of the period."""
    period_days = (end - start).days + 1
    # A count per type read from the index on (kit type, state), not a join over every kit.
    kits = (
        Kit.objects.filter(kit_type=OuterRef("pk"))
        .exclude(state=InventoryState.RETIRED)
        .order_by()
        .values("kit_type")
        .annotate(n=Count("*"))
        .values("n")
    )
    types = KitType.objects.annotate(
        kit_count=Coalesce(Subquery(kits, output_field=IntegerField()), 0)
    ).order_by("name")
    return [
        KitUse(
            kit_type=kit_type,
            kits=kit_type.kit_count,
            days_lent=days_by_type.get(kit_type.pk, 0),
            days_available=kit_type.kit_count * period_days,
        )
        for kit_type in types
    ]


def _days_to(last: datetime.date, *, start: datetime.date):
    """Days from a row's day (or ``start`` when the row is earlier) to ``last``, both included
    minus one (an interval, as a difference of dates is)."""
    return ExpressionWrapper(
        Value(last) - Greatest(F("day"), Value(start), output_field=DateField()), output_field=DurationField()
    )


def kit_use(*, start: datetime.date, end: datetime.date, today: datetime.date) -> list[KitUse]:
    """Days lent by kit type from ``start`` to ``end`` (both included), in two queries.

    A loan counts from its first day to its last (today while it is still out), cut to the
    period; reserved loans not handed over yet and cancelled ones do not count. The days a
    type could have been lent are its kits (retired ones left out) times the days of the period.

    Read from the kept daily changes of the number of kits out (``KitUseDay``): a change on
    day ``d`` counts on every day of the period from ``d`` on, so each row up to the end of the
    period weighs the days from its day (or the period's first) to the period's last; the
    changes of loans without a last day stop at today.
    """
    sums = {
        "lent_days": Sum(F("lent") * _days_to(end, start=start), output_field=DurationField()),
        "lent_rows": Sum("lent"),
    }
    open_last = min(today, end)
    if open_last >= start:
        counted = Q(day__lte=open_last)
        sums["open_days"] = Sum(
            F("open") * _days_to(open_last, start=start), filter=counted, output_field=DurationField()
        )
        sums["open_rows"] = Sum("open", filter=counted)
    rows = KitUseDay.objects.filter(day__lte=end).order_by().values("kit_type").annotate(**sums)
    # Each row weighs (days to the last) + 1: the sum of the intervals plus the sum of the changes.
    days_by_type = {
        row["kit_type"]: sum(
            _whole_days(row.get(f"{part}_days")) + (row.get(f"{part}_rows") or 0) for part in ("lent", "open")
        )
        for row in rows
    }
    return _by_type(days_by_type, start=start, end=end)


def _whole_days(value: datetime.timedelta | None) -> int:
    return value.days if value is not None else 0


def kit_use_from_loans(*, start: datetime.date, end: datetime.date, today: datetime.date) -> list[KitUse]:
    """``kit_use`` computed from every loan overlapping the period (the reference)."""
    last_day = Coalesce(F("end"), Value(today), output_field=DateField())
    lent = (
        Loan.objects.filter(status__in=[LoanStatus.LENT, LoanStatus.RETURNED], start__lte=end)
        .filter(Q(end__gte=start) | Q(end__isnull=True, start__lte=today))
        .annotate(
            first=Greatest(F("start"), Value(start), output_field=DateField()),
            last=Least(last_day, Value(end), output_field=DateField()),
        )
        .annotate(span=ExpressionWrapper(F("last") - F("first"), output_field=DurationField()))
        .filter(last__gte=F("first"))
        .values("kit__kit_type")
        .annotate(days=Sum("span"), loans=Count("pk"))
    )
    days_by_type = {row["kit__kit_type"]: row["days"].days + row["loans"] for row in lent}
    return _by_type(days_by_type, start=start, end=end)
