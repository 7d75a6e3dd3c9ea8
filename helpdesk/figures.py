"""The dashboard's helpdesk figures, kept up to date by the services that change a ticket
(``TicketFigures``, ``DailyTicketFigures``) and rebuilt from the tickets by
``manage.py rebuild_ticket_figures``.

Each ticket not merged into another counts on the day it was opened: per target (first
answer, resolution), met, missed (done after its due time), or open with its due time. An
open target is late or still running depending on when the page is read: the page asks the
few open targets whose due time is still ahead, the others are late.
"""

from collections import Counter

from django.db import transaction
from django.utils import timezone

from classcontact.counters import counted_row_write, counters_add, counters_empty

from .figures_models import DailyTicketFigures, Outcome, TicketFigures
from .models import ACTIVE_STATUSES, Ticket

FIELDS = ("opened_on", "first", "first_due", "resolution", "resolution_due")
READ = (
    "pk",
    "created_at",
    "merged_into_id",
    "status",
    "first_responded_at",
    "first_response_due",
    "resolved_at",
    "resolution_due",
)


def _outcome(done_at, due, *, running: bool) -> tuple[str, object]:
    """A target's outcome and, while it is open, its due time."""
    if due is None:
        return Outcome.NONE, None
    if done_at is not None:
        return (Outcome.MET if done_at <= due else Outcome.MISSED), None
    return (Outcome.OPEN, due) if running else (Outcome.NONE, None)


def _figures(row: dict) -> dict | None:
    """A ticket's figures (None when it was merged into another: that one counts for it)."""
    if row["merged_into_id"] is not None:
        return None
    first, first_due = _outcome(row["first_responded_at"], row["first_response_due"], running=True)
    resolution, resolution_due = _outcome(
        row["resolved_at"], row["resolution_due"], running=row["status"] in ACTIVE_STATUSES
    )
    return {
        "opened_on": timezone.localdate(row["created_at"]),
        "first": first,
        "first_due": first_due,
        "resolution": resolution,
        "resolution_due": resolution_due,
    }


def _counted(figures: dict | None) -> Counter:
    """What one ticket's figures add to its day's counts."""
    if figures is None:
        return Counter()
    counted = Counter({"tickets": 1})
    for target in ("first", "resolution"):
        if figures[target] != Outcome.NONE:
            counted[f"{target}_{figures[target]}"] += 1
    return counted


# Part of the caller's transaction (no savepoint); its own when called outside one.
@transaction.atomic(savepoint=False)
def ticket_figures_refresh(*, ticket_id: int) -> None:
    """Bring one ticket's figures and its day's counts up to date (after it changed).

    Effects: the ticket's ``TicketFigures`` row written (deleted once it is merged); its
    day's counts lose what the old row added and gain what the new one adds.
    """
    row = Ticket.objects.filter(pk=ticket_id).values(*READ).first()
    new = _figures(row) if row else None
    old_row = TicketFigures.objects.select_for_update().filter(ticket_id=ticket_id).first()
    old = {name: getattr(old_row, name) for name in FIELDS} if old_row else None
    if old == new:
        return
    increments: dict[tuple, Counter] = {}
    if old is not None:
        increments.setdefault((old["opened_on"],), Counter()).subtract(_counted(old))
    if new is not None:
        increments.setdefault((new["opened_on"],), Counter()).update(_counted(new))
    counters_add(DailyTicketFigures, key=("day",), increments={k: dict(v) for k, v in increments.items()})
    counted_row_write(TicketFigures, old_row, new, ticket_id=ticket_id)


@transaction.atomic
def ticket_figures_rebuild() -> int:
    """Every ticket's figures and the daily counts, computed again from the tickets (after a
    bulk load, or to repair them). Returns the number of tickets counted."""
    counters_empty(TicketFigures, DailyTicketFigures)
    days: dict = {}
    batch: list[TicketFigures] = []
    count = 0
    for row in Ticket.objects.filter(merged_into__isnull=True).values(*READ).iterator(chunk_size=5000):
        figures = _figures(row)
        days.setdefault(figures["opened_on"], Counter()).update(_counted(figures))
        batch.append(TicketFigures(ticket_id=row["pk"], **figures))
        if len(batch) == 5000:
            TicketFigures.objects.bulk_create(batch)
            count, batch = count + len(batch), []
    TicketFigures.objects.bulk_create(batch)
    DailyTicketFigures.objects.bulk_create(
        [DailyTicketFigures(day=day, **counts) for day, counts in days.items()], batch_size=2000
    )
    return count + len(batch)
