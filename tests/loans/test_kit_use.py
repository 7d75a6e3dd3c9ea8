"""The kit use kept as loans change equals the one computed from the loans, for any period
and any today, after every kind of change of a loan, after a kit changes type, after loans
written in bulk are settled, and after a rebuild."""

import datetime

from django.core.management import call_command
from django.utils import timezone
import pytest

from cases import services as case_services
from cases.models import ConnectionCase
from loans import demo_settle, services
from loans.models import Kit, KitUseDay, Loan, LoanPurpose, LoanStatus, LoanUse, VisitKind
from loans.selectors import kit_use, kit_use_from_loans
from tests.builders.loans import (
    case_with_kit,
    eligible_case,
    install,
    make_kit,
    make_kit_type,
    past_loan,
    soon,
)
from tests.builders.schools import make_class

pytestmark = pytest.mark.django_db

D = datetime.date
DAY = datetime.timedelta(days=1)


def periods() -> list[tuple[datetime.date, datetime.date]]:
    today = timezone.localdate()
    return [
        (D(2030, 9, 1), D(2031, 6, 30)),  # the trimesters' school year
        (D(2030, 10, 1), D(2030, 10, 1)),  # one day
        (D(2030, 12, 19), D(2031, 1, 5)),  # a trimester's last day to the next one's first
        (today - 400 * DAY, today),
        (today - 30 * DAY, today + 30 * DAY),
        (today + DAY, today + 10 * DAY),  # after today: loans without a last day do not count
        (D(2000, 1, 1), D(2040, 12, 31)),
    ]


def todays() -> list[datetime.date]:
    today = timezone.localdate()
    return [today, today - 45 * DAY, today + 3 * DAY, D(2030, 11, 1), D(2031, 2, 1)]


def assert_kept_use_equals_the_loans() -> int:
    """Every period and every today; returns the days lent over the widest period."""
    for start, end in periods():
        for today in todays():
            kept = kit_use(start=start, end=end, today=today)
            assert kept == kit_use_from_loans(start=start, end=end, today=today), (start, end, today)
    return sum(use.days_lent for use in kit_use(start=D(2000, 1, 1), end=D(2040, 12, 31), today=todays()[0]))


def _lines(loan: Loan) -> list[services.CheckLine]:
    return [services.CheckLine(item_id=item.pk, present=True, works=True) for item in loan.kit.items.all()]


def test_booking_handing_over_cancelling_and_returning_class_loans(
    school_a, coordinator, technician, trimesters
):
    first, second = trimesters
    kit, other = make_kit(), make_kit()
    school_class = make_class(school_a)
    booked = services.loan_create_for_class(
        kit=kit, school_class=school_class, trimester=first, by=coordinator
    )
    assert assert_kept_use_equals_the_loans() == 0  # reserved: not lent yet

    services.loan_hand_over(loan=booked, by=technician)
    assert assert_kept_use_equals_the_loans() == (first.end - first.start).days + 1
    later = services.loan_create_for_class(
        kit=kit, school_class=school_class, trimester=second, by=coordinator
    )
    services.loan_cancel(loan=later, by=coordinator, reason="Plans changed.")
    assert assert_kept_use_equals_the_loans() == (first.end - first.start).days + 1

    # Back early: its last day becomes the return day.
    services.loan_check_in(loan=booked, by=technician, lines=_lines(booked), returned_on=D(2030, 10, 1))
    assert assert_kept_use_equals_the_loans() == (D(2030, 10, 1) - first.start).days + 1

    # Back on its first day: one day lent; back late: its last day stays.
    same_day = services.loan_create_for_class(
        kit=other, school_class=school_class, trimester=first, by=coordinator
    )
    services.loan_hand_over(loan=same_day, by=technician)
    services.loan_check_in(loan=same_day, by=technician, lines=_lines(same_day), returned_on=first.start)
    late = services.loan_create_for_class(
        kit=kit, school_class=school_class, trimester=second, by=coordinator
    )
    services.loan_hand_over(loan=late, by=technician)
    services.loan_check_in(loan=late, by=technician, lines=_lines(late), returned_on=D(2031, 4, 20))
    assert assert_kept_use_equals_the_loans() == 37 + 1 + (second.end - second.start).days + 1
    assert LoanUse.objects.count() == 3


def test_a_case_s_open_ended_loan_counts_to_today_until_it_comes_back(
    school_a, director_a, coordinator, technician
):
    today = timezone.localdate()
    kit = make_kit()
    case, loan = case_with_kit(school_a, director_a, coordinator, kit)
    assert assert_kept_use_equals_the_loans() == 0
    install(case, coordinator, technician)
    loan.refresh_from_db()
    assert (loan.status, loan.end) == (LoanStatus.LENT, None)
    assert assert_kept_use_equals_the_loans() == (today - loan.start).days + 1
    (use,) = kit_use(start=today + DAY, end=today + 10 * DAY, today=today)
    assert use.days_lent == 0

    back = today + 3 * DAY
    case_services.case_request_end(case=ConnectionCase.objects.get(pk=case.pk), by=director_a, last_day=back)
    case_services.case_visit_plan(
        kind=VisitKind.RETRIEVAL, case=ConnectionCase.objects.get(pk=case.pk), starts_at=soon(2),
        technician=technician, by=coordinator,
    )  # fmt: skip
    services.loan_check_in(loan=loan, by=technician, lines=_lines(loan), returned_on=back)
    assert assert_kept_use_equals_the_loans() == (back - loan.start).days + 1

    # Loans backdated as the services would have left them: returned, and still out since long ago.
    past_loan(
        eligible_case(school_a, director_a, coordinator),
        make_kit(),
        start=today - 500 * DAY,
        end=today - 20 * DAY,
        by=coordinator,
    )
    past_loan(
        eligible_case(school_a, director_a, coordinator),
        make_kit(),
        start=today - 90 * DAY,
        end=None,
        by=coordinator,
    )
    assert assert_kept_use_equals_the_loans() == (back - loan.start).days + 1 + 481 + 91


