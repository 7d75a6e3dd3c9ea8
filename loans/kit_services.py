"""Writes to kits, items, loans, visits, internet referrals and calendar feeds.

One function owns each change. Every function runs in one transaction, locks the rows it
changes, checks the change against the model's transition table, records who did what in
``KitEvent`` (the timeline of a kit and the history of an item) in the same transaction,
and sends e-mails only once that transaction has committed.

Changes of a connection case's state go through the case services in ``loans.services``;
their errors are turned into this module's messages, so a view shows one kind of error.
"""

from dataclasses import dataclass
import datetime
import decimal

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from classcontact.errors import DomainError
from classcontact.tasks_util import enqueue_on_commit
from classcontact.tokens import token_new
from classcontact.workflow import InvalidTransition, check_transition
from schools.models import School, SchoolClass, StaffRole, Trimester, User
from schools.selectors import user_has_staff_role

from . import services as case_services
from .kit_tasks import send_visit_mail
from .models import (
    INVENTORY_TRANSITIONS,
    LENDABLE_STATES,
    LOAN_OVERLAP_CONSTRAINT,
    LOAN_TRANSITIONS,
    REFERRAL_TRANSITIONS,
    VISIT_TRANSITIONS,
    CalendarFeed,
    CaseStatus,
    Condition,
    ConnectionCase,
    InternetReferral,
    InventoryState,
    Item,
    ItemCheck,
    Kit,
    KitEvent,
    KitEventKind,
    Loan,
    LoanPurpose,
    LoanStatus,
    ReferralStatus,
    Repair,
    RepairOutcome,
    Visit,
    VisitKind,
    VisitOutcome,
    VisitStatus,
    checklist_for,
)
from .models import (
    TRANSITIONS as CASE_TRANSITIONS,
)

ERROR_KIT_NOT_FREE = _(
    "This kit is already lent or reserved over these dates. Choose another kit or other dates."
)
ERROR_KIT_NOT_LENDABLE = _("This kit cannot be lent: it is %(state)s.")
ERROR_DATES_ORDER = _("The last day cannot be before the first day.")
ERROR_CASE_HAS_KIT = _("A kit is already reserved for this case.")
ERROR_CASE_NOT_READY_FOR_KIT = _(
    "A kit can only be reserved for a case declared eligible that has no kit yet."
)
ERROR_CASE_NOT_READY_FOR_RETURN = _(
    "The kit of this case can only be checked in once its retrieval is planned."
)
ERROR_KIT_STILL_OUT = _("This kit cannot be handed over now: it is %(state)s.")
ERROR_KIT_IS_LENT = _("This kit is lent: check it in before sending it to repair or retiring it.")
ERROR_KIT_HAS_BOOKINGS = _("This kit still has loans to come: cancel them or move them to another kit first.")
ERROR_ITEM_IN_OTHER_KIT = _("This item is in kit %(kit)s: take it out of that kit first.")
ERROR_ITEM_NOT_IN_KIT = _("This item is not in this kit.")
ERROR_ITEM_NOT_USABLE = _("This item cannot be put in a kit: it is %(state)s.")
ERROR_ITEM_UNKNOWN = _("No item has the serial number %(serial)s.")
ERROR_CHECKIN_INCOMPLETE = _("Check every item of the kit: %(count)s item(s) were not checked.")
ERROR_CHECKIN_UNKNOWN_ITEM = _("An item that is not in this kit was checked.")
ERROR_RETURN_BEFORE_START = _("The kit cannot come back before the loan started.")
ERROR_REPAIR_CLOSED = _("This repair is already closed.")
ERROR_PROBLEM_REQUIRED = _("Describe the problem.")
ERROR_NOT_A_TECHNICIAN = _("Choose a technician of the ClassContact team.")
ERROR_VISIT_IN_PAST = _("A visit cannot be planned in the past.")
ERROR_CASE_NO_KIT = _("Reserve a kit for this case before planning its installation.")
ERROR_INSTALLATION_NOT_READY = _(
    "The installation can only be planned once the convention and the parents' engagement are signed."
)
ERROR_RETRIEVAL_NOT_READY = _(
    "The retrieval can only be planned once the school or the parents said the kit is no longer needed."
)
ERROR_INSTALLATION_NEEDS_TRAINING_AND_GUIDE = _(
    "An installation is completed once the users are trained and the user guide is handed over: "
    "tick both, or choose another outcome."
)
ERROR_OUTCOME_REQUIRED = _("Choose the outcome of the visit.")
ERROR_REFERRAL_NEEDS_EVALUATION = _("Only an internet evaluation visit can refer to the internet provider.")
ERROR_FIXED_DATE_REQUIRED = _("Give the date the connection was fixed.")
ERROR_REASON_REQUIRED = _("Give a reason.")
ERROR_CLASS_AND_TRIMESTER = _("This trimester is not in the calendar of the class's school year.")


class KitError(DomainError):
    """A change that the rules refuse; ``message`` is shown to the person as it is."""


def _invalid(error: InvalidTransition) -> KitError:
    return KitError(error.args[0] if error.args else str(error))


# --- inventory -------------------------------------------------------------------------------


def _record(
    *,
    kind: str,
    by: User | None,
    kit: Kit | None = None,
    item: Item | None = None,
    loan: Loan | None = None,
    from_state: str = "",
    to_state: str = "",
    condition: str = "",
    notes: str = "",
) -> KitEvent:
    return KitEvent.objects.create(
        kit=kit,
        item=item,
        loan=loan,
        kind=kind,
        actor=by,
        from_state=from_state,
        to_state=to_state,
        condition=condition,
        notes=str(notes),
    )


