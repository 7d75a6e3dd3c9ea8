"""Loans: booking a kit, handing it over, cancelling, and checking it in item by item."""

from dataclasses import dataclass
import datetime

from django.db import IntegrityError, transaction
from django.db.models import F, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from classcontact.workflow import change_state, check_transition
from schools.models import School, SchoolClass, Trimester, User

from ..holders import holder_of
from ..models import (
    FREE_ALWAYS,
    LENDABLE_STATES,
    LOAN_OVERLAP_CONSTRAINT,
    LOAN_TRANSITIONS,
    Condition,
    InventoryState,
    Item,
    ItemCheck,
    Kit,
    KitEventKind,
    Loan,
    LoanPurpose,
    LoanStatus,
    busy_facts,
    free_from,
    holder_filter,
)
from ..selectors import holder_open_loan
from .common import (
    ERROR_CHECKIN_INCOMPLETE,
    ERROR_CHECKIN_UNKNOWN_ITEM,
    ERROR_DATES_ORDER,
    ERROR_HOLDER_HAS_KIT,
    ERROR_KIT_NOT_FREE,
    ERROR_KIT_NOT_LENDABLE,
    ERROR_KIT_STILL_OUT,
    ERROR_RETURN_BEFORE_START,
    KitError,
    KitStateRefused,
    _align_items,
    _has_pending_booking,
    _kit_items,
    _lock_kit,
    _open_repair,
    _record,
    _resting_state,
    _set_state,
)
from .inventory import kit_item_remove
from .usage import kits_settle_use


def overlapping_loans(*, kit_id: int, start: datetime.date, end: datetime.date | None):
    """Loans of a kit (not cancelled) busy on at least one day of [start, end]; None is open.

    A returned kit is free from the day it came back, as for the exclusion constraint
    (``loans.models.busy_days``)."""
    loans = Loan.objects.filter(kit_id=kit_id).exclude(status=LoanStatus.CANCELLED)
    # Back on the first day of the period, or on its own first day (busy on no day at all).
    returned_on_start = Q(end=start, status=LoanStatus.RETURNED) | Q(
        end=F("start"), status=LoanStatus.RETURNED
    )
    loans = loans.filter(Q(end__isnull=True) | Q(end__gte=start)).exclude(returned_on_start)
    if end is not None:
        loans = loans.filter(start__lte=end)
    return loans


def _settle_kit(kit_id: int) -> None:
    """Set a kit's ``free_from`` and the kept use of its loans to what its loans now say, in
    the transaction that changed one of them (the kit's row is locked): every loan change
    passes here."""
    loans = Loan.objects.filter(kit_id=kit_id).exclude(status=LoanStatus.CANCELLED)
    Kit.objects.filter(pk=kit_id).update(free_from=free_from(**loans.aggregate(**busy_facts())))
    kits_settle_use(Kit.objects.filter(pk=kit_id))


@transaction.atomic
def kits_settle_free_from(kits: QuerySet[Kit]) -> int:
    """Set ``free_from`` of these kits from their loans, for loans written in bulk past the
    services (the bench's and the demo's seeders); returns how many kits changed."""
    locked = list(kits.select_for_update().order_by("pk").only("pk", "free_from"))
    facts = (
        Loan.objects.filter(kit__in=kits.order_by().values("pk"))
        .exclude(status=LoanStatus.CANCELLED)
        .order_by()
        .values("kit_id")
        .annotate(**busy_facts())
    )
    days = {row.pop("kit_id"): free_from(**row) for row in facts}
    changed = []
    for kit in locked:
        day = days.get(kit.pk, FREE_ALWAYS)
        if kit.free_from != day:
            kit.free_from = day
            changed.append(kit)
    Kit.objects.bulk_update(changed, ["free_from"], batch_size=1000)
    return len(changed)


def _constraint_name(error: IntegrityError) -> str:
    cause = error.__cause__
    diag = getattr(cause, "diag", None)
    return (getattr(diag, "constraint_name", None) or "") if diag else str(error)


