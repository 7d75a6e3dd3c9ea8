"""Each kit's ``free_from`` is what its loans say after every change of a loan, and the search
of kits free with no end, which reads it, agrees with the loans kit by kit."""

import datetime

from django.utils import timezone
import pytest

from cases import services as case_services
from cases.models import ConnectionCase
from loans import services
from loans.models import (
    FREE_ALWAYS,
    FREE_NEVER,
    Kit,
    Loan,
    LoanPurpose,
    LoanStatus,
    VisitKind,
    busy_days,
)
from loans.selectors import kits_free_between
from tests.builders.loans import case_with_kit, eligible_case, install, make_kit, soon
from tests.builders.schools import make_class

pytestmark = pytest.mark.django_db

D = datetime.date


def loans_say(kit: Kit) -> datetime.date:
    """The first day free for good, from the loans' own ``busy_days`` ranges (as the database's
    no-overlap constraint reads them), not from the service's computation."""
    ranges = [
        loan.days
        for loan in Loan.objects.filter(kit=kit)
        .exclude(status=LoanStatus.CANCELLED)
        .annotate(days=busy_days())
    ]
    ranges = [days for days in ranges if not days.isempty]
    if any(days.upper_inf for days in ranges):
        return FREE_NEVER
    return max((days.upper for days in ranges), default=FREE_ALWAYS)


def check(kit: Kit, *, days: list[datetime.date]) -> datetime.date:
    """``free_from`` equals the loans' truth, and the open-ended search finds the kit on each
    of ``days`` exactly when no loan keeps it busy from that day on."""
    kit.refresh_from_db()
    assert kit.free_from == loans_say(kit)
    for day in days:
        found = kit.pk in kits_free_between(kit_type=kit.kit_type, start=day, end=None).ranked_ids(0, 50)
        busy = services.overlapping_loans(kit_id=kit.pk, start=day, end=None).exists()
        assert found is not busy, day
    return kit.free_from


def _lines(loan: Loan, **condition) -> list[services.CheckLine]:
    return [
        services.CheckLine(item_id=item.pk, present=True, works=True, **condition)
        for item in loan.kit.items.all()
    ]


def test_booking_cancelling_handing_over_and_returning_a_class_loan_keep_free_from(
    school_a, coordinator, technician, trimesters
):
    first, second = trimesters
    kit = make_kit()
    around = [D(2030, 8, 25), D(2030, 12, 19), D(2030, 12, 20), D(2031, 3, 31), D(2031, 4, 1)]
    assert check(kit, days=around) == FREE_ALWAYS

    school_class = make_class(school_a)
    booked = services.loan_create_for_class(
        kit=kit, school_class=school_class, trimester=first, by=coordinator
    )
    assert check(kit, days=around) == D(2030, 12, 20)
    later = services.loan_create_for_class(
        kit=kit, school_class=school_class, trimester=second, by=coordinator
    )
    assert check(kit, days=around) == D(2031, 4, 1)

    services.loan_cancel(loan=later, by=coordinator, reason="Plans changed.")
    assert check(kit, days=around) == D(2030, 12, 20)

    services.loan_hand_over(loan=booked, by=technician)
    assert check(kit, days=around) == D(2030, 12, 20)
    # Back early: free again from its return day.
    services.loan_check_in(loan=booked, by=technician, lines=_lines(booked), returned_on=D(2030, 10, 1))
    assert check(kit, days=[D(2030, 9, 30), D(2030, 10, 1), *around]) == D(2030, 10, 1)

    services.loan_cancel(
        loan=services.loan_create_for_class(
            kit=kit, school_class=school_class, trimester=second, by=coordinator
        ),
        by=coordinator,
    )
    assert check(kit, days=around) == D(2030, 10, 1)


