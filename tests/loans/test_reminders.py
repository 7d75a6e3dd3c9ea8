"""Reminder rules of kits and visits: a visit on the next school day, a loan past its end."""

import datetime

from django.core import mail
import pytest

from cases import services as case_services
from loans.models import Loan, LoanStatus, VisitKind
from schools.calendars import SchoolDays, default_calendar
from schools.reminders import run_reminders
from tests.builders.helpdesk import build_calendar
from tests.builders.loans import installed_case, soon

pytestmark = pytest.mark.django_db


def _run(capture, day) -> list[tuple[str, str]]:
    mail.outbox.clear()
    with capture(execute=True):
        run_reminders(today=day)
    return sorted((m.extra_headers["X-ClassContact-Mail"], m.to[0]) for m in mail.outbox)


def _school_day_before(days: SchoolDays, day: datetime.date) -> datetime.date:
    candidate = day - datetime.timedelta(days=1)
    while not days.is_school_day(candidate):
        candidate -= datetime.timedelta(days=1)
    return candidate


def test_technician_and_school_hear_of_a_visit_the_school_day_before(
    school_a, director_a, coordinator, technician, django_capture_on_commit_callbacks
):
    days = SchoolDays(build_calendar())
    case, _loan = installed_case(school_a, director_a, coordinator, technician)
    offset = next(d for d in range(2, 20) if days.is_school_day(soon(d).date()))
    visit = case_services.case_visit_plan(
        kind=VisitKind.INTERNET_EVALUATION,
        case=case,
        starts_at=soon(offset),
        technician=technician,
        by=coordinator,
    )
    eve = _school_day_before(days, visit.starts_at.date())

    too_early = _run(django_capture_on_commit_callbacks, eve - datetime.timedelta(days=7))
    sent = _run(django_capture_on_commit_callbacks, eve)
    again = _run(django_capture_on_commit_callbacks, eve)

    assert ("reminder-visit", technician.email) in sent and ("reminder-visit", director_a.email) in sent
    assert not [m for m in too_early if m[0] == "reminder-visit"]
    assert again == []


def test_coordinators_hear_of_a_loan_past_its_end(
    school_a, director_a, coordinator, technician, django_capture_on_commit_callbacks
):
    build_calendar()
    days = SchoolDays(default_calendar())
    _case, loan = installed_case(school_a, director_a, coordinator, technician)
    assert loan.status == LoanStatus.LENT
    end = loan.start + datetime.timedelta(days=20)
    Loan.objects.filter(pk=loan.pk).update(end=end)
    day_after = days.next_school_day(end)

    on_the_end = _run(django_capture_on_commit_callbacks, end)
    after = _run(django_capture_on_commit_callbacks, day_after)

    assert not [m for m in on_the_end if m[0] == "reminder-loan-overdue"]
    assert ("reminder-loan-overdue", coordinator.email) in after
