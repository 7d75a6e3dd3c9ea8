"""A home page's line reads a bounded number of rows: past ``COUNT_LIMIT`` it shows "N+"."""

from django.urls import reverse
import pytest
from pytest_django.asserts import assertContains

from cases.states import CaseStatus
from classcontact import homes
from classcontact.homes import home_lines
from helpdesk.models import Status, Ticket
from tests.builders.cases import make_case
from tests.builders.helpdesk import open_ticket
from tests.builders.schools import make_teacher

pytestmark = pytest.mark.django_db


def test_a_line_counts_up_to_its_limit_and_says_more_wait(
    client, monkeypatch, school_a, director_a, coordinator
):
    monkeypatch.setattr(homes, "COUNT_LIMIT", 2)
    first = make_case(school_a, director_a, coordinator, CaseStatus.SUBMITTED)
    for _n in range(3):
        make_case(school_a, director_a, coordinator, CaseStatus.SUBMITTED)
    client.force_login(coordinator)

    page = client.get(reverse("staff_home"))

    line = {line.key: line for line in page.context["lines"]}["cases-to-review"]
    assert (line.count, line.more, line.count_shown) == (3, True, "2+")  # read 3 of the 4, not all
    assert line.first_url == reverse("cases:staff_detail", args=[first.public_id])
    assertContains(page, "2+<span")


def test_a_line_under_its_limit_shows_the_exact_count(school_a, director_a, coordinator):
    for _n in range(3):
        make_case(school_a, director_a, coordinator, CaseStatus.SUBMITTED)

    line = {line.key: line for line in home_lines(coordinator)}["cases-to-review"]

    assert (line.count, line.more, line.count_shown) == (3, False, "3")


def test_a_director_sees_the_schools_waiting_tickets_and_a_teacher_only_their_own(school_a, director_a):
    teacher = make_teacher(school_a, email="teacher.a@example.org")
    by_director, by_teacher, answered = (
        open_ticket(school_a, director_a),
        open_ticket(school_a, teacher),
        open_ticket(school_a, teacher),
    )
    Ticket.objects.filter(pk__in=[by_director.pk, by_teacher.pk]).update(status=Status.WAITING)

    director_line = {line.key: line for line in home_lines(director_a)}["tickets-waiting"]
    teacher_line = {line.key: line for line in home_lines(teacher)}["tickets-waiting"]

    assert director_line.count == 2
    assert teacher_line.count == 1
    assert teacher_line.first_url == reverse("helpdesk:ticket_detail", args=[by_teacher.pk])
    assert answered.status != Status.WAITING
