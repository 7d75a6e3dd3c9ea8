"""Directors, delegates and coordinators invite people to a school by e-mail."""

import datetime
import re

from django.core import mail
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
import pytest
from pytest_django.asserts import assertContains, assertNotContains, assertRedirects

from schools.models import Invitation, Language, Membership, MembershipRole, User
from schools.services import (
    ERROR_ACCOUNT_DEACTIVATED,
    ERROR_ALREADY_MEMBER,
    ERROR_INVITATION_DEAD,
    ERROR_INVITATION_EXPIRED,
    ERROR_INVITATION_UNKNOWN,
    ERROR_INVITATION_USED,
    hash_token,
)
from tests.builders.schools import make_member, make_staff

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "violet-harbour-lantern-77"
LINK = re.compile(r"https?://[^/\s]+(/accounts/invitation/([A-Za-z0-9_-]+)/)")


def invite_url(school):
    return reverse("schools:invite", kwargs={"school_id": school.pk})


def detail_url(school):
    return reverse("schools:detail", kwargs={"school_id": school.pk})


def invite(client, school, email="new.teacher@example.org", role=MembershipRole.TEACHER):
    return client.post(invite_url(school), {"email": email, "role": role})


def link_in(message) -> tuple[str, str]:
    match = LINK.search(message.body)
    assert match, message.body
    return match.group(1), match.group(2)


def accept_data(**changes):
    return {
        "first_name": "Nora",
        "last_name": "Peeters",
        "language": "en",
        "password1": NEW_PASSWORD,
        "password2": NEW_PASSWORD,
        **changes,
    }


@pytest.fixture
def invited(client, director_a, school_a, django_capture_on_commit_callbacks):
    """A teacher invited by director A: returns (path of the link, token)."""
    client.force_login(director_a)
    with django_capture_on_commit_callbacks(execute=True):
        invite(client, school_a)
    client.logout()
    return link_in(mail.outbox[-1])


def test_director_invites_a_teacher_who_gets_a_mail_with_the_link(
    client, director_a, school_a, django_capture_on_commit_callbacks
):
    client.force_login(director_a)
    with django_capture_on_commit_callbacks(execute=True):
        response = invite(client, school_a, email="New.Teacher@Example.org")
    assertRedirects(response, detail_url(school_a))
    invitation = Invitation.objects.get()
    assert invitation.email == "new.teacher@example.org"
    assert invitation.role == MembershipRole.TEACHER
    assert invitation.school == school_a
    assert invitation.invited_by == director_a
    assert invitation.history.get().history_user == director_a

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["new.teacher@example.org"]
    assert school_a.name in message.subject
    path, token = link_in(message)
    assert invitation.token_hash == hash_token(token) != token
    html, mimetype = message.alternatives[0]
    assert mimetype == "text/html"
    assert path in html

    page = client.get(detail_url(school_a))
    assertContains(page, "new.teacher@example.org")


def test_no_mail_leaves_before_the_invitation_is_saved(client, director_a, school_a):
    client.force_login(director_a)
    invite(client, school_a)
    # The test runs inside a transaction that never commits: the mail is still waiting.
    assert mail.outbox == []
    assert Invitation.objects.count() == 1


