"""Repeated failed logins: each failure is slowed, then django-axes locks the e-mail and address."""

import datetime
import re
import time

from axes.models import AccessAttempt
from django.conf import settings
from django.core import mail
from django.urls import reverse
from django.utils import timezone
import pytest
from pytest_django.asserts import assertContains, assertNotContains, assertTemplateUsed

from tests.builders.schools import PASSWORD

pytestmark = pytest.mark.django_db

EMAIL = "director.a@example.org"
# django-axes 8 answers a locked login with 429 Too Many Requests (AXES_HTTP_RESPONSE_CODE).
LOCKED = 429


def log_in(client, email=EMAIL, password=PASSWORD, address="10.0.0.7", path=None):
    return client.post(
        path or reverse("login"), {"username": email, "password": password}, REMOTE_ADDR=address
    )


def fail(client, times, email=EMAIL, **kwargs):
    return [log_in(client, email, "wrong-password", **kwargs) for _ in range(times)]


def logged_in(client) -> bool:
    return "_auth_user_id" in client.session


def test_settings_match_what_the_tests_assume():
    assert settings.AXES_HTTP_RESPONSE_CODE == LOCKED
    assert settings.AXES_USERNAME_FORM_FIELD == "username"
    assert settings.AXES_FAILURE_LIMIT >= 2


def test_each_failure_is_slowed_down(client, director_a, settings):
    settings.LOGIN_FAILURE_DELAY_SECONDS = 0.3
    started = time.monotonic()
    response = log_in(client, password="wrong-password")
    assert time.monotonic() - started >= 0.3
    assert response.status_code == 200


def test_failures_are_counted_under_the_login_field_name_in_lower_case(client, director_a):
    fail(client, 1, email="Director.A@EXAMPLE.org")
    attempt = AccessAttempt.objects.get()
    assert attempt.username == EMAIL
    assert attempt.ip_address == "10.0.0.7"
    assert attempt.failures_since_start == 1
    assert "wrong-password" not in attempt.post_data


def test_the_limit_th_failure_locks_the_email_and_address(client, director_a):
    responses = fail(client, settings.AXES_FAILURE_LIMIT)
    assert [r.status_code for r in responses[:-1]] == [200] * (settings.AXES_FAILURE_LIMIT - 1)
    locked = responses[-1]
    assert locked.status_code == LOCKED
    assertTemplateUsed(locked, "registration/locked_out.html")
    assertContains(locked, "Too many failed attempts", status_code=LOCKED)
    minutes = round(settings.AXES_COOLOFF_TIME * 60)
    assertContains(locked, f"Try again in {minutes} minutes", status_code=LOCKED)


def test_the_right_password_does_not_open_a_locked_login(client, director_a):
    fail(client, settings.AXES_FAILURE_LIMIT)
    response = log_in(client)
    assert response.status_code == LOCKED
    assert not logged_in(client)


def test_changing_the_case_of_the_email_does_not_restart_the_count(client, director_a):
    variants = ["director.a@example.org", "Director.A@example.org", "DIRECTOR.A@EXAMPLE.ORG"]
    for index in range(settings.AXES_FAILURE_LIMIT):
        response = log_in(client, variants[index % len(variants)], "wrong-password")
    assert response.status_code == LOCKED
    assert log_in(client, "Director.a@Example.org").status_code == LOCKED


def test_fewer_failures_than_the_limit_do_not_lock_and_success_clears_them(client, director_a):
    fail(client, settings.AXES_FAILURE_LIMIT - 1)
    response = log_in(client)
    assert response.status_code == 302
    assert logged_in(client)
    assert not AccessAttempt.objects.exists()


def test_the_lock_is_for_one_address_only(client, director_a):
    fail(client, settings.AXES_FAILURE_LIMIT, address="10.0.0.7")
    assert log_in(client, address="10.0.0.8").status_code == 302


def test_the_lock_is_for_one_email_only(client, director_a, director_b):
    fail(client, settings.AXES_FAILURE_LIMIT)
    assert log_in(client, "director.b@example.org").status_code == 302


def test_the_lock_ends_after_the_cool_off(client, director_a):
    fail(client, settings.AXES_FAILURE_LIMIT)
    past = timezone.now() - datetime.timedelta(hours=settings.AXES_COOLOFF_TIME, minutes=1)
    AccessAttempt.objects.update(attempt_time=past)
    response = log_in(client)
    assert response.status_code == 302
    assert logged_in(client)


