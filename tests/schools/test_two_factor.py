"""The second factor: staff (and every staff role) reach nothing after the password alone."""

import io

from django.contrib.auth.models import Group
from django.urls import reverse
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
import pytest
from pytest_django.asserts import assertContains, assertNotContains

from schools import demo as schools_demo
from schools import otp_demo
from schools.models import SecondFactorReset, StaffRole, User
from schools.otp import (
    RESET_REASON_REQUIRED,
    SECOND_FACTOR_ROLES,
    WRONG_CODE,
    SecondFactorError,
    current_code,
    second_factor_reset,
)
from tests.builders.schools import PASSWORD, make_user
from tests.classcontact.test_urls import walk

pytestmark = pytest.mark.django_db

SECOND_FACTOR_PREFIX = "/accounts/two-factor/"


def log_in(client, user):
    response = client.post(reverse("login"), {"username": user.email, "password": PASSWORD})
    assert response.status_code == 302
    return response


def code_of_a_new_device(user) -> str:
    return current_code(TOTPDevice.objects.create(user=user, name="phone", confirmed=True))


def test_password_alone_reaches_no_staff_page_endpoint_or_admin(client, coordinator, routes_needing_login):
    client.force_login(coordinator, second_factor=False)
    client.raise_request_exception = False
    reached = []
    for route in routes_needing_login:
        response = client.get(route.url)
        if response.status_code == 405:
            response = client.post(route.url)
        if not (response.status_code == 302 and response["Location"].startswith(SECOND_FACTOR_PREFIX)):
            reached.append(f"{route.url} ({route.name}): {response.status_code}")
    assert not reached, "\n".join(reached)


@pytest.fixture
def routes_needing_login():
    from tests.classcontact.test_urls import PUBLIC_PREFIXES

    exempt = {"two_factor:setup", "two_factor:verify", "logout", "admin:logout", "set_language", "health"}
    routes = [
        route for route in walk() if route.name not in exempt and not route.url.startswith(PUBLIC_PREFIXES)
    ]
    names = {route.name for route in routes}
    # Staff pages, their JSON endpoints and the admin are all in the walk.
    assert {"staff_home", "conventions:status", "helpdesk:article_suggest", "admin:index"} <= names
    return routes


def test_staff_login_asks_to_set_up_an_app_then_opens_staff_pages(client, coordinator):
    log_in(client, coordinator)
    response = client.get(reverse("staff_home"))
    assert response["Location"].startswith(reverse("two_factor:setup"))
    assert client.get(response["Location"]).status_code == 200
    device = TOTPDevice.objects.get(user=coordinator, confirmed=False)
    session_before = client.session.session_key

    response = client.post(reverse("two_factor:setup"), {"code": current_code(device), "next": "/staff/"})

    assert response.status_code == 200
    codes = response.context["codes"]
    assert len(codes) == 10
    assertContains(response, codes[0])
    device.refresh_from_db()
    assert device.confirmed
    assert StaticToken.objects.filter(device__user=coordinator).count() == 10
    assert client.session.session_key != session_before
    assert client.get(reverse("staff_home")).status_code == 200


def test_a_wrong_code_is_refused_and_the_pages_stay_closed(client, coordinator):
    code_of_a_new_device(coordinator)
    log_in(client, coordinator)
    response = client.post(reverse("two_factor:verify"), {"code": "000000"})
    assert response.status_code == 400
    assertContains(response, str(WRONG_CODE), status_code=400)
    assert client.get(reverse("staff_home"))["Location"].startswith(reverse("two_factor:verify"))


def test_the_app_code_opens_the_session_with_a_new_id(client, coordinator):
    code = code_of_a_new_device(coordinator)
    log_in(client, coordinator)
    before = client.session.session_key
    response = client.post(reverse("two_factor:verify"), {"code": code, "next": reverse("staff_home")})
    assert response["Location"] == reverse("staff_home")
    assert client.session.session_key != before
    assert client.get(reverse("staff_home")).status_code == 200


def test_a_recovery_code_works_once(client, coordinator):
    code_of_a_new_device(coordinator)
    static = StaticDevice.objects.create(user=coordinator, name="recovery codes", confirmed=True)
    StaticToken.objects.create(device=static, token="abcd2345")
    log_in(client, coordinator)
    assert client.post(reverse("two_factor:verify"), {"code": "abcd2345"}).status_code == 302
    assert client.get(reverse("staff_home")).status_code == 200

    client.post(reverse("logout"))
    log_in(client, coordinator)
    assert client.post(reverse("two_factor:verify"), {"code": "abcd2345"}).status_code == 400