@pytest.mark.parametrize("role", [MembershipRole.DIRECTOR, MembershipRole.DELEGATE, MembershipRole.TEACHER])
def test_coordinator_invites_any_role_to_any_school(
    client, coordinator, school_b, role, django_capture_on_commit_callbacks
):
    client.force_login(coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        response = invite(client, school_b, email="someone@example.org", role=role)
    assert response.status_code == 302
    assert Invitation.objects.get().role == role
    assert len(mail.outbox) == 1


def test_delegate_invites_a_teacher(client, school_a):
    delegate = make_member(school_a, MembershipRole.DELEGATE, email="delegate.a@example.org")
    client.force_login(delegate)
    assert invite(client, school_a).status_code == 302
    assert Invitation.objects.filter(school=school_a).count() == 1


def test_teacher_cannot_invite(client, teacher_a, school_a):
    client.force_login(teacher_a)
    assert invite(client, school_a).status_code == 404
    page = client.get(detail_url(school_a))
    assert page.status_code == 200
    assertNotContains(page, 'data-testid="invite-form"')
    assert not Invitation.objects.exists()


def test_director_of_another_school_gets_404(client, director_b, school_a):
    client.force_login(director_b)
    assert invite(client, school_a).status_code == 404
    assert client.get(detail_url(school_a)).status_code == 404
    assert not Invitation.objects.exists()


@pytest.mark.parametrize("persona", ["technician", "helpdesk_agent", "read_only_staff"])
def test_staff_other_than_coordinators_get_403(client, school_a, persona, request):
    client.force_login(request.getfixturevalue(persona))
    assert invite(client, school_a).status_code == 403
    page = client.get(detail_url(school_a))
    assert page.status_code == 200
    assertNotContains(page, 'data-testid="invite-form"')
    assert not Invitation.objects.exists()


def test_anonymous_is_sent_to_login(client, school_a):
    response = invite(client, school_a)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_inviting_needs_a_post(client, director_a, school_a):
    client.force_login(director_a)
    assert client.get(invite_url(school_a)).status_code == 405


def test_unknown_school_gives_404(client, coordinator):
    client.force_login(coordinator)
    response = client.post(reverse("schools:invite", kwargs={"school_id": 999999}), {})
    assert response.status_code == 404


def test_malformed_email_keeps_typed_data_and_shows_the_error_next_to_the_field(client, director_a, school_a):
    client.force_login(director_a)
    response = invite(client, school_a, email="not-an-email", role=MembershipRole.DELEGATE)
    assert response.status_code == 400
    html = response.content.decode()
    assert re.search(r'<input[^>]*name="email"[^>]*value="not-an-email"', html) or re.search(
        r'<input[^>]*value="not-an-email"[^>]*name="email"', html
    )
    assert re.search(r'<input[^>]*class="[^"]*is-invalid[^"]*"[^>]*name="email"', html) or re.search(
        r'<input[^>]*name="email"[^>]*class="[^"]*is-invalid', html
    )
    assert re.search(r'<option value="delegate" selected>', html)
    assert 'id="error_1_id_email"' in html
    assert not Invitation.objects.exists()


def test_missing_fields_are_reported_with_400(client, director_a, school_a):
    client.force_login(director_a)
    response = client.post(invite_url(school_a), {})
    assert response.status_code == 400
    assert set(response.context["invite_form"].errors) == {"email", "role"}


def test_unknown_role_is_refused_next_to_the_field(client, director_a, school_a):
    client.force_login(director_a)
    response = invite(client, school_a, role="headmaster")
    assert response.status_code == 400
    assert "role" in response.context["invite_form"].errors
    assertContains(response, 'value="new.teacher@example.org"', status_code=400)


def test_inviting_a_member_of_the_school_is_refused_next_to_the_field(
    client, director_a, teacher_a, school_a
):
    client.force_login(director_a)
    response = invite(client, school_a, email="Teacher.A@example.org")
    assert response.status_code == 400
    assert response.context["invite_form"].errors["email"] == [str(ERROR_ALREADY_MEMBER)]
    assertContains(response, str(ERROR_ALREADY_MEMBER), status_code=400)
    assert not Invitation.objects.exists()
    assert mail.outbox == []


def test_a_new_invitation_replaces_the_previous_link(
    client, director_a, school_a, django_capture_on_commit_callbacks
):
    client.force_login(director_a)
    with django_capture_on_commit_callbacks(execute=True):
        invite(client, school_a)
        invite(client, school_a)
    first_path, _ = link_in(mail.outbox[0])
    second_path, _ = link_in(mail.outbox[1])
    client.logout()
    old = client.get(first_path)
    assert old.status_code == 410
    assertContains(old, str(ERROR_INVITATION_DEAD), status_code=410)
    assert client.get(second_path).status_code == 200


def test_the_link_shows_the_school_and_the_account_email(client, invited, school_a):
    path, _ = invited
    response = client.get(path)
    assert response.status_code == 200
    assertContains(response, school_a.name)
    assertContains(response, "new.teacher@example.org")
    for field in ("first_name", "last_name", "language", "password1", "password2"):
        assertContains(response, f'name="{field}"')


def test_accepting_sets_names_language_and_password_then_the_person_logs_in(client, invited, school_a):
    path, _ = invited
    response = client.post(path, accept_data())
    assertRedirects(response, reverse("login"))
    user = User.objects.get(email="new.teacher@example.org")
    assert (user.first_name, user.last_name, user.language) == ("Nora", "Peeters", Language.EN)
    assert user.check_password(NEW_PASSWORD)
    assert Membership.objects.get(user=user).school == school_a
    assert Membership.objects.get(user=user).role == MembershipRole.TEACHER
    invitation = Invitation.objects.get()
    assert invitation.accepted_by == user
    assert invitation.accepted_at is not None

    login = client.post(reverse("login"), {"username": "new.teacher@example.org", "password": NEW_PASSWORD})
    assert login.status_code == 302
    dashboard = client.get(reverse("home"), follow=True)
    assertContains(dashboard, school_a.name)
    assertContains(dashboard, '<html lang="en">')


def test_used_link_gets_the_dead_link_page_with_410(client, invited):
    path, _ = invited
    client.post(path, accept_data())
    for method in (client.get, client.post):
        response = method(path, accept_data(first_name="Someone else"))
        assert response.status_code == 410
        assertContains(response, str(ERROR_INVITATION_DEAD), status_code=410)
        assertNotContains(response, str(ERROR_INVITATION_USED), status_code=410)
    assert User.objects.get(email="new.teacher@example.org").first_name == "Nora"


def test_expired_link_gets_the_dead_link_page_with_410(client, invited):
    path, _ = invited
    Invitation.objects.update(expires_at=timezone.now() - datetime.timedelta(minutes=1))
    response = client.get(path)
    assert response.status_code == 410
    assertContains(response, str(ERROR_INVITATION_DEAD), status_code=410)
    assertNotContains(response, str(ERROR_INVITATION_EXPIRED), status_code=410)
    response = client.post(path, accept_data())
    assert response.status_code == 410
    assert not User.objects.filter(email="new.teacher@example.org").exists()


def test_unknown_link_gets_the_dead_link_page_with_410(client):
    response = client.get(reverse("invitation_accept", kwargs={"token": "made-up-token"}))
    assert response.status_code == 410
    assertContains(response, str(ERROR_INVITATION_DEAD), status_code=410)
    assertNotContains(response, str(ERROR_INVITATION_UNKNOWN), status_code=410)
    assertContains(response, 'data-testid="invitation-reason"', status_code=410)


def dead_link_reason(response) -> str:
    return re.search(r'data-testid="invitation-reason">(.*?)</p>', response.content.decode()).group(1)


def test_unknown_expired_and_used_links_look_the_same(
    client, director_a, school_a, django_capture_on_commit_callbacks
):
    client.force_login(director_a)
    with django_capture_on_commit_callbacks(execute=True):
        invite(client, school_a, email="one@example.org")
        invite(client, school_a, email="two@example.org")
    client.logout()
    used, _ = link_in(mail.outbox[0])
    expired, _ = link_in(mail.outbox[1])
    client.post(used, accept_data())
    Invitation.objects.filter(email="two@example.org").update(expires_at=timezone.now())
    unknown = reverse("invitation_accept", kwargs={"token": "made-up-token"})
    pages = [client.get(path) for path in (unknown, expired, used)]
    assert {page.status_code for page in pages} == {410}
    assert len({dead_link_reason(page) for page in pages}) == 1


def test_mismatched_passwords_keep_the_names_and_show_the_error(client, invited):
    path, _ = invited
    response = client.post(path, accept_data(password2="another-password-entirely"))
    assert response.status_code == 400
    assert "password2" in response.context["form"].errors
    assertContains(response, 'value="Nora"', status_code=400)
    assertContains(response, 'value="Peeters"', status_code=400)
    assert not User.objects.filter(email="new.teacher@example.org").exists()
    assert Invitation.objects.get().accepted_at is None


@pytest.mark.parametrize("weak", ["12345678", "password", "nora"])
def test_weak_password_is_refused_next_to_the_field(client, invited, weak):
    path, _ = invited
    response = client.post(path, accept_data(password1=weak, password2=weak))
    assert response.status_code == 400
    assert "password1" in response.context["form"].errors
    assert not User.objects.filter(email="new.teacher@example.org").exists()


def test_missing_names_are_reported_with_400(client, invited):
    path, _ = invited
    response = client.post(path, accept_data(first_name="", last_name=""))
    assert response.status_code == 400
    assert {"first_name", "last_name"} <= set(response.context["form"].errors)


def test_person_with_an_account_joins_a_second_school(
    client, director_b, coordinator, school_a, school_b, django_capture_on_commit_callbacks
):
    director_b.language = Language.EN
    director_b.save(update_fields=["language"])
    client.force_login(coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        invite(client, school_a, email="director.b@example.org", role=MembershipRole.DELEGATE)
    message = mail.outbox[0]
    assert "Your invitation to the ClassContact portal" in message.subject
    path, _ = link_in(message)
    client.logout()
    response = client.post(path, accept_data(first_name="Bea", last_name="Dubois"))
    assert response.status_code == 302
    roles = dict(Membership.objects.filter(user=director_b).values_list("school__name", "role"))
    assert roles == {school_a.name: MembershipRole.DELEGATE, school_b.name: MembershipRole.DIRECTOR}
    assert User.objects.filter(email__iexact="director.b@example.org").count() == 1


@pytest.mark.french
def test_invitation_mail_uses_french_for_a_new_person(
    client, director_a, school_a, django_capture_on_commit_callbacks
):
    client.force_login(director_a)
    with django_capture_on_commit_callbacks(execute=True):
        invite(client, school_a)
    invitation = Invitation.objects.get()
    with translation.override("fr"):
        expected = date_format(timezone.localtime(invitation.expires_at), "DATETIME_FORMAT")
    assert expected in mail.outbox[0].body


def test_a_deactivated_staff_account_is_not_reopened_by_a_school_invitation(
    client, director_a, school_a, coordinator, django_capture_on_commit_callbacks, caplog
):
    former = make_staff("technician", email="former.technician@example.org", is_active=False)
    client.force_login(director_a)
    with django_capture_on_commit_callbacks(execute=True):
        invite(client, school_a, email=former.email)
    path, _ = link_in(mail.outbox[-1])
    client.logout()
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        opened = client.get(path)
        response = client.post(path, accept_data())

    for page in (opened, response):
        assert page.status_code == 410
        assertContains(page, str(ERROR_ACCOUNT_DEACTIVATED), status_code=410)
    former.refresh_from_db()
    assert former.is_active is False
    assert not former.check_password(NEW_PASSWORD)
    assert not Membership.objects.filter(user=former).exists()
    assert Invitation.objects.get(email=former.email).accepted_at is None
    assert [m.to for m in mail.outbox] == [[coordinator.email], [coordinator.email]]
    assert former.email in mail.outbox[0].body
    assert school_a.name in mail.outbox[0].subject
    assert "deactivated staff account" in caplog.text
