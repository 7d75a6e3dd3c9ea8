"""Only superusers make someone staff, give rights, or set another person's password."""

from django.contrib.auth.models import Group
from django.urls import reverse
import pytest

from schools.models import StaffRole
from tests.builders.schools import PASSWORD, form_data, make_teacher, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def superuser(db):
    return make_user(email="root@example.org", is_staff=True, is_superuser=True)


def _save_user(client, person, **changes):
    url = reverse("admin:schools_user_change", args=[person.pk])
    data = form_data(client.get(url).content.decode(), "user_form")
    for name, value in changes.items():
        if value is None:
            data.pop(name, None)
        else:
            data[name] = value
    data["_save"] = ["Save"]
    return client.post(url, data)


def test_only_a_superuser_makes_someone_staff(client, coordinator, superuser, school_a):
    person = make_teacher(school_a, email="teacher@example.org")
    coordinators = Group.objects.get(name=StaffRole.COORDINATOR)
    promotion = {"is_staff": ["on"], "is_superuser": ["on"], "groups": [str(coordinators.pk)]}

    client.force_login(coordinator)
    assert _save_user(client, person, **promotion).status_code == 302
    person.refresh_from_db()
    assert (person.is_staff, person.is_superuser, person.groups.count()) == (False, False, 0)

    client.force_login(superuser)
    assert _save_user(client, person, **promotion).status_code == 302
    person.refresh_from_db()
    assert (person.is_staff, person.is_superuser, list(person.groups.all())) == (True, True, [coordinators])


def test_a_coordinator_deactivates_but_does_not_reopen_a_staff_account(client, coordinator, technician):
    client.force_login(coordinator)
    assert _save_user(client, technician, is_active=None, email=["taken.over@example.org"]).status_code == 302
    technician.refresh_from_db()
    assert technician.is_active is False
    assert technician.email == "technician@example.org"
    assert technician.groups.get().name == StaffRole.TECHNICIAN

    assert _save_user(client, technician, is_active=["on"]).status_code == 302
    technician.refresh_from_db()
    assert technician.is_active is False


def test_a_coordinator_cannot_set_another_persons_password(client, coordinator, technician, superuser):
    data = {"password1": "fresh-meadow-quartz-51", "password2": "fresh-meadow-quartz-51"}
    client.force_login(coordinator)
    for person in (technician, superuser):
        url = reverse("admin:auth_user_password_change", args=[person.pk])
        assert client.get(url).status_code == 403
        assert client.post(url, data).status_code == 403
        person.refresh_from_db()
        assert person.check_password(PASSWORD)
    own = reverse("admin:auth_user_password_change", args=[coordinator.pk])
    assert client.get(own).status_code == 200

    client.force_login(superuser)
    url = reverse("admin:auth_user_password_change", args=[technician.pk])
    assert client.post(url, data).status_code == 302
    technician.refresh_from_db()
    assert technician.check_password("fresh-meadow-quartz-51")


def test_a_coordinator_cannot_restore_an_old_version_of_an_account(client, coordinator, school_a):
    person = make_teacher(school_a, email="teacher@example.org")
    person.is_staff = True
    person._history_user = coordinator
    person.save(update_fields=["is_staff"])
    person.is_staff = False
    person.save(update_fields=["is_staff"])
    staff_version = person.history.order_by("-history_id")[1]
    client.force_login(coordinator)

    url = reverse("admin:schools_user_simple_history", args=[person.pk, staff_version.history_id])
    response = client.post(url, {"email": person.email, "_save": "Save"})

    assert response.status_code == 403
    person.refresh_from_db()
    assert person.is_staff is False