def _set_state(
    obj: Kit | Item,
    target: str,
    *,
    by: User | None,
    kind: str = KitEventKind.STATE_CHANGED,
    loan: Loan | None = None,
    notes: str = "",
    condition: str = "",
    extra_fields: tuple[str, ...] = (),
) -> None:
    """Move a locked kit or item to ``target`` (checked against the table) and record it."""
    check_transition(INVENTORY_TRANSITIONS, obj.state, target)
    previous = obj.state
    obj.state = target
    obj.state_changed_at = timezone.now()
    obj._history_user = by
    obj.save(update_fields=["state", "state_changed_at", *extra_fields])
    if isinstance(obj, Kit):
        _record(kind=kind, by=by, kit=obj, loan=loan, from_state=previous, to_state=target, notes=notes)
    else:
        _record(
            kind=kind,
            by=by,
            kit=obj.kit,
            item=obj,
            loan=loan,
            from_state=previous,
            to_state=target,
            notes=notes,
            condition=condition,
        )


def _lock_kit(kit: Kit) -> Kit:
    return Kit.objects.select_for_update().get(pk=kit.pk)


def _lock_item(item: Item) -> Item:
    return Item.objects.select_for_update().get(pk=item.pk)


def _kit_items(kit: Kit) -> list[Item]:
    return list(Item.objects.select_for_update().filter(kit=kit).order_by("category", "serial_number"))


def _has_pending_booking(kit: Kit, *, excluding: Loan | None = None) -> bool:
    bookings = Loan.objects.filter(kit=kit, status=LoanStatus.RESERVED)
    if excluding is not None:
        bookings = bookings.exclude(pk=excluding.pk)
    return bookings.exists()


def _resting_state(kit: Kit, *, excluding: Loan | None = None) -> str:
    """Where a kit at the depot stands: reserved when a loan waits for it, else available."""
    return (
        InventoryState.RESERVED
        if _has_pending_booking(kit, excluding=excluding)
        else InventoryState.AVAILABLE
    )


def _item_state_in(kit_state: str) -> str:
    """The state an item in good order takes inside a kit of ``kit_state``."""
    if kit_state in (InventoryState.RESERVED, InventoryState.LENT):
        return kit_state
    return InventoryState.AVAILABLE


def _align_items(
    kit: Kit, *, by: User | None, kind: str = KitEventKind.STATE_CHANGED, loan: Loan | None = None
) -> None:
    """Items in good order follow their kit: reserved with a reserved kit, lent with a lent one."""
    target = _item_state_in(kit.state)
    for item in _kit_items(kit):
        if (
            item.state in (InventoryState.AVAILABLE, InventoryState.RESERVED, InventoryState.LENT)
            and item.state != target
        ):
            _set_state(item, target, by=by, kind=kind, loan=loan)


def _open_repair(
    *, by: User | None, problem: str, kit: Kit | None = None, item: Item | None = None, workshop: str = ""
) -> Repair:
    repair = Repair(kit=kit, item=item, problem=str(problem).strip(), workshop=workshop.strip(), opened_by=by)
    repair._history_user = by
    repair.save()
    return repair


def _kit_settle(kit: Kit, *, by: User | None, notes: str = "") -> None:
    """A locked kit in repair whose repairs are all closed goes back to the depot's stock."""
    if kit.state != InventoryState.IN_REPAIR:
        return
    # Repairs of the kit itself, and of the items now in it (an item swapped out no longer counts).
    open_repairs = Repair.objects.filter(closed_at__isnull=True).filter(
        Q(kit=kit, item__isnull=True) | Q(item__kit=kit)
    )
    if open_repairs.exists() or kit.items.filter(state=InventoryState.IN_REPAIR).exists():
        return
    _set_state(kit, _resting_state(kit), by=by, kind=KitEventKind.REPAIR_CLOSED, notes=notes)
    _align_items(kit, by=by)


@transaction.atomic
def kit_register(*, kit: Kit, by: User | None) -> Kit:
    """Save a new kit (built but not saved yet) and record that it entered the inventory."""
    kit.state = InventoryState.AVAILABLE
    kit._history_user = by
    kit.save()
    _record(kind=KitEventKind.CREATED, by=by, kit=kit, to_state=kit.state)
    return kit


@transaction.atomic
def item_register(*, item: Item, by: User | None) -> Item:
    """Save a new item (built but not saved yet); when it names a kit, it is put in it.

    Effects: the item is saved available (or in the kit's state when the kit is out),
    an event records its arrival, and another its place in the kit.
    """
    kit = _lock_kit(item.kit) if item.kit_id else None
    item.state = _item_state_in(kit.state) if kit else InventoryState.AVAILABLE
    item._history_user = by
    item.save()
    _record(kind=KitEventKind.CREATED, by=by, item=item, kit=kit, to_state=item.state)
    if kit is not None:
        _record(kind=KitEventKind.ITEM_ADDED, by=by, kit=kit, item=item, notes=item.serial_number)
    return item