def _loan_create(
    *,
    kit: Kit,
    purpose: str,
    school: School,
    start: datetime.date,
    end: datetime.date | None,
    by: User | None,
    holder=None,
    reference: str = "",
    school_class: SchoolClass | None = None,
    trimester: Trimester | None = None,
    notes: str = "",
) -> Loan:
    if end is not None and end < start:
        raise KitError(ERROR_DATES_ORDER)
    # The kit's row is the lock every loan of this kit waits for: the check below and the
    # insert happen while nobody else can book the kit.
    kit = _lock_kit(kit)
    if kit.state not in LENDABLE_STATES:
        raise KitError(ERROR_KIT_NOT_LENDABLE % {"state": kit.get_state_display().lower()})
    if overlapping_loans(kit_id=kit.pk, start=start, end=end).exists():
        raise KitError(ERROR_KIT_NOT_FREE)
    loan = Loan(
        kit=kit,
        purpose=purpose,
        school=school,
        holder=holder,
        reference=reference,
        school_class=school_class,
        trimester=trimester,
        start=start,
        end=end,
        notes=notes,
        created_by=by,
    )
    loan._history_user = by
    try:
        # A savepoint, so that the transaction stays usable when the database refuses.
        with transaction.atomic():
            loan.save()
    except IntegrityError as error:
        name = _constraint_name(error)
        if LOAN_OVERLAP_CONSTRAINT in name:
            raise KitError(ERROR_KIT_NOT_FREE) from error
        if "loan_one_open_per_holder" in name:
            raise KitError(ERROR_HOLDER_HAS_KIT) from error
        raise
    _settle_kit(kit.pk)
    if kit.state == InventoryState.AVAILABLE:
        _set_state(kit, InventoryState.RESERVED, by=by, kind=KitEventKind.RESERVED, loan=loan)
        _align_items(kit, by=by, kind=KitEventKind.RESERVED, loan=loan)
    else:
        _record(kind=KitEventKind.RESERVED, by=by, kit=kit, loan=loan)
    return loan


@transaction.atomic
def loan_create_for_holder(
    *,
    holder,
    reference: str,
    school: School,
    kit: Kit,
    by: User | None,
    purpose: str = LoanPurpose.CONNECTION_CASE,
    start: datetime.date | None = None,
    notes: str = "",
) -> Loan:
    """Reserve a kit for a programme's record, from ``start`` (today) with no end yet.

    Effects: a loan reserved for ``holder`` (refused when the kit is booked over these dates,
    with the same message whether the service or the database notices, and when the record
    already has an open loan); the kit and its items become reserved. The caller (the
    programme) locks its record first and moves its own state.
    """
    if holder_open_loan(holder) is not None:
        raise KitError(ERROR_HOLDER_HAS_KIT)
    return _loan_create(
        kit=kit,
        purpose=purpose,
        school=school,
        holder=holder,
        reference=reference,
        start=start or timezone.localdate(),
        end=None,
        by=by,
        notes=notes,
    )


@transaction.atomic
def loan_create_for_class(
    *,
    kit: Kit,
    school_class: SchoolClass,
    trimester: Trimester,
    by: User | None,
    notes: str = "",
    holder=None,
    reference: str = "",
) -> Loan:
    """Book a kit for a class over one trimester (first to last day of the trimester),
    for a programme's record when ``holder`` is given (one open loan per record)."""
    if holder is not None and holder_open_loan(holder) is not None:
        raise KitError(ERROR_HOLDER_HAS_KIT)
    return _loan_create(
        kit=kit,
        purpose=LoanPurpose.CLASS_TRIMESTER,
        school=school_class.school,
        holder=holder,
        reference=reference,
        school_class=school_class,
        trimester=trimester,
        start=trimester.start,
        end=trimester.end,
        by=by,
        notes=notes,
    )


def _lock_loan(loan: Loan) -> Loan:
    return Loan.objects.select_for_update().select_related("kit").get(pk=loan.pk)