def test_a_late_return_keeps_the_last_day_and_a_same_day_return_frees_the_kit(
    school_a, coordinator, technician, trimesters
):
    first, _second = trimesters
    kit = make_kit()
    school_class = make_class(school_a)
    loan = services.loan_create_for_class(kit=kit, school_class=school_class, trimester=first, by=coordinator)
    services.loan_hand_over(loan=loan, by=technician)
    services.loan_check_in(loan=loan, by=technician, lines=_lines(loan), returned_on=D(2031, 1, 10))
    # Returned after its last day: the last day stays, and the kit is free again on it.
    assert check(kit, days=[D(2030, 12, 18), D(2030, 12, 19), D(2030, 12, 20)]) == D(2030, 12, 19)

    other = make_kit()
    today = timezone.localdate()
    same_day = services.loan_create_for_class(
        kit=other, school_class=school_class, trimester=first, by=coordinator
    )
    services.loan_hand_over(loan=same_day, by=technician)
    services.loan_check_in(loan=same_day, by=technician, lines=_lines(same_day), returned_on=first.start)
    # Back on its first day, it kept the kit busy on no day at all.
    assert check(other, days=[first.start - datetime.timedelta(days=1), first.start, today]) == FREE_ALWAYS


def test_a_case_s_open_ended_loan_keeps_its_kit_busy_until_it_comes_back(
    school_a, director_a, coordinator, technician
):
    today = timezone.localdate()
    back = today + datetime.timedelta(days=3)
    days = [today - datetime.timedelta(days=1), today, back - datetime.timedelta(days=1), back, D(2040, 1, 1)]
    kit = make_kit()
    case, loan = case_with_kit(school_a, director_a, coordinator, kit)
    assert check(kit, days=days) == FREE_NEVER
    install(case, coordinator, technician)
    assert check(kit, days=days) == FREE_NEVER
    case_services.case_request_end(case=ConnectionCase.objects.get(pk=case.pk), by=director_a, last_day=back)
    case_services.case_visit_plan(
        kind=VisitKind.RETRIEVAL, case=ConnectionCase.objects.get(pk=case.pk), starts_at=soon(2),
        technician=technician, by=coordinator,
    )  # fmt: skip
    services.loan_check_in(loan=loan, by=technician, lines=_lines(loan), returned_on=back)
    assert check(kit, days=days) == back

    released = make_kit()
    withdrawn = eligible_case(school_a, director_a, coordinator)
    case_services.case_reserve_kit(case=withdrawn, kit=released, by=coordinator)
    assert check(released, days=days) == FREE_NEVER
    services.loans_release_for_holder(holder=withdrawn, by=coordinator, reason="Withdrawn.")
    assert check(released, days=days) == FREE_ALWAYS


def test_settling_kits_whose_loans_were_written_in_bulk(school_a, coordinator, trimesters):
    first, second = trimesters
    kits = [make_kit(), make_kit(), make_kit()]
    school_class = make_class(school_a)
    Loan.objects.bulk_create(
        [
            Loan(kit=kits[0], purpose=LoanPurpose.CLASS_TRIMESTER, school=school_a, school_class=school_class,
                 trimester=first, start=first.start, end=first.end),
            Loan(kit=kits[0], purpose=LoanPurpose.CLASS_TRIMESTER, school=school_a, school_class=school_class,
                 trimester=second, start=second.start, end=second.end, status=LoanStatus.CANCELLED),
            Loan(kit=kits[1], purpose=LoanPurpose.CLASS_TRIMESTER, school=school_a, school_class=school_class,
                 trimester=first, start=first.start, end=None),
        ]
    )  # fmt: skip
    assert services.kits_settle_free_from(Kit.objects.filter(pk__in=[kit.pk for kit in kits])) == 2
    assert [check(kit, days=[first.start, D(2030, 12, 20)]) for kit in kits] == [
        D(2030, 12, 20),
        FREE_NEVER,
        FREE_ALWAYS,
    ]
    assert services.kits_settle_free_from(Kit.objects.all()) == 0
