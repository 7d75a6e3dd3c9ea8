"""WCAG 2.1 AA across the staff's pages, in French, on a desktop and on a phone (axe runs through the fixtures)."""

import pytest

from tests.browser.tour import walk_main_pages

pytestmark = [pytest.mark.browser, pytest.mark.french, pytest.mark.django_db(transaction=True)]

STAFF_ROLES = [
    "coordinator@demo.classcontact.be",
    "technician@demo.classcontact.be",
    "helpdesk@demo.classcontact.be",
]


@pytest.mark.parametrize("email", STAFF_ROLES)
def test_staff_roles_pages_meet_wcag_21_aa_on_desktop_and_phone(email, demo, page, phone_page, live_server):
    walk_main_pages(page, live_server, email)
    walk_main_pages(phone_page, live_server, email)
