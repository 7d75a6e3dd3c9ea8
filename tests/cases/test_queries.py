"""Case pages ask the database a fixed number of questions, whatever the number of rows."""

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
import pytest

from cases import services
from cases.models import CaseStatus
from tests.builders.cases import make_case
from tests.builders.schools import make_staff, make_teacher

S = CaseStatus
pytestmark = pytest.mark.django_db
MAX_QUERIES = 15  # one reads the session's second-factor device, two the signatures and tickets panels


def _many_cases(school, director, coordinator, count):
    states = [S.SUBMITTED, S.UNDER_REVIEW, S.ELIGIBLE, S.INSTALLATION_PLANNED]
    return [
        make_case(school, director, coordinator, states[n % len(states)], pupil_last_name=f"Pupil{n:03d}")
        for n in range(count)
    ]


def _count(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def test_the_board_does_not_grow_with_the_rows(
    client, coordinator, school_a, director_a, django_assert_max_num_queries
):
    _many_cases(school_a, director_a, coordinator, 3)
    client.force_login(coordinator)
    url = reverse("cases:staff_board")
    few = _count(client, url)
    _many_cases(school_a, director_a, coordinator, 30)
    assert _count(client, url) == few
    with django_assert_max_num_queries(MAX_QUERIES):
        client.get(url + "?needs_action=on&q=pupil&region=brussels&sort=school")


def test_a_case_page_does_not_grow_with_its_timeline(
    client, coordinator, school_a, director_a, django_assert_max_num_queries
):
    for n in range(3):
        make_teacher(school_a, email=f"t{n}@example.org")
    case = make_case(school_a, director_a, coordinator, S.ACTIVE)
    for n in range(20):
        services.case_update_internal_notes(case=case, by=coordinator, notes=f"note {n}")
    client.force_login(coordinator)
    with django_assert_max_num_queries(MAX_QUERIES):
        response = client.get(reverse("cases:staff_detail", kwargs={"case_id": case.public_id}))
    assert len(response.context["timeline"]) > 20
    client.force_login(director_a)
    with django_assert_max_num_queries(MAX_QUERIES):
        client.get(reverse("cases:detail", kwargs={"case_id": case.public_id}))


def test_the_director_pages_do_not_grow_with_the_cases(client, coordinator, school_a, director_a):
    _many_cases(school_a, director_a, coordinator, 2)
    client.force_login(director_a)
    list_url, dashboard_url = reverse("cases:list"), reverse("schools:dashboard")
    few = (_count(client, list_url), _count(client, dashboard_url))
    _many_cases(school_a, director_a, coordinator, 20)
    assert (_count(client, list_url), _count(client, dashboard_url)) == few
    assert max(few) <= MAX_QUERIES


def test_the_request_form_asks_little(client, school_a, director_a, django_assert_max_num_queries):
    for n in range(5):
        make_teacher(school_a, email=f"teacher{n}@example.org")
    client.force_login(director_a)
    with django_assert_max_num_queries(MAX_QUERIES):
        client.get(reverse("cases:new_for_school", kwargs={"school_id": school_a.pk}))


def test_a_case_page_names_its_people_in_one_query_whoever_wrote_its_timeline(
    client, coordinator, school_a, director_a
):
    case = make_case(school_a, director_a, coordinator, S.ACTIVE)
    client.force_login(coordinator)
    url = reverse("cases:staff_detail", kwargs={"case_id": case.public_id})
    few = _count(client, url)
    writers = [
        make_staff(first_name=f"Agent{n}", last_name="Notes", email=f"agent{n}@example.org") for n in range(6)
    ]
    for writer in writers:
        services.case_update_internal_notes(case=case, by=writer, notes=f"by {writer.first_name}")

    with CaptureQueriesContext(connection) as queries:
        page = client.get(url).content.decode()

    assert len(queries) == few
    # Neither the case nor its timeline is joined to the people's table (three joined copies
    # cost the planner more than one more query): the people are read apart, in one query.
    joined = [
        q["sql"]
        for q in queries.captured_queries
        if '"schools_user"' in q["sql"]
        and ('"cases_connectioncase"' in q["sql"] or '"cases_caseevent"' in q["sql"])
    ]
    assert joined == []
    people_reads = [q for q in queries.captured_queries if 'WHERE "schools_user"."id" IN (' in q["sql"]]
    assert len(people_reads) == 1
    for person in (*writers, coordinator, director_a):
        assert str(person) in page
