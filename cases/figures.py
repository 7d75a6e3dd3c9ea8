"""The dashboard's figures, kept up to date with each change of a case (``CaseFigures``,
``DailyFigures``) and rebuilt from the cases and their timelines by
``manage.py rebuild_case_figures``.

A submitted case adds one request to the day it was submitted (under the state it is in now)
and, once connected, one connection started on the day of its kit's installation and one
ended on the day of its first return, closing or withdrawal, under its school's region, and
its wait (rounded to a tenth of a day) to the month of its connection. Every event that changes
a case's state refreshes that case's row: the difference with the row it had is added to the
daily and monthly counts, in one statement that two changes at once cannot lose.
"""

from collections import Counter
from collections.abc import Iterable
import datetime

from django.db import transaction
from django.db.models import F, Min, Q, QuerySet
from django.utils import timezone

from classcontact.counters import counted_row_write, counters_add, counters_empty

from .figures_models import CaseFigures, DailyFigures, WaitFigures
from .models import ConnectionCase, EventKind

# A connection ends when the kit comes back, or when the case is closed or withdrawn first.
END_KINDS = (EventKind.KIT_RETURNED, EventKind.CLOSED, EventKind.WITHDRAWN)
FIELDS = (
    "programme_year",
    "region",
    "status",
    "submitted_on",
    "activated_at",
    "activated_on",
    "ended_on",
    "waited",
    "waited_tenths",
)
MEASURES = ("requests", "connected", "ended")
Key = tuple  # (day, programme_year, region, status)
WAIT_KEY = ("month", "programme_year", "tenths")


def tenths(waited: datetime.timedelta) -> int:
    """A wait in tenths of a day, rounded as the dashboard rounds the days it shows."""
    return round(round(waited.total_seconds() / 86400, 1) * 10)


def _contributions(cases: QuerySet[ConnectionCase]) -> Iterable[tuple[int, dict]]:
    """Each submitted case's figures, read from the case, its school and its timeline."""
    rows = (
        cases.filter(submitted_at__isnull=False)
        .order_by()
        .values("pk", "programme_year", "status", "submitted_at", region=F("school__region"))
        .annotate(
            activated_at=Min("events__at", filter=Q(events__kind=EventKind.ACTIVATED)),
            ended_at=Min("events__at", filter=Q(events__kind__in=END_KINDS)),
        )
    )
    for row in rows.iterator(chunk_size=2000):
        activated_at, ended_at = row["activated_at"], row["ended_at"]
        yield (
            row["pk"],
            {
                "programme_year": row["programme_year"],
                "region": row["region"] or "",
                "status": row["status"],
                "submitted_on": timezone.localdate(row["submitted_at"]),
                "activated_at": activated_at,
                "activated_on": timezone.localdate(activated_at) if activated_at else None,
                "ended_on": timezone.localdate(ended_at) if activated_at and ended_at else None,
                "waited": activated_at - row["submitted_at"] if activated_at else None,
                "waited_tenths": tenths(activated_at - row["submitted_at"]) if activated_at else None,
            },
        )


def _counted(figures: dict | None) -> list[tuple[Key, str]]:
    """The daily counts one case's figures add to: (day, year, region, state) and measure."""
    if figures is None:
        return []
    year, region = figures["programme_year"], figures["region"]
    counted = [((figures["submitted_on"], year, "", figures["status"]), "requests")]
    if figures["activated_on"] is not None:
        counted.append(((figures["activated_on"], year, region, ""), "connected"))
        if figures["ended_on"] is not None:
            counted.append(((figures["ended_on"], year, region, ""), "ended"))
    return counted


def _waited(figures: dict | None) -> list[tuple]:
    """The monthly count of waits one case's figures add to: (month, year, tenths)."""
    if figures is None or figures["waited_tenths"] is None:
        return []
    return [(figures["activated_on"].replace(day=1), figures["programme_year"], figures["waited_tenths"])]


def _add_waits(deltas: Counter) -> None:
    counters_add(WaitFigures, key=WAIT_KEY, increments={key: {"connected": n} for key, n in deltas.items()})


def _add(deltas: Counter) -> None:
    """Add ``deltas`` ((key, measure) → n) to the daily counts, creating the missing days."""
    increments: dict[Key, dict[str, int]] = {}
    for (key, measure), n in deltas.items():
        counts = increments.setdefault(key, dict.fromkeys(MEASURES, 0))
        counts[measure] += n
    counters_add(DailyFigures, key=("day", "programme_year", "region", "status"), increments=increments)


# Part of the caller's transaction (no savepoint); its own when called outside one.
@transaction.atomic(savepoint=False)
def case_figures_refresh(*, case_id: int) -> None:
    """Bring one case's figures and the daily counts up to date (after its timeline changed).

    Effects: the case's ``CaseFigures`` row written (or deleted when it is no longer
    submitted); the daily counts lose what the old row added and gain what the new one adds.
    """
    new = dict(_contributions(ConnectionCase.objects.filter(pk=case_id))).get(case_id)
    old_row = CaseFigures.objects.select_for_update().filter(case_id=case_id).first()
    old = {name: getattr(old_row, name) for name in FIELDS} if old_row else None
    if old == new:
        return
    deltas, waits = Counter(), Counter()
    deltas.subtract(_counted(old))
    deltas.update(_counted(new))
    _add(deltas)
    waits.subtract(_waited(old))
    waits.update(_waited(new))
    _add_waits(waits)
    counted_row_write(CaseFigures, old_row, new, case_id=case_id)


@transaction.atomic
def case_figures_rebuild() -> int:
    """Every case's figures and the daily counts, computed again from the cases and their
    timelines (after a bulk load, or to repair them). Returns the number of cases counted."""
    counters_empty(CaseFigures, DailyFigures, WaitFigures)
    deltas: Counter = Counter()
    waits: Counter = Counter()
    batch: list[CaseFigures] = []
    count = 0
    for case_id, figures in _contributions(ConnectionCase.objects.all()):
        deltas.update(_counted(figures))
        waits.update(_waited(figures))
        batch.append(CaseFigures(case_id=case_id, **figures))
        if len(batch) == 2000:
            CaseFigures.objects.bulk_create(batch)
            count, batch = count + len(batch), []
    CaseFigures.objects.bulk_create(batch)
    days: dict[Key, dict[str, int]] = {}
    for (key, measure), n in deltas.items():
        days.setdefault(key, dict.fromkeys(MEASURES, 0))[measure] += n
    DailyFigures.objects.bulk_create(
        [
            DailyFigures(day=day, programme_year=year, region=region, status=status, **counts)
            for (day, year, region, status), counts in days.items()
        ],
        batch_size=2000,
    )
    WaitFigures.objects.bulk_create(
        [WaitFigures(**dict(zip(WAIT_KEY, key, strict=True)), connected=n) for key, n in waits.items() if n],
        batch_size=2000,
    )
    return count + len(batch)
