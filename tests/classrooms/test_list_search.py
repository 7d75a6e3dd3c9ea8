"""The applications list: its search reads each column through its index (never every
application), finds by number, school, city and class, and the list counts a capped number of
rows whatever the size of the table."""

import json

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
import pytest

from classcontact.paging import COUNT_CAP
from classrooms.models import ApplicationStatus
from classrooms.selectors import ApplicationFilters, application_list
from schools.models import School
from tests.builders.classrooms import make_application

A = ApplicationStatus
pytestmark = pytest.mark.django_db


def _plan(queryset) -> dict:
    """The plan of a page of ``queryset`` when the planner may only read rows that an index
    condition names (bitmap scans): a condition it still tests row by row has no index that
    answers it, whatever the size of the test's tables."""
    sql, params = queryset[:25].query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off; SET LOCAL enable_indexscan = off")
        cursor.execute(f"EXPLAIN (FORMAT JSON) {sql}", params)
        document = cursor.fetchone()[0]
        cursor.execute("SET LOCAL enable_seqscan = on; SET LOCAL enable_indexscan = on")
    return (json.loads(document) if isinstance(document, str) else document)[0]["Plan"]


def _nodes(plan: dict):
    yield plan
    for child in plan.get("Plans", []):
        yield from _nodes(child)


def _filtered_by_hand(plan: dict) -> list[str]:
    """The search conditions (``UPPER(…)``, as Django writes ``iexact`` and ``icontains``)
    tested row by row instead of answered by an index."""
    filters = (node.get(key, "") for node in _nodes(plan) for key in ("Filter", "Join Filter"))
    return [condition for condition in filters if "upper(" in condition]


def test_the_search_reads_applications_and_schools_through_their_indexes(world):
    application = make_application(world, A.SUBMITTED, class_name="CM1 Étoile")
    for query in ("jean moulin", application.number.lower(), "étoile"):
        plan = _plan(application_list(user=world.adviser, filters=ApplicationFilters(q=query)))
        assert not _filtered_by_hand(plan), (query, _filtered_by_hand(plan))


def test_the_search_finds_by_number_school_city_and_class(client, world):
    School.objects.filter(pk=world.school_b.pk).update(city="Lens")
    moulin = make_application(world, A.SUBMITTED, class_name="CP Soleil")
    ferry = make_application(world, A.OPINION_GIVEN, school=world.school_b, class_name="CM2 Lune")
    client.force_login(world.adviser)

    def found(query: str) -> set[int]:
        response = client.get(reverse("classrooms:review_list"), {"q": query})
        return {row.application.pk for row in response.context["rows"]}

    assert found(moulin.number.lower()) == {moulin.pk}
    assert found("jean moul") == {moulin.pk}
    assert found("LENS") == {ferry.pk}
    assert found("lune") == {ferry.pk}
    assert found("école") == {moulin.pk, ferry.pk}
    assert found("CM-") == set()  # a number is found whole, not by a part of it


def test_the_list_counts_no_more_rows_than_its_cap(client, world):
    make_application(world, A.SUBMITTED)
    client.force_login(world.adviser)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("classrooms:review_list"), {"q": "école"})
    assert response.status_code == 200
    counts = [q["sql"] for q in queries if "COUNT(" in q["sql"] and "classrooms_application" in q["sql"]]
    assert len(counts) == 1 and f"LIMIT {COUNT_CAP + 1}" in counts[0]