@transaction.atomic
def loan_hand_over(*, loan: Loan, by: User | None, room: str = "") -> Loan:
    """The kit leaves the depot for the school: the loan, the kit and its items are lent.

    Effects: refused while the kit is still out on another loan or in repair; the kit's
    place becomes the loan's school (and ``room`` when given).
    """
    loan = _lock_loan(loan)
    kit = _lock_kit(loan.kit)
    check_transition(LOAN_TRANSITIONS, loan.status, LoanStatus.LENT, refused=KitStateRefused)
    if kit.state not in (InventoryState.AVAILABLE, InventoryState.RESERVED):
        raise KitError(ERROR_KIT_STILL_OUT % {"state": kit.get_state_display().lower()})
    _set_loan_status(loan, LoanStatus.LENT, by=by, changes={"lent_at": timezone.now()})
    kit.school = loan.school
    kit.room = room.strip()
    _set_state(
        kit, InventoryState.LENT, by=by, kind=KitEventKind.LENT, loan=loan, extra_fields=("school", "room")
    )
    _align_items(kit, by=by, kind=KitEventKind.LENT, loan=loan)
    return loan


@transaction.atomic
def loan_cancel(*, loan: Loan, by: User | None, reason: str = "") -> Loan:
    """A booking that will not happen: the loan is cancelled and frees its dates.

    Effects: a kit that was reserved for it goes back to available (or stays reserved for
    another booking), and so do its reserved items.
    """
    loan = _lock_loan(loan)
    kit = _lock_kit(loan.kit)
    _set_loan_status(loan, LoanStatus.CANCELLED, by=by, changes={"cancelled_at": timezone.now()})
    if kit.state == InventoryState.RESERVED and not _has_pending_booking(kit):
        _set_state(
            kit, InventoryState.AVAILABLE, by=by, kind=KitEventKind.LOAN_CANCELLED, loan=loan, notes=reason
        )
        _align_items(kit, by=by, kind=KitEventKind.LOAN_CANCELLED, loan=loan)
    else:
        _record(kind=KitEventKind.LOAN_CANCELLED, by=by, kit=kit, loan=loan, notes=reason)
    return loan


@transaction.atomic
def loans_release_for_holder(*, holder, by: User | None, reason: str = "") -> list[Loan]:
    """Cancel the bookings of a record that will not need its kit (for example a withdrawn request).

    A kit already handed over is not touched: it comes back through a retrieval and a check-in.
    """
    released = []
    for loan in Loan.objects.filter(**holder_filter(holder), status=LoanStatus.RESERVED).order_by("pk"):
        released.append(loan_cancel(loan=loan, by=by, reason=reason))
    return released


@dataclass(frozen=True)
class CheckLine:
    """One line of the check-in form: how one item came back."""

    item_id: int
    present: bool
    works: bool
    damage: str = ""
    note: str = ""


@transaction.atomic
def loan_check_in(
    *,
    loan: Loan,
    by: User | None,
    lines: list[CheckLine],
    returned_on: datetime.date | None = None,
    notes: str = "",
) -> Loan:
    """Check a kit in, item by item, and close its loan.

    Effects: one check per item (present, works, damage, note); a missing item is declared
    lost and taken out of the kit; a damaged or broken item goes to repair (with a repair
    record); the kit goes to repair when anything is wrong (until a replacement is put in),
    else back to the stock; the kit is back at the depot (no school, no room); the loan is
    returned and its last day is the return day (unless it came back late); the programme
    whose record the loan was for hears of it (a connection case moves to kit_returned).
    """
    loan = _lock_loan(loan)
    returned_on = returned_on or timezone.localdate()
    holder, handler = holder_of(loan)
    if holder is not None and (refusal := handler.check_in_refusal(holder)):
        raise KitError(refusal)
    check_transition(LOAN_TRANSITIONS, loan.status, LoanStatus.RETURNED, refused=KitStateRefused)
    if returned_on < loan.start:
        raise KitError(ERROR_RETURN_BEFORE_START)
    kit = _lock_kit(loan.kit)
    items = _checked_items(kit, lines)
    problems, missing_count = _record_item_checks(loan=loan, kit=kit, items=items, by=by)
    _close_returned_loan(loan, by=by, returned_on=returned_on, notes=notes)
    summary = _settle_returned_kit(kit, loan=loan, by=by, problems=problems, missing_count=missing_count)
    if holder is not None:
        handler.kit_checked_in(holder, loan=loan, by=by, summary=summary)
    return loan


