from django.urls import reverse
from django.utils import timezone
import pytest

from cases import services as case_services
from cases.models import CaseStatus, ConnectionCase
from classcontact.errors import DomainError
from loans import services
from loans.models import InventoryState, ItemCheck, KitEvent, KitEventKind, LoanStatus, Repair
from tests.builders.loans import installed_case, make_item, retrieval_planned_case

pytestmark = pytest.mark.django_db


def _lines(loan, **overrides):
    lines = []
    for item in loan.kit.items.all():
        values = {"present": True, "works": True, "damage": "", "note": ""}
        values.update(overrides.get(item.category, {}))
        lines.append(services.CheckLine(item_id=item.pk, **values))
    return lines


def test_a_kit_back_in_order_closes_the_loan_and_the_case_moves_to_kit_returned(
    school_a, director_a, coordinator, technician
):
    case, loan = retrieval_planned_case(school_a, director_a, coordinator, technician)
    services.loan_check_in(loan=loan, by=technician, lines=_lines(loan))
    loan.refresh_from_db()
    case.refresh_from_db()
    kit = loan.kit
    kit.refresh_from_db()
    assert loan.status == LoanStatus.RETURNED and loan.end is not None and loan.returned_by == technician
    assert case.status == CaseStatus.KIT_RETURNED
    assert kit.state == InventoryState.AVAILABLE and kit.school is None and kit.room == ""
    assert set(kit.items.values_list("state", flat=True)) == {InventoryState.AVAILABLE}
    assert ItemCheck.objects.filter(loan=loan).count() == 4
    assert KitEvent.objects.filter(kit=kit, kind=KitEventKind.CHECKED, condition="good").count() == 4
    assert KitEvent.objects.filter(kit=kit, kind=KitEventKind.RETURNED, loan=loan).exists()


def test_a_missing_item_is_lost_and_a_broken_one_goes_to_repair(
    school_a, director_a, coordinator, technician
):
    case, loan = retrieval_planned_case(school_a, director_a, coordinator, technician)
    lines = _lines(
        loan,
        keyboard={"present": False, "note": "Not found at home."},
        camera_360={"works": False, "damage": "Cracked lens"},
    )
    services.loan_check_in(loan=loan, by=technician, lines=lines)
    kit = loan.kit
    kit.refresh_from_db()
    keyboard = ItemCheck.objects.get(loan=loan, item__category="keyboard").item
    camera = kit.items.get(category="camera_360")
    assert keyboard.state == InventoryState.LOST and keyboard.kit is None
    assert camera.state == InventoryState.IN_REPAIR and camera.kit == kit
    assert kit.state == InventoryState.IN_REPAIR
    repairs = Repair.objects.filter(closed_at__isnull=True)
    assert repairs.filter(item=camera, problem="Cracked lens").exists()
    assert repairs.filter(kit=kit, item__isnull=True).exists()  # waiting for a new keyboard
    assert KitEvent.objects.filter(item=keyboard, condition="missing").exists()
    case.refresh_from_db()
    assert case.status == CaseStatus.KIT_RETURNED

    # The camera comes back from the workshop, a spare keyboard is put in, the kit is whole again.
    services.repair_close(
        repair=repairs.get(item=camera), by=technician, outcome="repaired", cost=45, workshop="Atelier Nord"
    )
    spare = make_item(category="keyboard")
    services.kit_item_add(kit=kit, item=spare, by=technician)
    kit.refresh_from_db()
    assert kit.state == InventoryState.IN_REPAIR
    services.repair_close(repair=repairs.get(kit=kit, item__isnull=True), by=technician, outcome="repaired")
    kit.refresh_from_db()
    assert kit.state == InventoryState.AVAILABLE
    assert Repair.objects.get(item=camera).cost == 45


def test_check_in_must_cover_every_item(school_a, director_a, coordinator, technician):
    _case, loan = retrieval_planned_case(school_a, director_a, coordinator, technician)
    with pytest.raises(services.KitError):
        services.loan_check_in(loan=loan, by=technician, lines=_lines(loan)[:2])
    loan.refresh_from_db()
    assert loan.status == LoanStatus.LENT
    assert not ItemCheck.objects.exists()


def test_a_case_kit_is_checked_in_only_once_its_retrieval_is_planned(
    school_a, director_a, coordinator, technician
):
    _case, loan = installed_case(school_a, director_a, coordinator, technician)
    with pytest.raises(services.KitError) as error:
        services.loan_check_in(loan=loan, by=technician, lines=_lines(loan))
    assert error.value.message == case_services.ERROR_CASE_NOT_READY_FOR_RETURN


def test_a_closed_case_names_the_kit_it_had_and_offers_no_visit_to_plan(
    client, school_a, director_a, coordinator, technician
):
    case, loan = retrieval_planned_case(school_a, director_a, coordinator, technician)
    services.loan_check_in(loan=loan, by=technician, lines=_lines(loan))
    case_services.case_close(case=ConnectionCase.objects.get(pk=case.pk), by=coordinator)
    client.force_login(coordinator)

    page = client.get(reverse("cases:staff_detail", args=[case.public_id])).content.decode()

    assert 'data-testid="case-returned-kit"' in page and loan.kit.code in page
    assert 'data-testid="plan-visit-link"' not in page
    assert "Find and reserve a kit" not in page


def test_a_kit_returned_today_is_free_from_today_on(client, school_a, director_a, coordinator, technician):
    from loans.selectors import kits_free_between
    from tests.builders.loans import eligible_case

    case, loan = retrieval_planned_case(school_a, director_a, coordinator, technician)
    services.loan_check_in(loan=loan, by=technician, lines=_lines(loan))
    loan.refresh_from_db()
    today = timezone.localdate()
    assert loan.end == today
    kit = loan.kit

    free = kits_free_between(kit_type=kit.kit_type, start=today, end=None)
    assert kit.pk in free.ranked_ids(0, 10)
    client.force_login(coordinator)
    page = client.get(
        reverse("loans:availability"), {"kit_type": kit.kit_type_id, "start": today.isoformat()}
    )
    assert kit.code in page.content.decode()
    # Lent again the same day: the database's no-overlap guarantee agrees.
    second = case_services.case_reserve_kit(
        case=eligible_case(school_a, director_a, coordinator), kit=kit, by=coordinator
    )
    assert second.start == today and second.kit_id == kit.pk
    # Still busy on its return day for a loan that has not come back.
    with pytest.raises(DomainError):
        case_services.case_reserve_kit(
            case=eligible_case(school_a, director_a, coordinator), kit=kit, by=coordinator
        )
