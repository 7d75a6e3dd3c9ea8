"""Logging in with an e-mail address, logging out and resetting a forgotten password."""

import re

from django.conf import settings
from django.core import mail
from django.urls import reverse
import pytest
from pytest_django.asserts import assertContains, assertNotContains, assertRedirects

from schools.forms import ERROR_LOGIN_MISMATCH
from schools.models import Language
from tests.builders.schools import PASSWORD

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "violet-harbour-lantern-77"
RESET_LINK = re.compile(r"https?://testserver(/accounts/password/reset/[^/\s\"]+/[^/\s\"]+/)")


def log_in(client, email, password=PASSWORD, **extra):
    return client.post(reverse("login"), {"username": email, "password": password}, **extra)


def logged_in_user_id(client):
    return client.session.get("_auth_user_id")


@pytest.mark.french
def test_login_page_is_public_and_french_by_default(client):
    response = client.get(reverse("login"))
    assert response.status_code == 200
    assertContains(response, '<html lang="fr">')
    assertContains(response, 'name="username"')
    assertContains(response, 'type="email"')
    assertContains(response, 'autocomplete="current-password"')
    assert re.search(r'<label\s+for="id_username"', response.content.decode())


def test_director_logs_in_with_email_and_lands_on_dashboard(client, director_a, school_a):
    response = log_in(client, "director.a@example.org")
    assertRedirects(response, reverse("home"), fetch_redirect_response=False)
    assert logged_in_user_id(client) == str(director_a.pk)
    response = client.get(reverse("home"), follow=True)
    assert response.redirect_chain[-1][0] == reverse("schools:dashboard")
    assertContains(response, school_a.name)


@pytest.mark.parametrize("typed", ["Director.A@Example.ORG", "  DIRECTOR.A@EXAMPLE.ORG  "])
def test_email_is_case_insensitive_at_login(client, director_a, typed):
    response = log_in(client, typed)
    assert response.status_code == 302
    assert logged_in_user_id(client) == str(director_a.pk)


def test_wrong_password_says_so_and_keeps_the_email(client, director_a):
    response = log_in(client, "director.a@example.org", "not-the-password")
    assert response.status_code == 200
    assertContains(response, str(ERROR_LOGIN_MISMATCH))
    assertContains(response, 'value="director.a@example.org"')
    assert logged_in_user_id(client) is None


def test_password_is_case_sensitive(client, director_a):
    log_in(client, "director.a@example.org", PASSWORD.upper())
    assert logged_in_user_id(client) is None


def test_unknown_email_gets_the_same_message_as_a_wrong_password(client):
    response = log_in(client, "nobody@example.org")
    assert response.status_code == 200
    assertContains(response, str(ERROR_LOGIN_MISMATCH))


def test_malformed_email_shows_an_error_next_to_the_field(client):
    response = log_in(client, "not-an-email")
    assert response.status_code == 200
    assertContains(response, "is-invalid")
    assertContains(response, 'value="not-an-email"')


def test_deactivated_account_cannot_log_in(client, director_a):
    director_a.is_active = False
    director_a.save(update_fields=["is_active"])
    log_in(client, "director.a@example.org")
    assert logged_in_user_id(client) is None


def test_login_follows_next_to_the_page_asked_for(client, director_a, school_a):
    target = reverse("schools:detail", kwargs={"school_id": school_a.pk})
    response = client.get(target)
    assertRedirects(response, f"{reverse('login')}?next={target}", fetch_redirect_response=False)
    response = client.post(
        f"{reverse('login')}?next={target}",
        {"username": "director.a@example.org", "password": PASSWORD, "next": target},
    )
    assertRedirects(response, target, fetch_redirect_response=False)


