"""Sessions end after idle time (staff sooner), after 12 hours whatever, and with a new password."""

import time

from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.models import Session
from django.urls import reverse
import pytest

from classcontact.sessions import LAST_SEEN_AT, STARTED_AT
from tests.builders.schools import PASSWORD

pytestmark = pytest.mark.django_db

MINUTE = 60


def age_session(client, *, idle_minutes: float = 0, started_hours_ago: float = 0) -> None:
    session = client.session
    now = time.time()
    session[LAST_SEEN_AT] = now - idle_minutes * MINUTE
    session[STARTED_AT] = now - max(started_hours_ago * 3600, idle_minutes * MINUTE)
    session.save()


def is_logged_out(response, client) -> bool:
    return (
        response.status_code == 302
        and response["Location"].startswith(reverse("login"))
        and (SESSION_KEY not in client.session)
    )


def test_staff_are_logged_out_after_31_idle_minutes(client, coordinator):
    client.force_login(coordinator)
    age_session(client, idle_minutes=29)
    assert client.get(reverse("staff_home")).status_code == 200
    age_session(client, idle_minutes=31)
    assert is_logged_out(client.get(reverse("staff_home")), client)


def test_school_people_keep_their_session_for_two_idle_hours(client, director_a):
    client.force_login(director_a)
    age_session(client, idle_minutes=119)
    assert client.get(reverse("schools:dashboard")).status_code == 200
    age_session(client, idle_minutes=121)
    assert is_logged_out(client.get(reverse("schools:dashboard")), client)


def test_the_idle_limits_are_settings(client, director_a, settings):
    settings.SESSION_IDLE_MINUTES = 10
    client.force_login(director_a)
    age_session(client, idle_minutes=11)
    assert is_logged_out(client.get(reverse("schools:dashboard")), client)


def test_activity_keeps_the_session_alive_until_twelve_hours_after_login(client, director_a):
    client.force_login(director_a)
    age_session(client, idle_minutes=1, started_hours_ago=11.9)
    assert client.get(reverse("schools:dashboard")).status_code == 200
    age_session(client, idle_minutes=1, started_hours_ago=12.1)
    response = client.get(reverse("schools:dashboard"))
    assert is_logged_out(response, client)
    assert response["Location"] == f"{reverse('login')}?next=%2Fschools%2F"


def test_the_session_cookie_lives_no_longer_than_the_absolute_limit(client, director_a, settings):
    response = client.post(reverse("login"), {"username": director_a.email, "password": PASSWORD})
    assert response.cookies[settings.SESSION_COOKIE_NAME]["max-age"] == 12 * 3600


def test_login_gives_a_new_session_id(client, director_a):
    client.get(reverse("login"))
    client.session.save()
    before = client.session.session_key
    client.post(reverse("login"), {"username": director_a.email, "password": PASSWORD})
    assert client.session.session_key != before
    assert client.session[SESSION_KEY] == str(director_a.pk)


def test_a_new_password_ends_every_session_of_the_person(
    client, director_a, django_capture_on_commit_callbacks
):
    other = client.__class__()
    other.force_login(director_a)
    client.force_login(director_a)
    with django_capture_on_commit_callbacks(execute=True):
        director_a.set_password("a-brand-new-password-42")
        director_a.save()
    assert not Session.objects.exists()
    for session in (client, other):
        assert is_logged_out(session.get(reverse("schools:dashboard")), session)


def test_deactivating_an_account_ends_its_sessions(client, technician, django_capture_on_commit_callbacks):
    client.force_login(technician)
    with django_capture_on_commit_callbacks(execute=True):
        technician.is_active = False
        technician.save(update_fields=["is_active"])
    assert not Session.objects.exists()
    assert is_logged_out(client.get(reverse("staff_home")), client)


def test_saving_a_name_keeps_the_sessions(client, director_a, django_capture_on_commit_callbacks):
    client.force_login(director_a)
    with django_capture_on_commit_callbacks(execute=True):
        director_a.first_name = "Anne"
        director_a.save()
    assert Session.objects.exists()
    assert client.get(reverse("schools:dashboard")).status_code == 200
