"""A teacher is offered, and may link, only the cases of the classes they teach."""

from django.urls import reverse
import pytest

from helpdesk.models import Ticket
from tests.builders.cases import make_case
from tests.builders.schools import make_class

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_cases(school_a, director_a, teacher_a, coordinator):
    taught = make_class(school_a, "P3")
    taught.teachers.add(teacher_a)
    other = make_class(school_a, "P4")
    mine = make_case(school_a, director_a, coordinator, school_class=taught, pupil_first_name="Emma")
    theirs = make_case(school_a, director_a, coordinator, school_class=other, pupil_first_name="Lucas")
    return mine, theirs


def ticket_form(client) -> str:
    response = client.get(reverse("helpdesk:ticket_open"))
    assert response.status_code == 200
    return response.content.decode()


def test_a_teacher_is_offered_the_cases_of_their_classes_only(client, teacher_a, two_cases):
    mine, theirs = two_cases
    client.force_login(teacher_a)
    page = ticket_form(client)
    assert mine.number in page
    assert theirs.number not in page and "Lucas" not in page


def test_a_teacher_of_none_of_the_classes_is_offered_no_case(client, school_a, two_cases):
    from tests.builders.schools import make_teacher

    newcomer = make_teacher(school_a, email="newcomer@example.org")
    client.force_login(newcomer)
    page = ticket_form(client)
    assert "Emma" not in page and "Lucas" not in page


def test_the_director_is_offered_every_case_of_the_school(client, director_a, two_cases):
    mine, theirs = two_cases
    client.force_login(director_a)
    page = ticket_form(client)
    assert mine.number in page and theirs.number in page


def test_a_teacher_cannot_post_a_case_of_another_class(client, teacher_a, two_cases):
    _mine, theirs = two_cases
    client.force_login(teacher_a)
    response = client.post(
        reverse("helpdesk:ticket_open"),
        {"subject": "Caméra", "category": "hardware", "description": "En panne.", "case": theirs.pk},
    )
    assert response.status_code == 400
    assert not Ticket.objects.exists()
