"""The staff's navigation is drawn once per language, page and set of rights, then reused."""

from django.conf import settings
from django.urls import reverse
import pytest

from classcontact.templatetags import portal

pytestmark = pytest.mark.django_db

NAV_TEMPLATE = "partials/nav_staff.html"


@pytest.fixture(autouse=True)
def no_navigation_drawn():
    portal._STAFF_NAVIGATION.clear()
    yield
    portal._STAFF_NAVIGATION.clear()


def _page(client, user, url_name: str, language: str = "fr"):
    client.force_login(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    response = client.get(reverse(url_name))
    assert response.status_code == 200
    return response, response.content.decode()


def _drawn(response) -> bool:
    return NAV_TEMPLATE in [template.name for template in response.templates]


def test_the_navigation_is_drawn_once_and_reused_for_the_same_rights(client, coordinator):
    from tests.builders.schools import make_staff

    first, html = _page(client, coordinator, "staff_home")
    assert _drawn(first) and 'data-testid="nav-lockouts"' in html
    other_coordinator = make_staff("coordinator", email="coordinator2@example.org")
    again, html_again = _page(client, other_coordinator, "staff_home")
    assert not _drawn(again)
    assert 'data-testid="nav-lockouts"' in html_again


def test_each_page_marks_its_own_entry(client, coordinator):
    _, home = _page(client, coordinator, "staff_home")
    _, board = _page(client, coordinator, "cases:staff_board")
    assert 'aria-current="page" data-testid="nav-staff-home"' in home
    assert 'aria-current="page" data-testid="nav-cases"' in board
    assert 'aria-current="page" data-testid="nav-staff-home"' not in board


def test_other_rights_get_their_own_navigation(client, coordinator, technician):
    _page(client, coordinator, "cases:staff_board")
    response, html = _page(client, technician, "cases:staff_board")
    assert _drawn(response)
    assert 'data-testid="nav-lockouts"' not in html
    assert 'aria-current="page" data-testid="nav-cases"' in html


def test_each_language_gets_its_own_navigation(client, coordinator):
    _, french = _page(client, coordinator, "staff_home", "fr")
    _, english = _page(client, coordinator, "staff_home", "en")
    assert "Gestion" in french and "Management" not in french
    assert "Management" in english


def test_static_addresses_are_looked_up_once_and_follow_the_settings(settings):
    from classcontact.templatetags.portal import _STATIC_URLS, asset

    settings.STATIC_URL = "/static/"
    first = asset("css/portal.css")
    assert first.startswith("/static/css/portal") and _STATIC_URLS["css/portal.css"] == first
    settings.STATIC_URL = "/elsewhere/"
    assert asset("css/portal.css").startswith("/elsewhere/css/portal")
