"""How much the kits were used: the share of kit-days lent over a period, by kit type."""

from dataclasses import dataclass
import datetime

from django.db.models import Count, DateField, DurationField, ExpressionWrapper, F, Q, Sum, Value
from django.db.models.functions import Coalesce, Greatest, Least

from ..models import InventoryState, KitType, Loan, LoanStatus


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


def kit_use(*, start: datetime.date, end: datetime.date, today: datetime.date) -> list[KitUse]:
    """Days lent by kit type from ``start`` to ``end`` (both included), in two queries.

    A loan counts from its first day to its last (today while it is still out), cut to the
    period; reserved loans not handed over yet and cancelled ones do not count. The days a
    type could have been lent are its kits (retired ones left out) times the days of the period.
    """
    period_days = (end - start).days + 1
    types = list(
        KitType.objects.annotate(
            kit_count=Count("kits", filter=~Q(kits__state=InventoryState.RETIRED), distinct=True)
        ).order_by("name")
    )
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
    return [
        KitUse(
            kit_type=kit_type,
            kits=kit_type.kit_count,
            days_lent=days_by_type.get(kit_type.pk, 0),
            days_available=kit_type.kit_count * period_days,
        )
        for kit_type in types
    ]
