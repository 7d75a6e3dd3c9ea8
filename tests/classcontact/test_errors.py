"""Friendly error pages: 400, 403, 404, 500 and the CSRF failure, with DEBUG off."""

from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.test import Client, RequestFactory
from django.urls import include, path, reverse
import pytest
from pytest_django.asserts import assertContains, assertTemplateUsed

from classcontact import views as portal_views

pytestmark = pytest.mark.django_db


def refuse(request):
    raise PermissionDenied


def explode(request):
    raise RuntimeError("boom")


def fine(request):
    return HttpResponse("fine")


class UrlsWithBrokenViews:
    """The portal's URLs and handlers, plus views that fail on purpose."""

    urlpatterns = [
        path("refuse/", refuse),
        path("explode/", explode),
        path("fine/", fine),
        path("", include("classcontact.urls")),
    ]
    handler400 = "classcontact.views.error_400"
    handler403 = "classcontact.views.error_403"
    handler404 = "classcontact.views.error_404"
    handler500 = "classcontact.views.error_500"


@pytest.fixture(autouse=True)
def _production_like(settings):
    settings.DEBUG = False
    settings.ROOT_URLCONF = UrlsWithBrokenViews


def test_the_portal_declares_its_own_handlers():
    from classcontact import urls

    for code in (400, 403, 404, 500):
        assert getattr(urls, f"handler{code}") == f"classcontact.views.error_{code}"


def test_missing_page_shows_the_friendly_404_with_a_link_home(client, director_a):
    client.force_login(director_a)
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assertTemplateUsed(response, "errors/404.html")
    assertContains(response, "This page does not exist", status_code=404)
    assertContains(response, f'href="{reverse("home")}" data-testid="error-home-link"', status_code=404)
    assertContains(response, 'data-testid="nav-dashboard"', status_code=404)


def test_missing_page_is_friendly_for_anonymous_visitors_too(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assertContains(response, "This page does not exist", status_code=404)


def test_refused_page_shows_the_friendly_403(client, director_a):
    client.force_login(director_a)
    response = client.get("/refuse/")
    assert response.status_code == 403
    assertTemplateUsed(response, "errors/403.html")
    assertContains(response, "You may not see this page", status_code=403)
    assertContains(response, 'data-testid="error-home-link"', status_code=403)


def test_a_staff_page_refuses_a_director_with_the_friendly_403(client, director_a):
    client.force_login(director_a)
    response = client.get(reverse("staff_home"))
    assert response.status_code == 403
    assertContains(response, "You may not see this page", status_code=403)


def test_a_crash_shows_the_friendly_500(director_a):
    client = Client(raise_request_exception=False)
    client.force_login(director_a)
    response = client.get("/explode/")
    assert response.status_code == 500
    assertContains(response, "Something went wrong on our side", status_code=500)
    assertContains(response, 'href="/" data-testid="error-home-link"', status_code=500)
    assertContains(response, '<html lang="en">', status_code=500)


def test_the_500_handler_renders_without_a_user_or_context_processors():
    request = RequestFactory().get("/anything/")
    # No middleware ran: no user, no session, no messages on the request.
    response = portal_views.error_500(request)
    assert response.status_code == 500
    assert b"Something went wrong on our side" in response.content
    assert b"/static/vendor/bootstrap/bootstrap.min.css" in response.content


def test_a_bad_host_gets_the_friendly_400(client, settings):
    settings.ALLOWED_HOSTS = ["portal.example.org"]
    response = client.get("/fine/", HTTP_HOST="evil.example")
    assert response.status_code == 400
    assertContains(response, "We could not understand this request", status_code=400)


def test_a_form_without_its_csrf_token_gets_the_friendly_page(director_a):
    client = Client(enforce_csrf_checks=True)
    response = client.post(reverse("login"), {"username": "director.a@example.org", "password": "x"})
    assert response.status_code == 403
    assertTemplateUsed(response, "errors/csrf.html")
    assertContains(response, "This form has expired", status_code=403)
    assertContains(response, 'data-testid="error-home-link"', status_code=403)
    assert "_auth_user_id" not in client.session


def test_csrf_failure_view_is_the_configured_one(settings):
    assert settings.CSRF_FAILURE_VIEW == "classcontact.views.csrf_failure"


@pytest.mark.parametrize(
    "url_name",
    ["admin:schools_school_history", "admin:loans_kit_history", "admin:helpdesk_ticket_history"],
)
def test_an_admin_version_address_that_is_not_a_number_is_not_found(client, coordinator, school_a, url_name):
    client.force_login(coordinator)
    url = reverse(url_name, args=[school_a.pk]) + "nonsense/"
    assert client.get(url).status_code == 404