@transaction.atomic
def kit_item_add(*, kit: Kit, item: Item, by: User | None, notes: str = "") -> Item:
    """Put an item from the shelf into a kit; it takes the kit's state (reserved, lent)."""
    kit = _lock_kit(kit)
    item = _lock_item(item)
    if item.kit_id == kit.pk:
        return item
    if item.kit_id is not None:
        raise KitError(ERROR_ITEM_IN_OTHER_KIT % {"kit": item.kit.code})
    if item.state != InventoryState.AVAILABLE:
        raise KitError(ERROR_ITEM_NOT_USABLE % {"state": item.get_state_display().lower()})
    item.kit = kit
    item._history_user = by
    item.save(update_fields=["kit"])
    _record(kind=KitEventKind.ITEM_ADDED, by=by, kit=kit, item=item, notes=notes)
    target = _item_state_in(kit.state)
    if target != item.state:
        _set_state(item, target, by=by, notes=notes)
    return item


@transaction.atomic
def kit_item_remove(*, item: Item, by: User | None, notes: str = "") -> Item:
    """Take an item out of its kit, back to the shelf; a reserved or lent item becomes available."""
    item = _lock_item(item)
    if item.kit_id is None:
        return item
    kit = _lock_kit(item.kit)
    if item.state in (InventoryState.RESERVED, InventoryState.LENT):
        _set_state(item, InventoryState.AVAILABLE, by=by, notes=notes)
    _record(kind=KitEventKind.ITEM_REMOVED, by=by, kit=kit, item=item, notes=notes)
    item.kit = None
    item._history_user = by
    item.save(update_fields=["kit"])
    return item


class SwapOut:
    """What happens to an item taken out of a kit in a swap."""

    TO_STOCK = "to_stock"
    TO_REPAIR = "to_repair"
    LOST = "lost"


@transaction.atomic
def kit_item_swap(
    *,
    kit: Kit,
    out_item: Item,
    in_serial: str,
    by: User | None,
    out_to: str = SwapOut.TO_REPAIR,
    problem: str = "",
) -> Item:
    """Replace one item of a kit by another (a repair, a replacement), with history.

    Effects: the outgoing item leaves the kit and goes to repair (with a repair record), is
    declared lost, or goes back to the shelf; the incoming item, found by its serial number,
    enters the kit in the kit's state. Both moves are recorded on the kit and on each item.
    """
    kit = _lock_kit(kit)
    out_item = _lock_item(out_item)
    if out_item.kit_id != kit.pk:
        raise KitError(ERROR_ITEM_NOT_IN_KIT)
    incoming = Item.objects.select_for_update().filter(serial_number__iexact=in_serial.strip()).first()
    if incoming is None:
        raise KitError(ERROR_ITEM_UNKNOWN % {"serial": in_serial.strip()})
    if out_to == SwapOut.TO_REPAIR and not problem.strip():
        raise KitError(ERROR_PROBLEM_REQUIRED)
    note = _("Swapped with %(serial)s") % {"serial": incoming.serial_number}
    kit_item_remove(item=out_item, by=by, notes=note)
    out_item.refresh_from_db()
    if out_to == SwapOut.TO_REPAIR:
        item_send_to_repair(item=out_item, by=by, problem=problem)
    elif out_to == SwapOut.LOST:
        item_mark_lost(item=out_item, by=by, notes=problem)
    incoming = kit_item_add(
        kit=kit, item=incoming, by=by, notes=_("Replaces %(serial)s") % {"serial": out_item.serial_number}
    )
    _kit_settle(_lock_kit(kit), by=by, notes=note)
    return incoming


@transaction.atomic
def kit_change_room(*, kit: Kit, room: str, by: User | None) -> Kit:
    """The kit moved to another room of the school it is in (not a new loan)."""
    kit = _lock_kit(kit)
    room = room.strip()
    if room == kit.room:
        return kit
    previous = kit.room
    kit.room = room
    kit._history_user = by
    kit.save(update_fields=["room"])
    _record(
        kind=KitEventKind.ROOM_CHANGED,
        by=by,
        kit=kit,
        notes=f"{previous or '—'} → {room or '—'}",
    )
    return kit


@transaction.atomic
def kit_send_to_repair(*, kit: Kit, by: User | None, problem: str, workshop: str = "") -> Repair:
    """Send a whole kit to repair: it cannot be handed over until the repair is closed."""
    if not problem.strip():
        raise KitError(ERROR_PROBLEM_REQUIRED)
    kit = _lock_kit(kit)
    if kit.state == InventoryState.LENT:
        raise KitError(ERROR_KIT_IS_LENT)
    try:
        _set_state(kit, InventoryState.IN_REPAIR, by=by, kind=KitEventKind.REPAIR_OPENED, notes=problem)
    except InvalidTransition as error:
        raise _invalid(error) from error
    return _open_repair(by=by, problem=problem, kit=kit, workshop=workshop)


@transaction.atomic
def item_send_to_repair(*, item: Item, by: User | None, problem: str, workshop: str = "") -> Repair:
    """Send one item to repair.

    Effects: the item is in repair with a repair record; it stays in its kit, and a kit
    at the depot (available or reserved) is in repair too until the item is back or swapped.
    """
    if not problem.strip():
        raise KitError(ERROR_PROBLEM_REQUIRED)
    item = _lock_item(item)
    kit = _lock_kit(item.kit) if item.kit_id else None
    try:
        _set_state(item, InventoryState.IN_REPAIR, by=by, kind=KitEventKind.REPAIR_OPENED, notes=problem)
    except InvalidTransition as error:
        raise _invalid(error) from error
    repair = _open_repair(by=by, problem=problem, kit=kit, item=item, workshop=workshop)
    if kit is not None and kit.state in (InventoryState.AVAILABLE, InventoryState.RESERVED):
        _set_state(
            kit,
            InventoryState.IN_REPAIR,
            by=by,
            kind=KitEventKind.REPAIR_OPENED,
            notes=_("%(item)s in repair") % {"item": item},
        )
    return repair


