"""The yearly report's kits and days lent, summed by the database: a loan still out counts
up to the report's day, one not begun yet counts no day, a cancelled one nothing; and its
page lists the first equipment plans, the downloads all of them."""

import datetime
from decimal import Decimal

from django.urls import reverse
import pytest

from classrooms import services
from classrooms.models import ApplicationStatus
from classrooms.report import yearly_report
from classrooms.report_exports import plan_rows
from classrooms.views import report as report_views
from loans.models import LoanStatus
from tests.builders.classrooms import make_class_in, make_class_loan, make_kit_type, make_world
from tests.builders.loans import make_kit

A = ApplicationStatus
pytestmark = pytest.mark.django_db


@pytest.fixture
def world(db):
    return make_world(kits=8)


def test_days_lent_count_to_the_report_day_and_never_below_zero(world):
    today = datetime.date(2027, 3, 10)
    kit_type = make_kit_type()
    k1, k2, k3, k4 = (make_kit(kit_type, items=False) for _ in range(4))
    returned = make_class_in(world, A.RETURNED, trimester=1)
    make_class_loan(returned, k1, start=datetime.date(2026, 9, 7), end=datetime.date(2026, 9, 16))
    out = make_class_in(world, A.IN_PROGRESS, trimester=2)
    make_class_loan(out, k2, start=datetime.date(2027, 3, 1), end=None, status=LoanStatus.LENT)
    booked = make_class_in(world, A.DELIVERED, trimester=3)
    make_class_loan(booked, k3, start=datetime.date(2027, 4, 20), end=None, status=LoanStatus.RESERVED)
    make_class_loan(
        booked,
        k4,
        start=datetime.date(2026, 9, 1),
        end=datetime.date(2026, 12, 1),
        status=LoanStatus.CANCELLED,
    )

    report = yearly_report(world.campaign.school_year.label, today=today)

    days = {number: reach.days_lent for number, reach in report.trimesters}
    kits = {number: reach.kits for number, reach in report.trimesters}
    assert days == {1: 10, 2: 10, 3: 0}
    assert kits == {1: 1, 2: 1, 3: 1}
    assert (report.year.days_lent, report.year.kits) == (20, 3)


def test_the_page_lists_the_first_plans_and_the_downloads_all_of_them(client, world, monkeypatch):
    monkeypatch.setattr(report_views, "PLANS_SHOWN", 2)
    for n in range(3):
        application = make_class_in(world, A.RETURNED, trimester=1 + n)
        services.municipality_record(
            application=application,
            by=world.resource_teacher_a,
            contacted_on=datetime.date(2027, 3, 1),
            notes="",
            plan_started=True,
            plan_on=datetime.date(2027, 3, 15),
            description=f"Plan {n}",
            amount=Decimal(1000),
        )
    label = world.campaign.school_year.label
    client.force_login(world.adviser)
    response = client.get(reverse("classroom_report:year", kwargs={"school_year": label}))
    assert len(response.context["plan_rows"]) == 2
    assert 'data-testid="plans-more"' in response.content.decode()
    report = yearly_report(label)
    assert len(plan_rows(report)) == report.plans_count == 3 and report.plans_amount == Decimal(3000)