def test_the_admin_login_counts_towards_the_same_lock(client, coordinator):
    admin_login = reverse("admin:login")
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        log_in(client, "Coordinator@example.org", "wrong-password", path=admin_login)
    response = log_in(client, "coordinator@example.org", "wrong-password")
    assert response.status_code == LOCKED
    assert log_in(client, "coordinator@example.org", path=admin_login).status_code == LOCKED


def test_a_password_reset_lifts_the_lock(client, director_a):
    fail(client, settings.AXES_FAILURE_LIMIT)
    client.post(reverse("password_reset"), {"email": EMAIL})
    path = re.search(r"https?://testserver(\S+/reset/\S+/\S+/)", mail.outbox[0].body).group(1)
    form_page = client.get(path, follow=True)
    new_password = "violet-harbour-lantern-77"
    client.post(
        form_page.redirect_chain[-1][0], {"new_password1": new_password, "new_password2": new_password}
    )
    assert log_in(client, password=new_password).status_code == 302


def test_coordinator_sees_the_lock_and_unlocks_it(client, director_a, coordinator):
    fail(client, settings.AXES_FAILURE_LIMIT)
    staff = client.__class__()
    staff.force_login(coordinator)
    home = staff.get(reverse("staff_home"))
    assert home.context["locked_logins"] == 1
    page = staff.get(reverse("schools:staff_lockouts"))
    assert page.status_code == 200
    assertContains(page, EMAIL)
    assertContains(page, "10.0.0.7")
    assertContains(page, "locked")
    attempt = AccessAttempt.objects.get()
    response = staff.post(reverse("schools:staff_lockout_reset", kwargs={"attempt_id": attempt.pk}))
    assert response.status_code == 302
    assert not AccessAttempt.objects.exists()
    assertContains(staff.get(reverse("schools:staff_lockouts")), "may log in again")
    assert log_in(client).status_code == 302


def test_old_attempts_are_not_listed(client, director_a, coordinator):
    fail(client, 1)
    AccessAttempt.objects.update(attempt_time=timezone.now() - datetime.timedelta(days=2))
    client.force_login(coordinator)
    assertNotContains(client.get(reverse("schools:staff_lockouts")), EMAIL)


def test_unlocking_needs_a_post(client, director_a, coordinator):
    fail(client, 1)
    client.force_login(coordinator)
    url = reverse("schools:staff_lockout_reset", kwargs={"attempt_id": AccessAttempt.objects.get().pk})
    assert client.get(url).status_code == 405
    assert AccessAttempt.objects.exists()


def test_unlocking_an_unknown_attempt_gives_404(client, coordinator):
    client.force_login(coordinator)
    url = reverse("schools:staff_lockout_reset", kwargs={"attempt_id": 999999})
    assert client.post(url).status_code == 404


@pytest.mark.parametrize("persona", ["technician", "helpdesk_agent", "read_only_staff"])
def test_other_staff_get_403_on_the_lockouts(client, director_a, persona, request):
    fail(client, 1)
    attempt = AccessAttempt.objects.get()
    client.force_login(request.getfixturevalue(persona))
    assert client.get(reverse("schools:staff_lockouts")).status_code == 403
    reset_url = reverse("schools:staff_lockout_reset", kwargs={"attempt_id": attempt.pk})
    assert client.post(reset_url).status_code == 403
    assert AccessAttempt.objects.exists()


@pytest.mark.parametrize("persona", ["director_b", "teacher_a"])
def test_non_staff_get_403_on_the_lockouts(client, director_a, persona, request):
    fail(client, 1)
    attempt = AccessAttempt.objects.get()
    client.force_login(request.getfixturevalue(persona))
    assert client.get(reverse("schools:staff_lockouts")).status_code == 403
    reset_url = reverse("schools:staff_lockout_reset", kwargs={"attempt_id": attempt.pk})
    assert client.post(reset_url).status_code == 403
    assert AccessAttempt.objects.exists()


def test_anonymous_is_sent_to_login_from_the_lockouts(client):
    response = client.get(reverse("schools:staff_lockouts"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
