"""Pages ask the database a fixed number of questions, whatever the number of rows."""

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
import pytest

from helpdesk import services
from helpdesk.models import Category, Status
from tests.builders.files import png_upload
from tests.builders.helpdesk import open_ticket
from tests.builders.loans import case_with_kit
from tests.builders.schools import make_school, make_teacher

MAX_QUERIES = 13  # one of them reads the session's second-factor device


def many_tickets(count: int, helpdesk_agent) -> list:
    tickets = []
    for n in range(count):
        school = make_school()
        ticket = open_ticket(
            school, make_teacher(school), subject=f"Micro {n}", category=Category.values[n % 5]
        )
        if n % 2:
            services.ticket_assign(ticket=ticket, assignee=helpdesk_agent, by=helpdesk_agent)
        tickets.append(ticket)
    return tickets


def conversation(ticket, teacher, agent, messages: int) -> None:
    for n in range(messages):
        if n % 3 == 2:
            services.ticket_add_note(ticket=ticket, author=agent, body=f"Note {n}")
        elif n % 3 == 1:
            services.ticket_reply(
                ticket=ticket, author=agent, body=f"Réponse {n}", attachments=[png_upload()]
            )
        else:
            services.ticket_reply(
                ticket=ticket, author=teacher, body=f"Question {n}", attachments=[png_upload()]
            )


def count_queries(client, url, **params) -> int:
    """The queries of a page in steady use: opened once before, what requests share (the
    school calendar, in the cache) is loaded."""
    client.get(url, params)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, params)
    assert response.status_code == 200
    return len(queries)


QUEUE_VIEWS = [
    {},
    {"state": "all"},
    {"state": "open", "category": "hardware", "due": "past", "assignee": "me"},
    {"due": "soon"},
    {"q": "micro", "state": "all"},
    {"school": "École"},
]


@pytest.mark.parametrize("params", QUEUE_VIEWS)
def test_the_queue_needs_the_same_few_queries_for_3_or_30_tickets(
    client, helpdesk_agent, params, django_assert_max_num_queries
):
    client.force_login(helpdesk_agent)
    tickets = many_tickets(3, helpdesk_agent)
    small = count_queries(client, reverse("helpdesk:staff_queue"), **params)
    tickets += many_tickets(27, helpdesk_agent)
    services.ticket_set_status(ticket=tickets[-1], status=Status.OPEN, by=helpdesk_agent)
    with django_assert_max_num_queries(MAX_QUERIES):
        response = client.get(reverse("helpdesk:staff_queue"), params)
    assert response.status_code == 200
    assert count_queries(client, reverse("helpdesk:staff_queue"), **params) == small


def test_a_staff_ticket_page_needs_the_same_few_queries_for_2_or_20_messages(
    client, school_a, teacher_a, helpdesk_agent, django_assert_max_num_queries
):
    client.force_login(helpdesk_agent)
    ticket = open_ticket(school_a, teacher_a, attachments=[png_upload()])
    conversation(ticket, teacher_a, helpdesk_agent, 2)
    url = reverse("helpdesk:staff_ticket_detail", args=[ticket.pk])
    small = count_queries(client, url)
    conversation(ticket, teacher_a, helpdesk_agent, 18)
    assert ticket.messages.count() == 20
    with django_assert_max_num_queries(MAX_QUERIES):
        client.get(url)
    assert count_queries(client, url) == small


def test_a_school_ticket_page_and_list_need_the_same_few_queries_whatever_the_rows(
    client, school_a, teacher_a, helpdesk_agent, django_assert_max_num_queries
):
    client.force_login(teacher_a)
    ticket = open_ticket(school_a, teacher_a)
    conversation(ticket, teacher_a, helpdesk_agent, 2)
    detail = reverse("helpdesk:ticket_detail", args=[ticket.pk])
    listing = reverse("helpdesk:ticket_list")
    small_detail, small_list = count_queries(client, detail), count_queries(client, listing)
    conversation(ticket, teacher_a, helpdesk_agent, 18)
    for n in range(30):
        open_ticket(school_a, teacher_a, subject=f"Ticket {n}")
    with django_assert_max_num_queries(MAX_QUERIES):
        client.get(detail)
    with django_assert_max_num_queries(MAX_QUERIES):
        client.get(listing)
    assert count_queries(client, detail) == small_detail
    assert count_queries(client, listing) == small_list


def linked_tickets(school, director, teacher, coordinator, count: int) -> list:
    """Tickets about a kit lent to one of the school's cases, each with its own case and kit."""
    tickets = []
    for _n in range(count):
        _case, loan = case_with_kit(school, director, coordinator, signed=False)
        tickets.append(open_ticket(school, teacher, kit=loan.kit))
    return tickets


@pytest.mark.parametrize("search", ["kit", "case", "none"])
def test_the_queue_with_linked_tickets_and_link_searches_stays_within_the_limit(
    client,
    school_a,
    director_a,
    teacher_a,
    coordinator,
    helpdesk_agent,
    search,
    django_assert_max_num_queries,
):
    client.force_login(helpdesk_agent)
    first = linked_tickets(school_a, director_a, teacher_a, coordinator, 1)[0]
    params = {
        "kit": {"q": first.kit.code.lower(), "state": "all"},
        "case": {"q": first.case.number, "state": "all"},
        "none": {},
    }[search]
    small = count_queries(client, reverse("helpdesk:staff_queue"), **params)
    linked_tickets(school_a, director_a, teacher_a, coordinator, 3)
    with django_assert_max_num_queries(MAX_QUERIES):
        response = client.get(reverse("helpdesk:staff_queue"), params)
    assert first.kit.code in response.content.decode()
    assert count_queries(client, reverse("helpdesk:staff_queue"), **params) == small


def test_a_linked_ticket_page_needs_one_more_query_than_an_unlinked_one(
    client, school_a, director_a, teacher_a, coordinator, helpdesk_agent, django_assert_max_num_queries
):
    plain = open_ticket(school_a, teacher_a)
    linked = linked_tickets(school_a, director_a, teacher_a, coordinator, 1)[0]
    for person, name in [
        (helpdesk_agent, "helpdesk:staff_ticket_detail"),
        (teacher_a, "helpdesk:ticket_detail"),
        (director_a, "helpdesk:ticket_detail"),
    ]:
        client.force_login(person)
        with django_assert_max_num_queries(MAX_QUERIES):
            response = client.get(reverse(name, args=[linked.pk]))
        assert linked.kit.code in response.content.decode()
        unlinked = count_queries(client, reverse(name, args=[plain.pk]))
        # The case (with its class) is read apart, and only for a ticket that has one.
        assert count_queries(client, reverse(name, args=[linked.pk])) == unlinked + 1, name
