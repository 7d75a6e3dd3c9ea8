import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone
import pytest

from cases import services as case_services
from cases.models import CaseStatus
from classcontact.errors import DomainError
from loans import services
from loans.models import InventoryState, KitEvent, KitEventKind, Loan, LoanPurpose, LoanStatus
from tests.builders.loans import case_with_kit, eligible_case, make_kit
from tests.builders.schools import make_class

pytestmark = pytest.mark.django_db

D = datetime.date


def test_reserving_a_kit_for_an_eligible_case_moves_the_case_to_kit_assigned(
    school_a, director_a, coordinator
):
    case = eligible_case(school_a, director_a, coordinator)
    kit = make_kit()
    loan = case_services.case_reserve_kit(case=case, kit=kit, by=coordinator)
    case.refresh_from_db()
    kit.refresh_from_db()
    assert case.status == CaseStatus.KIT_ASSIGNED
    assert loan.end is None and loan.status == LoanStatus.RESERVED and loan.school == school_a
    assert kit.state == InventoryState.RESERVED
    assert set(kit.items.values_list("state", flat=True)) == {InventoryState.RESERVED}
    assert KitEvent.objects.filter(kit=kit, kind=KitEventKind.RESERVED, loan=loan).exists()
    assert case.events.filter(kind="kit_assigned", message=kit.code).exists()
    assert loan.history.first().history_user == coordinator


def test_a_kit_cannot_be_reserved_for_a_case_not_yet_eligible(school_a, director_a, coordinator):
    from tests.builders.cases import make_case

    case = make_case(school_a, director_a, coordinator, status=CaseStatus.UNDER_REVIEW)
    with pytest.raises(DomainError) as error:
        case_services.case_reserve_kit(case=case, kit=make_kit(), by=coordinator)
    assert error.value.message == case_services.ERROR_CASE_NOT_READY_FOR_KIT
    assert not Loan.objects.exists()


def test_a_kit_booked_over_the_dates_is_refused_with_a_clear_message(
    school_a, director_a, coordinator, trimester
):
    kit = make_kit()
    school_class = make_class(school_a)
    services.loan_create_for_class(kit=kit, school_class=school_class, trimester=trimester, by=coordinator)
    case = eligible_case(school_a, director_a, coordinator)
    # An open-ended loan from today overlaps the future trimester.
    with pytest.raises(DomainError) as error:
        case_services.case_reserve_kit(case=case, kit=kit, by=coordinator)
    assert error.value.message == services.ERROR_KIT_NOT_FREE
    case.refresh_from_db()
    assert case.status == CaseStatus.ELIGIBLE
    assert Loan.objects.count() == 1


def test_the_database_refuses_overlapping_loans_of_one_kit(school_a, coordinator, trimester):
    kit = make_kit()
    school_class = make_class(school_a)
    services.loan_create_for_class(kit=kit, school_class=school_class, trimester=trimester, by=coordinator)
    with pytest.raises(IntegrityError) as error, transaction.atomic():
        Loan.objects.create(
            kit=kit,
            purpose=LoanPurpose.CLASS_TRIMESTER,
            school=school_a,
            school_class=school_class,
            trimester=trimester,
            start=trimester.end,
            end=trimester.end + datetime.timedelta(days=30),
        )
    assert "loan_kit_no_overlap" in str(error.value)


def test_the_database_refuses_an_open_ended_loan_over_a_later_booking(school_a, coordinator, trimester):
    kit = make_kit()
    school_class = make_class(school_a)
    services.loan_create_for_class(kit=kit, school_class=school_class, trimester=trimester, by=coordinator)
    with pytest.raises(IntegrityError), transaction.atomic():
        Loan.objects.create(
            kit=kit,
            purpose=LoanPurpose.CLASS_TRIMESTER,
            school=school_a,
            school_class=school_class,
            trimester=trimester,
            start=D(2029, 1, 1),
            end=None,
        )


def test_loans_side_by_side_and_cancelled_ones_do_not_collide(school_a, coordinator, trimester):
    kit = make_kit()
    school_class = make_class(school_a)
    first = services.loan_create_for_class(
        kit=kit, school_class=school_class, trimester=trimester, by=coordinator
    )
    services.loan_cancel(loan=first, by=coordinator, reason="Plans changed.")
    second = services.loan_create_for_class(
        kit=kit, school_class=school_class, trimester=trimester, by=coordinator
    )
    assert second.status == LoanStatus.RESERVED
    kit.refresh_from_db()
    assert kit.state == InventoryState.RESERVED
    # The day after the trimester is free.
    Loan.objects.create(
        kit=kit,
        purpose=LoanPurpose.CLASS_TRIMESTER,
        school=school_a,
        school_class=school_class,
        trimester=trimester,
        start=trimester.end + datetime.timedelta(days=1),
        end=trimester.end + datetime.timedelta(days=10),
    )


def test_a_loan_has_exactly_one_purpose(school_a, director_a, coordinator, trimester):
    case = eligible_case(school_a, director_a, coordinator)
    with pytest.raises(IntegrityError), transaction.atomic():
        Loan.objects.create(
            kit=make_kit(),
            purpose=LoanPurpose.CONNECTION_CASE,
            school=school_a,
            holder=case,
            trimester=trimester,
            start=timezone.localdate(),
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        Loan.objects.create(
            kit=make_kit(), purpose=LoanPurpose.CLASS_TRIMESTER, school=school_a, start=timezone.localdate()
        )


def test_a_case_gets_one_kit_at_a_time(school_a, director_a, coordinator):
    case, _loan = case_with_kit(school_a, director_a, coordinator, signed=False)
    with pytest.raises(DomainError):
        case_services.case_reserve_kit(case=case, kit=make_kit(), by=coordinator)


def test_a_lost_kit_cannot_be_lent(school_a, director_a, coordinator):
    kit = make_kit()
    services.kit_mark_lost(kit=kit, by=coordinator, notes="Stolen from the car.")
    case = eligible_case(school_a, director_a, coordinator)
    with pytest.raises(DomainError) as error:
        case_services.case_reserve_kit(case=case, kit=kit, by=coordinator)
    assert "lost" in str(error.value.message)


def test_releasing_a_withdrawn_case_frees_its_kit(school_a, director_a, coordinator):
    case, loan = case_with_kit(school_a, director_a, coordinator, signed=False)
    case_services.case_release_kit(case=case, by=coordinator, reason="Withdrawn.")
    loan.refresh_from_db()
    loan.kit.refresh_from_db()
    assert loan.status == LoanStatus.CANCELLED
    assert loan.kit.state == InventoryState.AVAILABLE
    assert set(loan.kit.items.values_list("state", flat=True)) == {InventoryState.AVAILABLE}
