"""Lists and calendars are read in a fixed number of queries whatever the number of rows."""

import datetime

from django.urls import reverse
from django.utils import timezone
import pytest

from loans import services
from loans.models import Kit, Loan, LoanPurpose, LoanStatus, Visit, VisitKind
from schools.models import Calendar, SchoolYear, Trimester
from tests.builders.loans import make_kit, make_kit_type
from tests.builders.schools import make_class

pytestmark = pytest.mark.django_db

ROWS = 30


@pytest.fixture
def many(school_a, coordinator, technician, director_a):
    """30 kits, each with a past, a current and a future loan at school A, and 30 visits."""
    kit_type = make_kit_type()
    calendar = Calendar.objects.create(name="Q", code="q", kind="fwb")
    year = SchoolYear.objects.create(
        calendar=calendar, label="q", start=datetime.date(2020, 1, 1), end=datetime.date(2040, 1, 1)
    )
    today = timezone.localdate()
    spans = [
        (today - datetime.timedelta(days=200), today - datetime.timedelta(days=120)),
        (today - datetime.timedelta(days=30), today + datetime.timedelta(days=30)),
        (today + datetime.timedelta(days=60), today + datetime.timedelta(days=150)),
    ]
    trimesters = [
        Trimester.objects.create(school_year=year, number=n, start=start, end=end)
        for n, (start, end) in enumerate(spans, 1)
    ]
    school_class = make_class(school_a)
    kits = [make_kit(kit_type, code=f"Q-{n:03d}") for n in range(ROWS)]
    loans = []
    for kit in kits:
        for trimester, status in zip(
            trimesters, [LoanStatus.RETURNED, LoanStatus.LENT, LoanStatus.RESERVED], strict=True
        ):
            loans.append(
                Loan(
                    kit=kit,
                    purpose=LoanPurpose.CLASS_TRIMESTER,
                    school=school_a,
                    school_class=school_class,
                    trimester=trimester,
                    start=trimester.start,
                    end=trimester.end,
                    status=status,
                )
            )
    Loan.objects.bulk_create(loans)
    services.kits_settle_free_from(Kit.objects.filter(pk__in=[kit.pk for kit in kits]))
    Kit.objects.filter(pk__in=[kit.pk for kit in kits]).update(state="lent", school=school_a, room="Hall")
    start = timezone.now() + datetime.timedelta(hours=1)
    for n in range(ROWS):
        services.visit_plan(
            kind=VisitKind.TRAINING,
            school=school_a,
            starts_at=start + datetime.timedelta(days=n % 10, minutes=n),
            technician=technician,
            by=coordinator,
        )
    return {"kit_type": kit_type, "kits": kits}


def _get(client, django_assert_max_num_queries, address, limit):
    with django_assert_max_num_queries(limit):
        response = client.get(address)
    assert response.status_code == 200, address
    return response


def test_staff_pages_use_a_fixed_number_of_queries(
    client, many, school_a, coordinator, django_assert_max_num_queries
):
    client.force_login(coordinator)
    kit_type = many["kit_type"]
    today = timezone.localdate()
    pages = [
        reverse("loans:loan_list"),
        reverse("loans:loan_list") + "?q=Q-001&status=lent",
        reverse("loans:visit_list") + "?when=all",
        reverse("loans:calendar", args=[kit_type.pk]) + "?months=12",
        reverse("loans:availability")
        + f"?kit_type={kit_type.pk}&start={today + datetime.timedelta(days=40):%Y-%m-%d}&end={today + datetime.timedelta(days=50):%Y-%m-%d}&region=brussels",
        reverse("loans:kit_detail", args=[many["kits"][0].pk]),
        reverse("loans:school_overview", args=[school_a.pk]),
        "/admin/loans/kit/",
        "/admin/loans/kit/?q=SN-Q-001-keyboard",
        "/admin/loans/item/",
        "/admin/loans/loan/",
        "/admin/loans/visit/",
    ]
    for address in pages:
        _get(client, django_assert_max_num_queries, address, 12)


def test_the_calendar_shows_every_kit_of_the_page_with_its_loans(client, many, coordinator):
    client.force_login(coordinator)
    page = client.get(reverse("loans:calendar", args=[many["kit_type"].pk]) + "?months=6").content.decode()
    assert page.count('data-testid="calendar-row"') == 25  # one page
    assert "cal-lent" in page and "cal-reserved" in page


def test_the_technicians_and_directors_pages_use_a_fixed_number_of_queries(
    client, many, school_a, technician, director_a, django_assert_max_num_queries
):
    client.force_login(technician)
    response = _get(client, django_assert_max_num_queries, reverse("loans:my_visits"), 10)
    assert (
        response.content.decode().count("agenda-visit-")
        == Visit.objects.filter(
            starts_at__date__lte=timezone.localdate() + datetime.timedelta(days=21)
        ).count()
    )
    client.force_login(director_a)
    _get(client, django_assert_max_num_queries, reverse("loans:school_overview", args=[school_a.pk]), 12)
    _get(client, django_assert_max_num_queries, reverse("loans:visit_list"), 12)
    _get(client, django_assert_max_num_queries, reverse("loans:loan_list"), 12)


def test_the_calendar_feed_is_one_read_whatever_the_number_of_visits(
    client, many, technician, django_assert_max_num_queries
):
    _feed, token = services.feed_create_for_technician(technician=technician, by=technician)
    with django_assert_max_num_queries(4):
        response = client.get(reverse("loans:feed_ical", args=[token]))
    assert response.content.decode().count("BEGIN:VEVENT") == ROWS
