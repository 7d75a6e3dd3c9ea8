import pytest

from classcontact.workflow import InvalidTransition, check_transition
from loans import services
from loans.models import INVENTORY_TRANSITIONS, InventoryState, Item, KitEvent, KitEventKind, Repair
from tests.builders.loans import make_item, make_kit

pytestmark = pytest.mark.django_db

S = InventoryState


@pytest.mark.parametrize(
    ("current", "target", "allowed"),
    [
        (S.AVAILABLE, S.RESERVED, True),
        (S.RESERVED, S.LENT, True),
        (S.LENT, S.AVAILABLE, True),
        (S.LENT, S.IN_REPAIR, True),
        (S.IN_REPAIR, S.LENT, False),
        (S.LOST, S.LENT, False),
        (S.LOST, S.AVAILABLE, True),
        (S.RETIRED, S.AVAILABLE, False),
    ],
)
def test_the_transition_table(current, target, allowed):
    if allowed:
        check_transition(INVENTORY_TRANSITIONS, current, target)
    else:
        with pytest.raises(InvalidTransition):
            check_transition(INVENTORY_TRANSITIONS, current, target)


def test_registering_a_kit_and_its_items_is_recorded(coordinator):
    kit = make_kit(by=coordinator)
    assert (
        KitEvent.objects.filter(kit=kit, kind=KitEventKind.CREATED, actor=coordinator).count() == 5
    )  # kit + 4 items
    assert KitEvent.objects.filter(kit=kit, kind=KitEventKind.ITEM_ADDED).count() == 4
    assert kit.history.first().history_type == "+"


def test_an_item_in_repair_keeps_its_kit_in_repair_until_it_is_back(technician):
    kit = make_kit()
    camera = kit.items.get(category="camera_360")
    repair = services.item_send_to_repair(
        item=camera, by=technician, problem="No picture", workshop="Atelier Nord"
    )
    kit.refresh_from_db()
    assert kit.state == S.IN_REPAIR and repair.kit == kit
    services.repair_close(repair=repair, by=technician, outcome="repaired", cost=30)
    kit.refresh_from_db()
    camera.refresh_from_db()
    assert kit.state == S.AVAILABLE and camera.state == S.AVAILABLE
    assert KitEvent.objects.filter(kit=kit, kind=KitEventKind.REPAIR_CLOSED).count() == 2  # item, then kit


def test_an_item_beyond_repair_is_retired_and_taken_out_of_its_kit(technician):
    kit = make_kit()
    camera = kit.items.get(category="camera_360")
    repair = services.item_send_to_repair(item=camera, by=technician, problem="Burnt")
    services.repair_close(repair=repair, by=technician, outcome="beyond_repair")
    camera.refresh_from_db()
    kit.refresh_from_db()
    assert camera.state == S.RETIRED and camera.kit is None
    assert kit.state == S.AVAILABLE  # its only open repair is closed; the kit is now incomplete


def test_swapping_a_broken_item_with_a_spare_keeps_the_kit_in_service(technician):
    kit = make_kit()
    old = kit.items.get(category="keyboard")
    spare = make_item(serial="SPARE-9")
    services.kit_item_swap(
        kit=kit,
        out_item=old,
        in_serial="spare-9",
        out_to=services.SwapOut.TO_REPAIR,
        problem="Keys",
        by=technician,
    )
    old.refresh_from_db()
    spare.refresh_from_db()
    assert (old.kit, old.state) == (None, S.IN_REPAIR)
    assert (spare.kit, spare.state) == (kit, S.AVAILABLE)
    assert Repair.objects.get(item=old).problem == "Keys"
    notes = list(KitEvent.objects.filter(kit=kit).values_list("kind", "notes"))
    assert (KitEventKind.ITEM_REMOVED, "Swapped with SPARE-9") in notes


def test_swap_refuses_an_unknown_serial_or_an_item_of_another_kit(technician):
    kit, other = make_kit(), make_kit()
    old = kit.items.get(category="keyboard")
    with pytest.raises(services.KitError) as error:
        services.kit_item_swap(
            kit=kit, out_item=old, in_serial="NOPE", out_to=services.SwapOut.TO_STOCK, by=technician
        )
    assert "NOPE" in str(error.value.message)
    with pytest.raises(services.KitError):
        services.kit_item_swap(
            kit=kit,
            out_item=old,
            in_serial=other.items.first().serial_number,
            out_to=services.SwapOut.TO_STOCK,
            by=technician,
        )
    old.refresh_from_db()
    assert old.kit == kit  # nothing moved


def test_a_lost_kit_takes_its_items_with_it_and_can_be_found_again(coordinator):
    kit = make_kit()
    services.kit_mark_lost(kit=kit, by=coordinator, notes="Not back from the school.")
    kit.refresh_from_db()
    assert kit.state == S.LOST and set(kit.items.values_list("state", flat=True)) == {S.LOST}
    services.kit_mark_found(kit=kit, by=coordinator)
    kit.refresh_from_db()
    assert kit.state == S.AVAILABLE


def test_retiring_a_kit_puts_its_items_back_on_the_shelf(coordinator):
    kit = make_kit()
    services.kit_retire(kit=kit, by=coordinator, notes="End of life.")
    kit.refresh_from_db()
    assert kit.state == S.RETIRED
    assert not kit.items.exists()
    assert Item.objects.filter(state=S.AVAILABLE, kit__isnull=True).count() == 4
    with pytest.raises(services.KitError):
        services.kit_send_to_repair(kit=kit, by=coordinator, problem="x")


def test_a_repair_needs_a_problem(coordinator):
    with pytest.raises(services.KitError) as error:
        services.kit_send_to_repair(kit=make_kit(), by=coordinator, problem="  ")
    assert error.value.message == services.ERROR_PROBLEM_REQUIRED


def test_the_room_change_is_recorded_with_who_and_what(technician):
    kit = make_kit()
    services.kit_change_room(kit=kit, room="Salle 4", by=technician)
    services.kit_change_room(kit=kit, room="Salle 4", by=technician)  # no change, no event
    event = KitEvent.objects.get(kit=kit, kind=KitEventKind.ROOM_CHANGED)
    assert event.actor == technician and event.notes == "— → Salle 4"
    assert kit.history.filter(room="Salle 4").count() == 1
