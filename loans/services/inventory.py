"""Kits and items: registering, composing, repairing, losing and retiring them."""

import decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from schools.models import User

from ..models import (
    INVENTORY_TRANSITIONS,
    InventoryState,
    Item,
    Kit,
    KitEventKind,
    Loan,
    LoanStatus,
    Repair,
    RepairOutcome,
)
from .common import (
    ERROR_ITEM_IN_OTHER_KIT,
    ERROR_ITEM_NOT_IN_KIT,
    ERROR_ITEM_NOT_USABLE,
    ERROR_ITEM_UNKNOWN,
    ERROR_KIT_HAS_BOOKINGS,
    ERROR_KIT_IS_LENT,
    ERROR_PROBLEM_REQUIRED,
    ERROR_REPAIR_CLOSED,
    KitError,
    _align_items,
    _item_state_in,
    _kit_items,
    _kit_settle,
    _lock_item,
    _lock_kit,
    _open_repair,
    _record,
    _set_state,
)


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
    _set_state(kit, InventoryState.IN_REPAIR, by=by, kind=KitEventKind.REPAIR_OPENED, notes=problem)
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
    _set_state(item, InventoryState.IN_REPAIR, by=by, kind=KitEventKind.REPAIR_OPENED, notes=problem)
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
    _set_state(item, InventoryState.LOST, by=by, kind=KitEventKind.LOST, notes=notes)
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
    _set_state(item, InventoryState.RETIRED, by=by, kind=KitEventKind.RETIRED, notes=notes)
    if item.kit_id:
        kit_item_remove(item=item, by=by, notes=notes or _("retired"))
        item.refresh_from_db()
    return item


@transaction.atomic
def item_mark_found(*, item: Item, by: User | None, notes: str = "") -> Item:
    """A lost item turned up again: back on the shelf."""
    item = _lock_item(item)
    _set_state(item, InventoryState.AVAILABLE, by=by, notes=notes or _("found again"))
    return item


@transaction.atomic
def kit_mark_lost(*, kit: Kit, by: User | None, notes: str = "") -> Kit:
    """A whole kit is lost: the kit and every item still in it are recorded as lost."""
    kit = _lock_kit(kit)
    _set_state(kit, InventoryState.LOST, by=by, kind=KitEventKind.LOST, notes=notes)
    for item in _kit_items(kit):
        if InventoryState.LOST in INVENTORY_TRANSITIONS.get(item.state, ()):
            _set_state(item, InventoryState.LOST, by=by, kind=KitEventKind.LOST, notes=notes)
    return kit


@transaction.atomic
def kit_mark_found(*, kit: Kit, by: User | None, notes: str = "") -> Kit:
    """A lost kit is back at the depot: available again (its lost items stay lost)."""
    kit = _lock_kit(kit)
    _set_state(kit, InventoryState.AVAILABLE, by=by, notes=notes or _("found again"))
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
    _set_state(kit, InventoryState.RETIRED, by=by, kind=KitEventKind.RETIRED, notes=notes)
    for item in _kit_items(kit):
        kit_item_remove(item=item, by=by, notes=_("kit retired"))
    return kit