@transaction.atomic
def repair_close(
    *,
    repair: Repair,
    by: User | None,
    outcome: str,
    cost: decimal.Decimal | None = None,
    workshop: str = "",
    notes: str = "",
) -> Repair:
    """Close a repair.

    Effects: records outcome, cost and workshop; a repaired item returns to its kit's state
    (or to the shelf), an item beyond repair is retired and taken out of its kit; a kit
    whose repairs are all closed goes back to the stock (reserved when a loan waits for it).
    """
    repair = Repair.objects.select_for_update().get(pk=repair.pk)
    if repair.closed_at is not None:
        raise KitError(ERROR_REPAIR_CLOSED)
    repair.outcome = outcome
    repair.cost = cost if cost is not None else repair.cost
    repair.workshop = workshop.strip() or repair.workshop
    repair.notes = notes.strip() or repair.notes
    repair.closed_at = timezone.now()
    repair.closed_by = by
    repair._history_user = by
    repair.save(update_fields=["outcome", "cost", "workshop", "notes", "closed_at", "closed_by"])
    kit = _lock_kit(repair.kit) if repair.kit_id else None
    if repair.item_id:
        item = _lock_item(repair.item)
        if outcome == RepairOutcome.BEYOND_REPAIR:
            item_retire(item=item, by=by, notes=notes or repair.problem)
        elif item.state == InventoryState.IN_REPAIR:
            _set_state(item, InventoryState.AVAILABLE, by=by, kind=KitEventKind.REPAIR_CLOSED, notes=notes)
        item.refresh_from_db()
        if item.kit_id:
            kit = _lock_kit(item.kit)
            if kit.state == InventoryState.LENT:
                _align_items(kit, by=by)
    elif kit is not None and outcome == RepairOutcome.BEYOND_REPAIR:
        repair_kit = kit
        kit_retire(kit=repair_kit, by=by, notes=notes or repair.problem)
        return repair
    if kit is not None:
        _kit_settle(kit, by=by, notes=notes)
    return repair


@transaction.atomic
def item_mark_lost(*, item: Item, by: User | None, notes: str = "") -> Item:
    """An item is lost: it leaves its kit and is recorded as lost."""
    item = _lock_item(item)
    try:
        _set_state(item, InventoryState.LOST, by=by, kind=KitEventKind.LOST, notes=notes)
    except InvalidTransition as error:
        raise _invalid(error) from error
    if item.kit_id:
        kit_item_remove(item=item, by=by, notes=notes or _("lost"))
        item.refresh_from_db()
    return item


@transaction.atomic
def item_retire(*, item: Item, by: User | None, notes: str = "") -> Item:
    """An item leaves the inventory for good: out of its kit, retired."""
    item = _lock_item(item)
    if item.state in (InventoryState.RESERVED, InventoryState.LENT):
        raise KitError(ERROR_KIT_IS_LENT)
    try:
        _set_state(item, InventoryState.RETIRED, by=by, kind=KitEventKind.RETIRED, notes=notes)
    except InvalidTransition as error:
        raise _invalid(error) from error
    if item.kit_id:
        kit_item_remove(item=item, by=by, notes=notes or _("retired"))
        item.refresh_from_db()
    return item


@transaction.atomic
def item_mark_found(*, item: Item, by: User | None, notes: str = "") -> Item:
    """A lost item turned up again: back on the shelf."""
    item = _lock_item(item)
    try:
        _set_state(item, InventoryState.AVAILABLE, by=by, notes=notes or _("found again"))
    except InvalidTransition as error:
        raise _invalid(error) from error
    return item


@transaction.atomic
def kit_mark_lost(*, kit: Kit, by: User | None, notes: str = "") -> Kit:
    """A whole kit is lost: the kit and every item still in it are recorded as lost."""
    kit = _lock_kit(kit)
    try:
        _set_state(kit, InventoryState.LOST, by=by, kind=KitEventKind.LOST, notes=notes)
    except InvalidTransition as error:
        raise _invalid(error) from error
    for item in _kit_items(kit):
        if InventoryState.LOST in INVENTORY_TRANSITIONS.get(item.state, ()):
            _set_state(item, InventoryState.LOST, by=by, kind=KitEventKind.LOST, notes=notes)
    return kit


@transaction.atomic
def kit_mark_found(*, kit: Kit, by: User | None, notes: str = "") -> Kit:
    """A lost kit is back at the depot: available again (its lost items stay lost)."""
    kit = _lock_kit(kit)
    try:
        _set_state(kit, InventoryState.AVAILABLE, by=by, notes=notes or _("found again"))
    except InvalidTransition as error:
        raise _invalid(error) from error
    return kit