def _checked_items(kit: Kit, lines: list[CheckLine]) -> list[tuple[Item, CheckLine]]:
    """Each item of the kit with its line; refused unless every item, and only those, is checked."""
    items = {item.pk: item for item in _kit_items(kit)}
    by_item = {line.item_id: line for line in lines}
    if set(by_item) - set(items):
        raise KitError(ERROR_CHECKIN_UNKNOWN_ITEM)
    unchecked = set(items) - set(by_item)
    if unchecked:
        raise KitError(ERROR_CHECKIN_INCOMPLETE % {"count": len(unchecked)})
    return [(item, by_item[item_id]) for item_id, item in items.items()]


def _record_item_checks(
    *, loan: Loan, kit: Kit, items: list[tuple[Item, CheckLine]], by: User | None
) -> tuple[list[str], int]:
    """One check per item, and each item's new state; returns the problems and the missing count."""
    now = timezone.now()
    problems: list[str] = []
    missing_count = 0
    for item, line in items:
        check = ItemCheck(
            loan=loan,
            item=item,
            present=line.present,
            works=line.works if line.present else False,
            damage=line.damage.strip(),
            note=line.note.strip(),
            checked_at=now,
            checked_by=by,
        )
        check._history_user = by
        check.save()
        condition = check.condition
        detail = "; ".join(part for part in (check.damage, check.note) if part)
        event = {
            "by": by,
            "kind": KitEventKind.CHECKED,
            "loan": loan,
            "condition": condition,
            "notes": detail,
        }
        if item.state not in (InventoryState.RESERVED, InventoryState.LENT):
            # Already away (in repair since the loan began…): the check is recorded, the state kept.
            _record(kit=kit, item=item, **event)
        elif condition == Condition.MISSING:
            missing_count += 1
            problems.append(_("%(item)s missing") % {"item": item})
            _set_state(item, InventoryState.LOST, **event)
            kit_item_remove(item=item, by=by, notes=_("Missing when the kit came back"))
        elif condition in (Condition.NOT_WORKING, Condition.DAMAGED):
            problems.append(_("%(item)s: %(condition)s") % {"item": item, "condition": check.condition_label})
            _set_state(item, InventoryState.IN_REPAIR, **event)
            _open_repair(by=by, problem=detail or check.condition_label, kit=kit, item=item)
        else:
            _set_state(item, InventoryState.AVAILABLE, **event)
    return problems, missing_count


def _close_returned_loan(loan: Loan, *, by: User | None, returned_on: datetime.date, notes: str) -> None:
    changes = {"returned_at": timezone.now(), "returned_by": by}
    if loan.end is None or returned_on < loan.end:
        changes["end"] = returned_on
    if notes.strip():
        changes["notes"] = f"{loan.notes}\n{notes.strip()}".strip()
    _set_loan_status(loan, LoanStatus.RETURNED, by=by, changes=changes)


def _set_loan_status(loan: Loan, target: str, *, by: User | None, changes: dict) -> None:
    """Move a locked loan along its table; its kit's events tell the story, so no event here."""
    change_state(loan, target, table=LOAN_TRANSITIONS, by=by, changes=changes, refused=KitStateRefused)
    _settle_kit(loan.kit_id)


def _settle_returned_kit(
    kit: Kit, *, loan: Loan, by: User | None, problems: list[str], missing_count: int
) -> str:
    """The kit back at the depot, in repair when anything was wrong; returns the summary."""
    kit = _lock_kit(kit)
    kit.school = None
    kit.room = ""
    if problems:
        target = InventoryState.IN_REPAIR
        summary = "; ".join(str(problem) for problem in problems)
    else:
        target = _resting_state(kit, excluding=loan)
        summary = str(_("Every item present and working"))
    _set_state(
        kit,
        target,
        by=by,
        kind=KitEventKind.RETURNED,
        loan=loan,
        notes=summary,
        extra_fields=("school", "room"),
    )
    if missing_count:
        # The kit waits for replacements: this repair is closed once they are put in.
        _open_repair(by=by, problem=summary, kit=kit)
    _align_items(kit, by=by, loan=loan)
    return summary