def test_login_refuses_to_send_people_to_another_site(client, director_a):
    response = client.post(
        reverse("login"),
        {"username": "director.a@example.org", "password": PASSWORD, "next": "https://evil.example/"},
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("home")


def test_login_switches_the_portal_to_the_account_language(client, director_a):
    director_a.language = Language.EN
    director_a.save(update_fields=["language"])
    response = log_in(client, "director.a@example.org")
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    page = client.get(reverse("schools:dashboard"))
    assertContains(page, '<html lang="en">')


def test_logged_in_person_opening_the_login_page_goes_home(client, director_a):
    client.force_login(director_a)
    response = client.get(reverse("login"))
    assertRedirects(response, reverse("home"), fetch_redirect_response=False)


def test_logout_needs_a_post(client, director_a):
    client.force_login(director_a)
    assert client.get(reverse("logout")).status_code == 405
    assert logged_in_user_id(client) == str(director_a.pk)
    response = client.post(reverse("logout"))
    assertRedirects(response, reverse("login"), fetch_redirect_response=False)
    assert logged_in_user_id(client) is None
    assertRedirects(
        client.get(reverse("schools:dashboard")),
        f"{reverse('login')}?next={reverse('schools:dashboard')}",
        fetch_redirect_response=False,
    )


def test_every_page_offers_a_logout_button_as_a_form(client, director_a):
    client.force_login(director_a)
    response = client.get(reverse("schools:dashboard"))
    assertContains(response, f'action="{reverse("logout")}" method="post"')


def ask_for_reset(client, email):
    response = client.post(reverse("password_reset"), {"email": email})
    assertRedirects(response, reverse("password_reset_done"))
    return response


def reset_path_from(message) -> str:
    match = RESET_LINK.search(message.body)
    assert match, message.body
    return match.group(1)


def test_password_reset_mail_has_text_and_html_with_the_same_link(client, director_a):
    ask_for_reset(client, "Director.A@example.org")
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["director.a@example.org"]
    assert "ClassContact" in message.subject
    html, mimetype = message.alternatives[0]
    assert mimetype == "text/html"
    path = reset_path_from(message)
    assert f'href="http://testserver{path}"' in html


def test_password_reset_link_sets_a_new_password(client, director_a):
    ask_for_reset(client, "director.a@example.org")
    path = reset_path_from(mail.outbox[0])
    form_page = client.get(path, follow=True)
    assert form_page.status_code == 200
    assertContains(form_page, 'name="new_password1"')
    set_password_url = form_page.redirect_chain[-1][0]
    response = client.post(set_password_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assertRedirects(response, reverse("password_reset_complete"))
    director_a.refresh_from_db()
    assert director_a.check_password(NEW_PASSWORD)
    log_in(client, "director.a@example.org", PASSWORD)
    assert logged_in_user_id(client) is None
    log_in(client, "director.a@example.org", NEW_PASSWORD)
    assert logged_in_user_id(client) == str(director_a.pk)


def test_password_reset_form_keeps_errors_next_to_the_fields(client, director_a):
    ask_for_reset(client, "director.a@example.org")
    form_page = client.get(reset_path_from(mail.outbox[0]), follow=True)
    response = client.post(
        form_page.redirect_chain[-1][0], {"new_password1": NEW_PASSWORD, "new_password2": "something-else"}
    )
    assert response.status_code == 200
    assertContains(response, "is-invalid")
    director_a.refresh_from_db()
    assert director_a.check_password(PASSWORD)


def test_used_reset_link_says_it_no_longer_works(client, director_a):
    ask_for_reset(client, "director.a@example.org")
    path = reset_path_from(mail.outbox[0])
    form_page = client.get(path, follow=True)
    client.post(
        form_page.redirect_chain[-1][0], {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
    )
    again = client.get(path, follow=True)
    assert again.status_code == 200
    assert again.context["validlink"] is False
    assertContains(again, "It was already used or it has expired")
    assertNotContains(again, 'name="new_password1"')


def test_bad_reset_link_says_it_no_longer_works(client):
    response = client.get(
        reverse("password_reset_confirm", kwargs={"uidb64": "MTIzNDU", "token": "bad-token"}), follow=True
    )
    assert response.status_code == 200
    assertContains(response, "This link no longer works")
    assertNotContains(response, 'name="new_password1"')


def test_reset_for_an_unknown_address_says_the_same_and_sends_nothing(client):
    ask_for_reset(client, "nobody@example.org")
    assert mail.outbox == []
    page = client.get(reverse("password_reset_done"))
    assertContains(page, "If an account exists with this address")


def test_reset_form_rejects_a_malformed_address_next_to_the_field(client):
    response = client.post(reverse("password_reset"), {"email": "nope"})
    assert response.status_code == 200
    assertContains(response, "is-invalid")
    assertContains(response, 'value="nope"')
