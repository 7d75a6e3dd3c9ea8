"""A case keeps its school's region, so the board filters by region through the cases' index."""

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
import pytest

from cases.models import CaseStatus, ConnectionCase
from schools.imports import schools_import_csv
from schools.models import Region, School
from tests.builders.cases import make_case, make_draft
from tests.builders.schools import make_director, make_school
from tests.schools.test_import_schools import TILLEULS, csv_bytes, with_cells

pytestmark = pytest.mark.django_db


def _board_numbers(client, region: str) -> list[str]:
    response = client.get(reverse("cases:staff_board"), {"region": region})
    assert response.status_code == 200
    return [case.number for case, _step in response.context["rows"]]


def test_a_new_case_takes_its_schools_region(coordinator):
    namur = make_school(region=Region.NAMUR)
    director = make_director(namur, email="director.namur@example.org")

    draft = make_draft(namur, director)
    case = make_case(namur, director, coordinator, CaseStatus.SUBMITTED)

    assert {draft.school_region, case.school_region} == {Region.NAMUR}
    assert ConnectionCase.objects.get(pk=case.pk).school_region == Region.NAMUR


def test_a_school_moved_to_another_region_takes_its_cases_along(client, coordinator):
    school = make_school(region=Region.NAMUR)
    director = make_director(school, email="director.moved@example.org")
    case = make_case(school, director, coordinator, CaseStatus.ACTIVE)
    other = make_case(make_school(region=Region.NAMUR), director, coordinator, CaseStatus.ACTIVE)
    client.force_login(coordinator)
    assert sorted(_board_numbers(client, "namur")) == sorted([case.number, other.number])

    school.region = Region.LIEGE
    school.save()

    assert _board_numbers(client, "liege") == [case.number]
    assert _board_numbers(client, "namur") == [other.number]
    # A save that leaves the region alone asks nothing of the cases.
    with CaptureQueriesContext(connection) as queries:
        school.save(update_fields=["city"])
    assert queries.captured_queries
    assert not [q for q in queries.captured_queries if "cases_connectioncase" in q["sql"]]


def test_the_directory_import_moving_a_school_moves_its_cases(coordinator):
    schools_import_csv(data=csv_bytes(TILLEULS), user=coordinator)
    school = School.objects.get(official_number="1001")
    director = make_director(school, email="director.tilleuls@example.org")
    case = make_case(school, director, coordinator, CaseStatus.SUBMITTED)
    assert case.school_region == Region.LIEGE

    schools_import_csv(data=csv_bytes(with_cells(TILLEULS, region="namur")), user=coordinator)

    case.refresh_from_db()
    assert case.school_region == Region.NAMUR