@transaction.atomic
def kit_retire(*, kit: Kit, by: User | None, notes: str = "") -> Kit:
    """Take a kit out of service for good; its items in good order go back to the shelf."""
    kit = _lock_kit(kit)
    if kit.state == InventoryState.LENT:
        raise KitError(ERROR_KIT_IS_LENT)
    if Loan.objects.filter(kit=kit, status__in=[LoanStatus.RESERVED, LoanStatus.LENT]).exists():
        raise KitError(ERROR_KIT_HAS_BOOKINGS)
    if kit.state == InventoryState.RESERVED:
        _set_state(kit, InventoryState.AVAILABLE, by=by, notes=notes)
    try:
        _set_state(kit, InventoryState.RETIRED, by=by, kind=KitEventKind.RETIRED, notes=notes)
    except InvalidTransition as error:
        raise _invalid(error) from error
    for item in _kit_items(kit):
        kit_item_remove(item=item, by=by, notes=_("kit retired"))
    return kit


# --- loans -----------------------------------------------------------------------------------


def overlapping_loans(*, kit_id: int, start: datetime.date, end: datetime.date | None):
    """Loans of a kit (not cancelled) that share at least one day with [start, end]; None is open."""
    loans = Loan.objects.filter(kit_id=kit_id).exclude(status=LoanStatus.CANCELLED)
    loans = loans.filter(Q(end__isnull=True) | Q(end__gte=start))
    if end is not None:
        loans = loans.filter(start__lte=end)
    return loans


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
    case: ConnectionCase | None = None,
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
        case=case,
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
        if "loan_one_open_per_case" in name:
            raise KitError(ERROR_CASE_HAS_KIT) from error
        raise
    if kit.state == InventoryState.AVAILABLE:
        _set_state(kit, InventoryState.RESERVED, by=by, kind=KitEventKind.RESERVED, loan=loan)
        _align_items(kit, by=by, kind=KitEventKind.RESERVED, loan=loan)
    else:
        _record(kind=KitEventKind.RESERVED, by=by, kit=kit, loan=loan)
    return loan


@transaction.atomic
def loan_create_for_case(
    *, case: ConnectionCase, kit: Kit, by: User | None, start: datetime.date | None = None, notes: str = ""
) -> Loan:
    """Reserve a kit for a connection case, from ``start`` (today) with no end yet.

    Effects: a loan reserved for the case (refused when the kit is booked over these dates,
    with the same message whether the service or the database notices); the kit and its
    items become reserved; the case moves to kit_assigned (its timeline says which kit).
    """
    case = ConnectionCase.objects.select_for_update().get(pk=case.pk)
    try:
        check_transition(CASE_TRANSITIONS, case.status, CaseStatus.KIT_ASSIGNED)
    except InvalidTransition as error:
        raise KitError(ERROR_CASE_NOT_READY_FOR_KIT) from error
    if Loan.objects.filter(case=case, status__in=[LoanStatus.RESERVED, LoanStatus.LENT]).exists():
        raise KitError(ERROR_CASE_HAS_KIT)
    loan = _loan_create(
        kit=kit,
        purpose=LoanPurpose.CONNECTION_CASE,
        school=case.school,
        case=case,
        start=start or timezone.localdate(),
        end=None,
        by=by,
        notes=notes,
    )
    case_services.case_mark_kit_assigned(case=case, by=by, note=loan.kit.code)
    return loan