def test_a_kit_moved_to_another_type_in_the_admin_takes_its_days_lent(
    client, school_a, coordinator, technician, trimesters
):
    first, _second = trimesters
    kit = make_kit(items=False)
    loan = services.loan_create_for_class(
        kit=kit, school_class=make_class(school_a), trimester=first, by=coordinator
    )
    services.loan_hand_over(loan=loan, by=technician)
    camera = make_kit_type("camera", programme="mobile_classroom")
    client.force_login(coordinator)
    response = client.post(
        f"/admin/loans/kit/{kit.pk}/change/",
        {
            "code": kit.code,
            "kit_type": camera.pk,
            "owner": kit.owner,
            "region": kit.region,
            "depot": kit.depot,
            "notes": "",
            "items-TOTAL_FORMS": "0",
            "items-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302
    assert assert_kept_use_equals_the_loans() == (first.end - first.start).days + 1
    by_type = {
        use.kit_type: use.days_lent for use in kit_use(start=first.start, end=first.end, today=first.end)
    }
    assert by_type[camera] == (first.end - first.start).days + 1
    assert sum(by_type.values()) == by_type[camera]


def test_loans_written_in_bulk_count_once_settled(school_a, coordinator, trimesters):
    first, second = trimesters
    kits = [make_kit(), make_kit(), make_kit()]
    school_class = make_class(school_a)
    common = {"purpose": LoanPurpose.CLASS_TRIMESTER, "school": school_a, "school_class": school_class}
    Loan.objects.bulk_create(
        [
            Loan(kit=kits[0], trimester=first, start=first.start, end=first.end, status=LoanStatus.RETURNED, **common),
            Loan(kit=kits[0], trimester=second, start=second.start, end=second.end, status=LoanStatus.CANCELLED,
                 **common),
            Loan(kit=kits[1], trimester=first, start=first.start, end=None, status=LoanStatus.LENT, **common),
            Loan(kit=kits[2], trimester=second, start=second.start, end=second.end, **common),
        ]
    )  # fmt: skip
    assert LoanUse.objects.count() == 0
    demo_settle.seed(stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert LoanUse.objects.count() == 2
    assert assert_kept_use_equals_the_loans() == (first.end - first.start).days + 1
    assert services.kits_settle_use(Kit.objects.all()) == 0  # nothing left to settle
    (use,) = kit_use(start=first.start, end=first.end, today=D(2030, 9, 30))
    assert use.days_lent == (first.end - first.start).days + 1 + (D(2030, 9, 30) - first.start).days + 1


def test_a_rebuild_gives_the_same_rows_as_the_changes_did(school_a, coordinator, technician, trimesters):
    first, second = trimesters
    kit = make_kit()
    school_class = make_class(school_a)
    for trimester, returned_on in ((first, D(2030, 11, 2)), (second, None)):
        loan = services.loan_create_for_class(
            kit=kit, school_class=school_class, trimester=trimester, by=coordinator
        )
        services.loan_hand_over(loan=loan, by=technician)
        if returned_on:
            services.loan_check_in(loan=loan, by=technician, lines=_lines(loan), returned_on=returned_on)
    kept = sorted(KitUseDay.objects.exclude(lent=0, open=0).values_list("kit_type", "day", "lent", "open"))
    assert len(kept) == 4
    KitUseDay.objects.update(lent=7)  # rows gone wrong
    LoanUse.objects.all().delete()

    call_command("rebuild_kit_use", stdout=open("/dev/null", "w"))  # noqa: SIM115

    assert sorted(KitUseDay.objects.values_list("kit_type", "day", "lent", "open")) == kept
    assert assert_kept_use_equals_the_loans() == (D(2030, 11, 2) - first.start).days + 1 + 86


def test_the_kept_use_is_read_in_two_queries_whatever_the_loans(
    django_assert_num_queries, school_a, coordinator, technician, trimesters
):
    first, _second = trimesters
    school_class = make_class(school_a)
    for _n in range(3):
        loan = services.loan_create_for_class(
            kit=make_kit(items=False), school_class=school_class, trimester=first, by=coordinator
        )
        services.loan_hand_over(loan=loan, by=technician)
    with django_assert_num_queries(2):
        (use,) = kit_use(start=first.start, end=first.end, today=first.start)
    assert use.days_lent == 3 * ((first.end - first.start).days + 1)
    # One row a day a type's count of kits out changes, not one a loan.
    assert KitUseDay.objects.count() == 2
