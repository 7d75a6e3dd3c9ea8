"""The kit-days lent by kit type, kept as the loans change (``LoanUse``, ``KitUseDay``).

A loan counts once handed over (lent, then returned), from its first day to its last, or to
today while it has none. Each such loan has one ``LoanUse`` row; its kit type's daily rows hold
the changes of the number of kits out: +1 on its first day and −1 the day after its last one
(``lent``), or +1 on its first day only while it has no last day (``open``, counted to today
when read). Every change of a loan passes by ``kits_settle_use`` for its kit, in the same
transaction: the difference between the loans and their rows is added to the daily rows, in
one statement that two changes at once cannot lose. ``loans.selectors.usage.kit_use`` reads
them; ``manage.py rebuild_kit_use`` counts everything again.
"""

from collections import Counter, defaultdict
import datetime

from django.db import transaction
from django.db.models import QuerySet

from classcontact.counters import counters_add, counters_empty

from ..models import Kit, KitUseDay, Loan, LoanStatus, LoanUse

COUNTED = (LoanStatus.LENT, LoanStatus.RETURNED)
Use = tuple[int, datetime.date, datetime.date | None]  # kit type, first day, last day (None: open)
CHUNK = 2000


def _uses(loans: QuerySet[Loan]) -> dict[int, Use]:
    """What each counted loan of ``loans`` adds, by loan."""
    rows = loans.filter(status__in=COUNTED).order_by().values_list("pk", "kit__kit_type_id", "start", "end")
    return {pk: (kit_type, start, end) for pk, kit_type, start, end in rows.iterator(chunk_size=CHUNK)}


def _count(deltas: defaultdict, use: Use | None, sign: int) -> None:
    """Add (``sign`` 1) or take away (-1) one loan's changes to the daily rows."""
    if use is None:
        return
    kit_type, first, last = use
    if last is None:
        deltas[(kit_type, first)]["open"] += sign
        return
    deltas[(kit_type, first)]["lent"] += sign
    if last < datetime.date.max:  # a last day that far never ends within a period
        deltas[(kit_type, last + datetime.timedelta(days=1))]["lent"] -= sign


def _add(deltas: defaultdict) -> None:
    keys = sorted(deltas)
    for n in range(0, len(keys), CHUNK):
        counters_add(
            KitUseDay,
            key=("kit_type_id", "day"),
            increments={key: dict(deltas[key]) for key in keys[n : n + CHUNK]},
        )


# Part of the caller's transaction (no savepoint); its own when called outside one.
@transaction.atomic(savepoint=False)
def kits_settle_use(kits: QuerySet[Kit]) -> int:
    """Bring the kept use of these kits' loans up to what the loans say now: after each change
    of a loan (the services, for its kit), of a kit's type, or loans written in bulk past the
    services (the seeders). Returns how many loans' rows changed.

    Effects: each counted loan's ``LoanUse`` row written (deleted when it no longer counts);
    the daily rows of its kit type lose what the old row added and gain what the new one adds.
    """
    kit_ids = kits.order_by().values("pk")
    new = _uses(Loan.objects.filter(kit__in=kit_ids))
    kept = {
        row.pk: row
        for row in LoanUse.objects.select_for_update(of=("self",))
        .filter(loan__kit__in=kit_ids)
        .order_by("pk")
    }
    deltas: defaultdict = defaultdict(Counter)
    created, changed = [], []
    for loan_id, row in kept.items():
        old = (row.kit_type_id, row.first, row.last)
        use = new.get(loan_id)
        if use == old:
            continue
        _count(deltas, old, -1)
        _count(deltas, use, 1)
        if use is not None:
            row.kit_type_id, row.first, row.last = use
            changed.append(row)
    for loan_id, use in new.items():
        if loan_id not in kept:
            _count(deltas, use, 1)
            created.append(LoanUse(loan_id=loan_id, kit_type_id=use[0], first=use[1], last=use[2]))
    gone = [loan_id for loan_id in kept if loan_id not in new]
    _add(deltas)
    LoanUse.objects.filter(pk__in=gone).delete()
    LoanUse.objects.bulk_update(changed, ["kit_type", "first", "last"], batch_size=CHUNK)
    LoanUse.objects.bulk_create(created, batch_size=CHUNK)
    return len(created) + len(changed) + len(gone)


@transaction.atomic
def kit_use_rebuild() -> int:
    """The kept use of every loan counted again from the loans (after a bulk load, or to
    repair it). Returns the number of loans counted."""
    counters_empty(LoanUse, KitUseDay)
    return kits_settle_use(Kit.objects.all())
