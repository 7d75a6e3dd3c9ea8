"""Markup that assistive technologies read: unique ids, the current navbar entry, the sorted column."""

from collections import Counter
import re

from django.urls import reverse
import pytest

from tests.builders.helpdesk import open_ticket

pytestmark = pytest.mark.django_db


def duplicated_ids(html: str) -> list[str]:
    return [value for value, count in Counter(re.findall(r'\sid="([^"]+)"', html)).items() if count > 1]


def test_the_staff_ticket_page_labels_each_status_field_once(client, helpdesk_agent, school_a, teacher_a):
    ticket = open_ticket(school_a, teacher_a)
    client.force_login(helpdesk_agent)

    html = client.get(reverse("helpdesk:staff_ticket_detail", args=[ticket.pk])).content.decode()

    assert duplicated_ids(html) == []
    assert html.count('for="id_status"') == 1 and html.count('for="id_change_status"') == 1


def test_the_schools_ticket_list_has_unique_ids(client, teacher_a):
    client.force_login(teacher_a)

    html = client.get(reverse("helpdesk:ticket_list")).content.decode()

    assert duplicated_ids(html) == []


def test_the_new_request_entry_is_marked_current(client, director_a):
    client.force_login(director_a)

    html = client.get(reverse("cases:new"), follow=True).content.decode()

    assert re.search(r'data-testid="nav-new-case"', html)
    entry = re.search(r'<a class="nav-link active"[^>]*data-testid="nav-new-case"', html)
    assert entry and "aria-current" in entry.group(0)


def test_the_case_board_says_which_column_it_is_sorted_by(client, coordinator):
    client.force_login(coordinator)

    default = client.get(reverse("cases:staff_board")).content.decode()
    by_number = client.get(reverse("cases:staff_board") + "?sort=number").content.decode()
    by_number_down = client.get(reverse("cases:staff_board") + "?sort=-number").content.decode()

    assert re.findall(r'aria-sort="(ascending|descending)"', default) == ["descending"]
    assert re.findall(r'aria-sort="(ascending|descending)"', by_number) == ["ascending"]
    assert re.findall(r'aria-sort="(ascending|descending)"', by_number_down) == ["descending"]