def test_a_person_in_a_staff_role_group_needs_it_even_without_the_staff_flag(client, school_a):
    person = make_user(email="commission@example.org")
    person.groups.add(Group.objects.get_or_create(name=StaffRole.READ_ONLY)[0])
    assert StaffRole.READ_ONLY in SECOND_FACTOR_ROLES
    client.force_login(person, second_factor=False)
    assert client.get(reverse("schools:dashboard"))["Location"].startswith(SECOND_FACTOR_PREFIX)


def test_teachers_need_none_until_they_turn_it_on(client, teacher_a):
    log_in(client, teacher_a)
    assert client.get(reverse("schools:dashboard")).status_code == 200
    page = client.get(reverse("two_factor:setup"))
    assert page.status_code == 200
    device = TOTPDevice.objects.get(user=teacher_a, confirmed=False)
    assert client.post(reverse("two_factor:setup"), {"code": current_code(device)}).status_code == 200

    client.post(reverse("logout"))
    log_in(client, teacher_a)
    assert client.get(reverse("schools:dashboard"))["Location"].startswith(reverse("two_factor:verify"))


def test_the_password_alone_cannot_replace_a_registered_app(client, coordinator):
    code_of_a_new_device(coordinator)
    log_in(client, coordinator)
    assert client.get(reverse("two_factor:setup"))["Location"] == reverse("two_factor:verify")
    assert client.post(reverse("two_factor:setup"), {"code": "123456"})["Location"] == reverse(
        "two_factor:verify"
    )
    assert TOTPDevice.objects.filter(user=coordinator, confirmed=False).count() == 0


@pytest.fixture
def superuser(db):
    return User.objects.create_superuser(email="root@example.org", password=PASSWORD)


def test_a_superuser_resets_a_lost_device_with_a_reason_and_ends_the_sessions(client, superuser, technician):
    other = client.__class__()
    other.force_login(technician)
    assert other.get(reverse("loans:my_visits")).status_code == 200
    client.force_login(superuser)

    response = client.post(
        reverse("two_factor:reset"), {"email": technician.email, "reason": "Phone lost, called back."}
    )

    assert response.status_code == 302
    record = SecondFactorReset.objects.get()
    assert (record.user, record.reset_by, record.reason) == (
        technician,
        superuser,
        "Phone lost, called back.",
    )
    assert not TOTPDevice.objects.filter(user=technician).exists()
    assert other.get(reverse("loans:my_visits"))["Location"].startswith(reverse("login"))


def test_a_reset_needs_a_reason(superuser, technician):
    with pytest.raises(SecondFactorError) as refusal:
        second_factor_reset(user=technician, reset_by=superuser, reason="   ")
    assert refusal.value.message == RESET_REASON_REQUIRED
    assert not SecondFactorReset.objects.exists()


def test_only_a_superuser_resets(client, coordinator, technician):
    client.force_login(coordinator)
    response = client.post(reverse("two_factor:reset"), {"email": technician.email, "reason": "lost"})
    assert response.status_code == 403
    assert not SecondFactorReset.objects.exists()


def test_demo_mode_gives_demo_staff_a_device_and_the_login_page_its_code(client, settings):
    settings.DEMO_MODE = True
    schools_demo.seed(io.StringIO())
    otp_demo.seed(io.StringIO())
    device = TOTPDevice.objects.get(user__email="coordinator@demo.classcontact.be")
    assert not TOTPDevice.objects.filter(user__is_staff=False).exists()

    page = client.get(reverse("login"))

    assertContains(
        page, f'coordinator@demo.classcontact.be: <code class="text-body">{current_code(device)}</code>'
    )


def test_outside_demo_mode_no_device_is_made_and_no_code_shown(client, settings):
    settings.DEMO_MODE = False
    schools_demo.seed(io.StringIO())
    otp_demo.seed(io.StringIO())
    assert not TOTPDevice.objects.exists()
    settings.DEMO_MODE = True  # even a device made earlier shows nothing once demo mode is off
    otp_demo.seed(io.StringIO())
    settings.DEMO_MODE = False
    assertNotContains(client.get(reverse("login")), "demo-codes")
