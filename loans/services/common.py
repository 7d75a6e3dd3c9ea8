"""What every change of the logistics shares: its errors, its events, its locks and states."""

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from classcontact.errors import DomainError
from classcontact.workflow import InvalidTransition, StateChange, change_state
from schools.models import User

from ..models import (
    INVENTORY_TRANSITIONS,
    InventoryState,
    Item,
    Kit,
    KitEvent,
    KitEventKind,
    Loan,
    LoanStatus,
    Repair,
)

ERROR_KIT_NOT_FREE = _(
    "This kit is already lent or reserved over these dates. Choose another kit or other dates."
)
ERROR_KIT_NOT_LENDABLE = _("This kit cannot be lent: it is %(state)s.")
ERROR_DATES_ORDER = _("The last day cannot be before the first day.")
ERROR_HOLDER_HAS_KIT = _("A kit is already reserved for this case.")
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
ERROR_INSTALLATION_NEEDS_TRAINING_AND_GUIDE = _(
    "An installation is completed once the users are trained and the user guide is handed over: "
    "tick both, or choose another outcome."
)
ERROR_OUTCOME_REQUIRED = _("Choose the outcome of the visit.")
ERROR_EARLY_NEEDS_REASON = _("This visit is planned for a later day: say why it is marked done already.")
ERROR_REFERRAL_NEEDS_EVALUATION = _("Only an internet evaluation visit can refer to the internet provider.")
ERROR_FIXED_DATE_REQUIRED = _("Give the date the connection was fixed.")
ERROR_REASON_REQUIRED = _("Give a reason.")
ERROR_CLASS_AND_TRIMESTER = _("This trimester is not in the calendar of the class's school year.")


class KitError(DomainError):
    """A change that the rules refuse; ``message`` is shown to the person as it is."""


class KitStateRefused(InvalidTransition, KitError):
    """A state change that the tables of the logistics do not allow (a ``KitError`` too)."""


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

    def record(change: StateChange) -> KitEvent:
        return _record(
            kind=kind,
            by=by,
            kit=obj if isinstance(obj, Kit) else obj.kit,
            item=None if isinstance(obj, Kit) else obj,
            loan=loan,
            from_state=change.previous,
            to_state=change.target,
            notes=notes,
            condition="" if isinstance(obj, Kit) else condition,
        )

    change_state(
        obj,
        target,
        table=INVENTORY_TRANSITIONS,
        by=by,
        field="state",
        fields=extra_fields,
        record=record,
        refused=KitStateRefused,
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