@transaction.atomic
def loan_create_for_class(
    *, kit: Kit, school_class: SchoolClass, trimester: Trimester, by: User | None, notes: str = ""
) -> Loan:
    """Book a kit for a class over one trimester (first to last day of the trimester)."""
    return _loan_create(
        kit=kit,
        purpose=LoanPurpose.CLASS_TRIMESTER,
        school=school_class.school,
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
    try:
        check_transition(LOAN_TRANSITIONS, loan.status, LoanStatus.LENT)
    except InvalidTransition as error:
        raise _invalid(error) from error
    if kit.state not in (InventoryState.AVAILABLE, InventoryState.RESERVED):
        raise KitError(ERROR_KIT_STILL_OUT % {"state": kit.get_state_display().lower()})
    loan.status = LoanStatus.LENT
    loan.lent_at = timezone.now()
    loan._history_user = by
    loan.save(update_fields=["status", "lent_at"])
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
    try:
        check_transition(LOAN_TRANSITIONS, loan.status, LoanStatus.CANCELLED)
    except InvalidTransition as error:
        raise _invalid(error) from error
    loan.status = LoanStatus.CANCELLED
    loan.cancelled_at = timezone.now()
    loan._history_user = by
    loan.save(update_fields=["status", "cancelled_at"])
    if kit.state == InventoryState.RESERVED and not _has_pending_booking(kit):
        _set_state(
            kit, InventoryState.AVAILABLE, by=by, kind=KitEventKind.LOAN_CANCELLED, loan=loan, notes=reason
        )
        _align_items(kit, by=by, kind=KitEventKind.LOAN_CANCELLED, loan=loan)
    else:
        _record(kind=KitEventKind.LOAN_CANCELLED, by=by, kit=kit, loan=loan, notes=reason)
    return loan


@transaction.atomic
def loans_release_for_case(*, case: ConnectionCase, by: User | None, reason: str = "") -> list[Loan]:
    """Cancel the bookings of a case that will not need its kit (for example a withdrawn request).

    A kit already handed over is not touched: it comes back through a retrieval and a check-in.
    """
    released = []
    for loan in Loan.objects.filter(case=case, status=LoanStatus.RESERVED).order_by("pk"):
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
    returned and its last day is the return day (unless it came back late); a connection
    case moves to kit_returned.
    """
    loan = _lock_loan(loan)
    returned_on = returned_on or timezone.localdate()
    case = None
    if loan.case_id:
        case = ConnectionCase.objects.select_for_update().get(pk=loan.case_id)
        try:
            check_transition(CASE_TRANSITIONS, case.status, CaseStatus.KIT_RETURNED)
        except InvalidTransition as error:
            raise KitError(ERROR_CASE_NOT_READY_FOR_RETURN) from error
    try:
        check_transition(LOAN_TRANSITIONS, loan.status, LoanStatus.RETURNED)
    except InvalidTransition as error:
        raise _invalid(error) from error
    if returned_on < loan.start:
        raise KitError(ERROR_RETURN_BEFORE_START)
    kit = _lock_kit(loan.kit)
    items = {item.pk: item for item in _kit_items(kit)}
    by_item = {line.item_id: line for line in lines}
    if set(by_item) - set(items):
        raise KitError(ERROR_CHECKIN_UNKNOWN_ITEM)
    unchecked = set(items) - set(by_item)
    if unchecked:
        raise KitError(ERROR_CHECKIN_INCOMPLETE % {"count": len(unchecked)})

    now = timezone.now()
    problems: list[str] = []
    missing_count = 0
    for item_id, item in items.items():
        line = by_item[item_id]
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
        if item.state not in (InventoryState.RESERVED, InventoryState.LENT):
            # Already away (in repair since the loan began…): the check is recorded, the state kept.
            _record(
                kind=KitEventKind.CHECKED,
                by=by,
                kit=kit,
                item=item,
                loan=loan,
                condition=condition,
                notes=detail,
            )
            continue
        if condition == Condition.MISSING:
            missing_count += 1
            problems.append(_("%(item)s missing") % {"item": item})
            _set_state(
                item,
                InventoryState.LOST,
                by=by,
                kind=KitEventKind.CHECKED,
                loan=loan,
                condition=condition,
                notes=detail,
            )
            kit_item_remove(item=item, by=by, notes=_("Missing when the kit came back"))
        elif condition in (Condition.NOT_WORKING, Condition.DAMAGED):
            problems.append(_("%(item)s: %(condition)s") % {"item": item, "condition": check.condition_label})
            _set_state(
                item,
                InventoryState.IN_REPAIR,
                by=by,
                kind=KitEventKind.CHECKED,
                loan=loan,
                condition=condition,
                notes=detail,
            )
            _open_repair(by=by, problem=detail or check.condition_label, kit=kit, item=item)
        else:
            _set_state(
                item,
                InventoryState.AVAILABLE,
                by=by,
                kind=KitEventKind.CHECKED,
                loan=loan,
                condition=condition,
                notes=detail,
            )

    loan.status = LoanStatus.RETURNED
    loan.returned_at = now
    loan.returned_by = by
    update = ["status", "returned_at", "returned_by"]
    if loan.end is None or returned_on < loan.end:
        loan.end = returned_on
        update.append("end")
    if notes.strip():
        loan.notes = f"{loan.notes}\n{notes.strip()}".strip()
        update.append("notes")
    loan._history_user = by
    loan.save(update_fields=update)

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
    if case is not None:
        case_services.case_mark_kit_returned(case=case, by=by, note=summary)
    return loan


# --- visits ----------------------------------------------------------------------------------


def user_is_technician(user: User) -> bool:
    return bool(
        user.is_active
        and user.is_staff
        and user_has_staff_role(user, StaffRole.TECHNICIAN, StaffRole.COORDINATOR)
    )


def _open_loan_of(case: ConnectionCase) -> Loan | None:
    return (
        Loan.objects.filter(case=case, status__in=[LoanStatus.RESERVED, LoanStatus.LENT])
        .order_by("-start")
        .first()
    )


#: Nothing is installed, at school or at home, before the convention and the engagement are signed.
BEFORE_SIGNATURES = frozenset(
    {
        CaseStatus.DRAFT,
        CaseStatus.SUBMITTED,
        CaseStatus.UNDER_REVIEW,
        CaseStatus.ELIGIBLE,
        CaseStatus.KIT_ASSIGNED,
        CaseStatus.DOCUMENTS_SENT,
    }
)


def _advance_case_for_visit(*, case: ConnectionCase, kind: str, day: datetime.date, by: User | None) -> None:
    """An installation or retrieval visit plans that step of the case, through the case services."""
    if kind == VisitKind.INSTALLATION:
        if case.status == CaseStatus.INSTALLATION_PLANNED:
            return  # a further installation visit (the first one could not be completed)
        try:
            case_services.case_plan_installation(case=case, by=by, date=day)
        except InvalidTransition as error:
            raise KitError(ERROR_INSTALLATION_NOT_READY) from error
        except case_services.CaseError as error:
            raise KitError(error.message) from error
    elif kind == VisitKind.RETRIEVAL:
        if case.status == CaseStatus.RETRIEVAL_PLANNED:
            return
        try:
            case_services.case_plan_retrieval(case=case, by=by, date=day)
        except InvalidTransition as error:
            raise KitError(ERROR_RETRIEVAL_NOT_READY) from error
        except case_services.CaseError as error:
            raise KitError(error.message) from error


@transaction.atomic
def visit_plan(
    *,
    kind: str,
    starts_at: datetime.datetime,
    technician: User,
    by: User | None,
    school: School | None = None,
    case: ConnectionCase | None = None,
    loan: Loan | None = None,
    address: str = "",
    duration_minutes: int = 90,
    notes: str = "",
) -> Visit:
    """Plan a visit with a date and time, a technician and an address.

    Effects: for a case, the visit is at the case's school and tied to its kit's loan; an
    installation visit moves the case to installation_planned (refused before the documents
    are signed, and before a kit is reserved), a set-up at home is refused before the
    documents are signed too, a retrieval visit moves it to retrieval_planned; the
    technician and the school's directors are e-mailed once saved.
    """
    if not user_is_technician(technician):
        raise KitError(ERROR_NOT_A_TECHNICIAN)
    if starts_at < timezone.now():
        raise KitError(ERROR_VISIT_IN_PAST)
    if case is not None:
        case = ConnectionCase.objects.select_for_update().select_related("school").get(pk=case.pk)
        school = case.school
        loan = loan or _open_loan_of(case)
        if kind == VisitKind.INSTALLATION and loan is None:
            raise KitError(ERROR_CASE_NO_KIT)
        if kind == VisitKind.HOME_SETUP and case.status in BEFORE_SIGNATURES:
            raise KitError(ERROR_INSTALLATION_NOT_READY)
        _advance_case_for_visit(case=case, kind=kind, day=timezone.localdate(starts_at), by=by)
    elif loan is not None:
        school = loan.school
    if school is None:
        raise ValueError("A visit needs a school, a case or a loan.")
    if not address.strip():
        address = default_visit_address(kind=kind, school=school, case=case)
    visit = Visit(
        kind=kind,
        school=school,
        case=case,
        loan=loan,
        starts_at=starts_at,
        duration_minutes=duration_minutes,
        technician=technician,
        address=address.strip(),
        notes=notes.strip(),
        created_by=by,
    )
    visit._history_user = by
    visit.save()
    enqueue_on_commit(send_visit_mail, visit_id=visit.pk, event="planned")
    return visit


def default_visit_address(*, kind: str, school: School, case: ConnectionCase | None) -> str:
    """Home visits go to the pupil's home, every other visit to the school."""
    if kind == VisitKind.HOME_SETUP and case is not None and case.home_street:
        return f"{case.home_street}, {case.home_postcode} {case.home_city}".strip()
    parts = [school.name, school.street, f"{school.postcode} {school.city}".strip()]
    return ", ".join(part for part in parts if part)


def _lock_visit(visit: Visit) -> Visit:
    return Visit.objects.select_for_update().get(pk=visit.pk)


@transaction.atomic
def visit_reschedule(
    *,
    visit: Visit,
    starts_at: datetime.datetime,
    technician: User,
    by: User | None,
    duration_minutes: int | None = None,
    address: str | None = None,
) -> Visit:
    """Move a planned visit to another time or technician; calendars see the change."""
    visit = _lock_visit(visit)
    if visit.status != VisitStatus.PLANNED:
        raise KitError(_("This visit is no longer planned."))
    if not user_is_technician(technician):
        raise KitError(ERROR_NOT_A_TECHNICIAN)
    if starts_at < timezone.now():
        raise KitError(ERROR_VISIT_IN_PAST)
    visit.starts_at = starts_at
    visit.technician = technician
    if duration_minutes:
        visit.duration_minutes = duration_minutes
    if address is not None and address.strip():
        visit.address = address.strip()
    visit.sequence += 1
    visit._history_user = by
    visit.save(
        update_fields=["starts_at", "technician", "duration_minutes", "address", "sequence", "updated_at"]
    )
    enqueue_on_commit(send_visit_mail, visit_id=visit.pk, event="planned")
    return visit


@transaction.atomic
def visit_complete(
    *,
    visit: Visit,
    by: User | None,
    outcome: str,
    checklist: dict[str, bool] | None = None,
    notes: str = "",
    training_given: bool = False,
    user_guide_handed_over: bool = False,
    room: str = "",
) -> Visit:
    """Mark a visit done with its checklist, outcome and notes.

    Effects: an installation completed (users trained and user guide handed over, both
    required) hands the kit over to the school (the loan, the kit and its items are lent,
    in ``room``) and activates the case; any other outcome only records the visit, and
    another installation visit can be planned.
    """
    visit = _lock_visit(visit)
    try:
        check_transition(VISIT_TRANSITIONS, visit.status, VisitStatus.DONE)
    except InvalidTransition as error:
        raise _invalid(error) from error
    if outcome not in VisitOutcome.values:
        raise KitError(ERROR_OUTCOME_REQUIRED)
    installs = visit.kind == VisitKind.INSTALLATION and outcome == VisitOutcome.COMPLETED
    if installs and not (training_given and user_guide_handed_over):
        raise KitError(ERROR_INSTALLATION_NEEDS_TRAINING_AND_GUIDE)
    known = {key for key, _label in checklist_for(visit.kind)}
    visit.checklist = {key: bool(value) for key, value in (checklist or {}).items() if key in known}
    visit.outcome = outcome
    visit.notes = notes.strip()
    visit.training_given = training_given
    visit.user_guide_handed_over = user_guide_handed_over
    visit.status = VisitStatus.DONE
    visit.done_at = timezone.now()
    visit.done_by = by
    visit.sequence += 1
    visit._history_user = by
    visit.save(
        update_fields=[
            "checklist",
            "outcome",
            "notes",
            "training_given",
            "user_guide_handed_over",
            "status",
            "done_at",
            "done_by",
            "sequence",
            "updated_at",
        ]
    )
    if installs:
        if visit.loan_id:
            loan = Loan.objects.get(pk=visit.loan_id)
            if loan.status == LoanStatus.RESERVED:
                loan_hand_over(loan=loan, by=by, room=room)
        if visit.case_id:
            case = ConnectionCase.objects.get(pk=visit.case_id)
            if case.status == CaseStatus.INSTALLATION_PLANNED:
                case_services.case_activate(case=case, by=by, note=str(visit.get_kind_display()))
    return visit


@transaction.atomic
def visit_cancel(*, visit: Visit, by: User | None, reason: str) -> Visit:
    """Cancel a planned visit; the technician and the school are told, calendars drop it."""
    if not reason.strip():
        raise KitError(ERROR_REASON_REQUIRED)
    visit = _lock_visit(visit)
    try:
        check_transition(VISIT_TRANSITIONS, visit.status, VisitStatus.CANCELLED)
    except InvalidTransition as error:
        raise _invalid(error) from error
    visit.status = VisitStatus.CANCELLED
    visit.cancelled_at = timezone.now()
    visit.cancel_reason = reason.strip()
    visit.sequence += 1
    visit._history_user = by
    visit.save(update_fields=["status", "cancelled_at", "cancel_reason", "sequence", "updated_at"])
    enqueue_on_commit(send_visit_mail, visit_id=visit.pk, event="cancelled")
    return visit


# --- internet referrals ------------------------------------------------------------------------


@transaction.atomic
def referral_create(
    *,
    visit: Visit,
    by: User | None,
    referred_on: datetime.date | None = None,
    provider_reference: str = "",
    outcome: str = "",
) -> InternetReferral:
    """An internet evaluation ends in a referral to the partner internet provider."""
    if visit.kind != VisitKind.INTERNET_EVALUATION:
        raise KitError(ERROR_REFERRAL_NEEDS_EVALUATION)
    referral = InternetReferral(
        school_id=visit.school_id,
        case_id=visit.case_id,
        visit=visit,
        referred_on=referred_on or timezone.localdate(),
        provider_reference=provider_reference.strip(),
        outcome=outcome.strip(),
        created_by=by,
    )
    referral._history_user = by
    referral.save()
    return referral


@transaction.atomic
def referral_update(
    *,
    referral: InternetReferral,
    by: User | None,
    status: str,
    provider_reference: str = "",
    outcome: str = "",
    fixed_on: datetime.date | None = None,
) -> InternetReferral:
    """Record where the provider stands: its reference, the state, the outcome, the date fixed."""
    referral = InternetReferral.objects.select_for_update().get(pk=referral.pk)
    if status != referral.status:
        try:
            check_transition(REFERRAL_TRANSITIONS, referral.status, status)
        except InvalidTransition as error:
            raise _invalid(error) from error
    if status == ReferralStatus.FIXED and fixed_on is None:
        raise KitError(ERROR_FIXED_DATE_REQUIRED)
    referral.status = status
    referral.provider_reference = provider_reference.strip() or referral.provider_reference
    referral.outcome = outcome.strip() or referral.outcome
    referral.fixed_on = fixed_on if status == ReferralStatus.FIXED else referral.fixed_on
    referral._history_user = by
    referral.save(update_fields=["status", "provider_reference", "outcome", "fixed_on"])
    return referral


# --- calendar feeds --------------------------------------------------------------------------


def _feed_create(
    *, by: User, user: User | None = None, school: School | None = None
) -> tuple[CalendarFeed, str]:
    now = timezone.now()
    owner = Q(user=user) if user is not None else Q(school=school)
    for older in CalendarFeed.objects.select_for_update().filter(owner, revoked_at__isnull=True):
        older.revoked_at = now
        older._history_user = by
        older.save(update_fields=["revoked_at"])
    token, token_hash = token_new()
    feed = CalendarFeed(token_hash=token_hash, user=user, school=school, created_by=by)
    feed._history_user = by
    feed.save()
    return feed, token


@transaction.atomic
def feed_create_for_technician(*, technician: User, by: User) -> tuple[CalendarFeed, str]:
    """A new private calendar address of a technician's visits; an older address stops working.

    Returns the feed and its token: only the token's hash is stored, so the address can be
    shown this once.
    """
    return _feed_create(by=by, user=technician)


@transaction.atomic
def feed_create_for_school(*, school: School, by: User) -> tuple[CalendarFeed, str]:
    """A new private calendar address of a school's visits; an older address stops working."""
    return _feed_create(by=by, school=school)


@transaction.atomic
def feed_revoke(*, feed: CalendarFeed, by: User) -> CalendarFeed:
    """The address stops working at once (it answers like an unknown one)."""
    feed = CalendarFeed.objects.select_for_update().get(pk=feed.pk)
    if feed.revoked_at is None:
        feed.revoked_at = timezone.now()
        feed._history_user = by
        feed.save(update_fields=["revoked_at"])
    return feed


def feed_mark_read(*, feed: CalendarFeed) -> None:
    """Note when a calendar app last read the feed (at most once an hour; not history-worthy)."""
    now = timezone.now()
    if feed.last_used_at is None or now - feed.last_used_at > datetime.timedelta(hours=1):
        CalendarFeed.objects.filter(pk=feed.pk).update(last_used_at=now)
