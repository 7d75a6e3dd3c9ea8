"""Human-friendly yearly reference numbers, given once each even under concurrency."""

from .models import YearlyCounter


def counter_reserve(*, scope: str, year: int, count: int = 1) -> int:
    """Reserve ``count`` consecutive numbers of ``scope`` in ``year``; returns the first.

    Must run inside a transaction: the counter row stays locked until it commits.
    """
    YearlyCounter.objects.bulk_create([YearlyCounter(scope=scope, year=year)], ignore_conflicts=True)
    counter = YearlyCounter.objects.select_for_update().get(scope=scope, year=year)
    first = counter.last_value + 1
    counter.last_value += count
    counter.save(update_fields=["last_value"])
    return first


def counter_raise_to(*, scope: str, year: int, value: int) -> None:
    """Make sure numbers up to ``value`` are never given again (after a bulk load)."""
    YearlyCounter.objects.bulk_create([YearlyCounter(scope=scope, year=year)], ignore_conflicts=True)
    YearlyCounter.objects.filter(scope=scope, year=year, last_value__lt=value).update(last_value=value)
