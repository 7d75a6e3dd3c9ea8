"""A case keeps whether a kit was reserved or a visit planned for it: its page reads loans and
visits only then."""

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
import pytest

from cases import services as case_services
from cases.models import CaseStatus, ConnectionCase
from classcontact.errors import DomainError
from loans.models import Loan, LoanPurpose, Visit, VisitKind
from tests.builders.cases import make_case
from tests.builders.loans import case_with_kit, eligible_case, make_kit, soon

pytestmark = pytest.mark.django_db


def _page_tables(client, user, case) -> tuple[str, set[str]]:
    client.force_login(user)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("cases:staff_detail", kwargs={"case_id": case.public_id}))
    assert response.status_code == 200
    read = {table for table in ("loans_loan", "loans_visit") if any(table in q["sql"] for q in queries)}
    return response.content.decode(), read


def test_a_case_without_kit_nor_visit_reads_neither(client, school_a, director_a, coordinator):
    case = make_case(school_a, director_a, coordinator, status=CaseStatus.UNDER_REVIEW)
    assert not case.logistics_started
    _html, read = _page_tables(client, coordinator, case)
    assert read == set()


def test_a_reserved_kit_marks_the_case_and_shows_on_its_page(client, school_a, director_a, coordinator):
    case, loan = case_with_kit(school_a, director_a, coordinator, signed=False)
    assert case.logistics_started
    html, read = _page_tables(client, coordinator, case)
    assert read == {"loans_loan", "loans_visit"} and loan.kit.code in html


def test_a_visit_planned_before_any_kit_marks_the_case(client, school_a, director_a, coordinator, technician):
    case = make_case(school_a, director_a, coordinator, status=CaseStatus.UNDER_REVIEW)
    visit = case_services.case_visit_plan(
        kind=VisitKind.INTERNET_EVALUATION, case=case, starts_at=soon(), technician=technician, by=coordinator
    )
    case.refresh_from_db()
    assert case.logistics_started
    html, _read = _page_tables(client, coordinator, case)
    assert visit.get_kind_display() in html


def test_a_refused_reservation_leaves_the_case_unmarked(school_a, director_a, coordinator):
    booked, _loan = case_with_kit(school_a, director_a, coordinator, signed=False)
    other = eligible_case(school_a, director_a, coordinator)
    with pytest.raises(DomainError):  # the kit is booked over these dates
        case_services.case_reserve_kit(case=other, kit=_loan.kit, by=coordinator)
    other.refresh_from_db()
    assert not other.logistics_started and booked.logistics_started


def test_records_loaded_in_bulk_are_settled(school_a, director_a, coordinator, technician):
    from importlib import import_module

    from django.apps import apps

    from cases.migrations import __name__ as migrations_package

    with_loan = eligible_case(school_a, director_a, coordinator)
    with_visit = eligible_case(school_a, director_a, coordinator)
    untouched = eligible_case(school_a, director_a, coordinator)
    Loan.objects.create(
        kit=make_kit(),
        purpose=LoanPurpose.CONNECTION_CASE,
        school=school_a,
        holder=with_loan,
        start=soon().date(),
    )
    Visit.objects.create(
        kind=VisitKind.INTERNET_EVALUATION,
        school=school_a,
        holder=with_visit,
        starts_at=soon(),
        address="École",
        technician=technician,
    )
    assert case_services.cases_settle_logistics() == 2
    marked = set(ConnectionCase.objects.filter(logistics_started=True).values_list("pk", flat=True))
    assert {with_loan.pk, with_visit.pk} <= marked and untouched.pk not in marked
    # The migration marks the same cases on an existing database.
    ConnectionCase.objects.update(logistics_started=False)
    migration = import_module(f"{migrations_package}.0009_case_logistics_started")
    migration.mark_cases_with_records(apps, None)
    assert set(ConnectionCase.objects.filter(logistics_started=True).values_list("pk", flat=True)) == marked
