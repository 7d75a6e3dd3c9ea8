"""The programme's pages ask the database a fixed number of questions, whatever the number of rows."""

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
import pytest

from classrooms import services
from classrooms.models import ApplicationStatus
from tests.builders.classrooms import make_application
from tests.builders.files import pdf_upload

A = ApplicationStatus
pytestmark = pytest.mark.django_db
MAX_QUERIES = 12  # one of them reads the session's second-factor device


def _count(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def test_the_advisers_list_does_not_grow_with_the_rows(client, world, django_assert_max_num_queries):
    for _ in range(3):
        make_application(world, A.SUBMITTED)
    client.force_login(world.adviser)
    url = reverse("classrooms:review_list")
    client.get(url)
    few = _count(client, url)
    for _ in range(6):
        make_application(world, A.OPINION_GIVEN, school=world.school_b)
    assert _count(client, url) == few
    with django_assert_max_num_queries(MAX_QUERIES):
        client.get(
            url + f"?q=ecole&district={world.district_a.pk}&state=submitted&level=cm1&origin=spontaneous"
        )


def test_an_application_page_does_not_grow_with_its_timeline_and_files(
    client, world, django_assert_max_num_queries
):
    application = make_application(world, A.DRAFT)
    for n in range(4):
        services.attachment_add(application=application, by=world.teacher_a, upload=pdf_upload(f"f{n}.pdf"))
    services.application_submit(application=application, by=world.director_a)
    client.force_login(world.adviser)
    with django_assert_max_num_queries(MAX_QUERIES):
        client.get(reverse("classrooms:review", kwargs={"application_id": application.public_id}))
    client.force_login(world.director_a)
    with django_assert_max_num_queries(MAX_QUERIES):
        client.get(reverse("classrooms:detail", kwargs={"application_id": application.public_id}))
    client.force_login(world.inspector_a)
    with django_assert_max_num_queries(MAX_QUERIES):
        client.get(reverse("classrooms:inbox"))


def test_a_session_page_does_not_grow_with_its_proposals(client, world):
    session_application = make_application(world, A.IN_COMMISSION)
    session = session_application.proposals.get().session
    client.force_login(world.adviser)
    url = reverse("classrooms:session", kwargs={"session_id": session.pk})
    client.get(url)
    few = _count(client, url)
    more = [make_application(world, A.OPINION_GIVEN) for _ in range(4)]
    services.session_add_applications(session=session, by=world.adviser, applications=more)
    assert _count(client, url) <= few + 1  # the agenda's empty list becomes a list
