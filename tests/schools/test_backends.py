"""The login backend reads each request's person with their roles, in one query."""

from django.contrib.auth.models import Group
from django.urls import reverse
import pytest

from schools.backends import RolesModelBackend
from schools.models import ProgrammeRole, StaffRole
from schools.selectors import user_has_programme_role, user_has_staff_role, user_staff_roles

pytestmark = pytest.mark.django_db


def test_the_person_and_their_roles_come_in_one_query(coordinator, django_assert_num_queries):
    coordinator.groups.add(Group.objects.get_or_create(name=ProgrammeRole.ADVISER)[0])
    coordinator.groups.add(Group.objects.get_or_create(name="not a role")[0])
    with django_assert_num_queries(1):
        user = RolesModelBackend().get_user(coordinator.pk)
        assert user == coordinator
        assert user_staff_roles(user) == {StaffRole.COORDINATOR}
        assert user_has_programme_role(user, ProgrammeRole.ADVISER)


def test_a_person_without_roles_and_an_inactive_one(director_a, coordinator):
    user = RolesModelBackend().get_user(director_a.pk)
    assert user == director_a and user._role_names_cache == set()
    coordinator.is_active = False
    coordinator.save()
    assert RolesModelBackend().get_user(coordinator.pk) is None
    assert RolesModelBackend().get_user(999_999) is None


def test_a_role_taken_away_is_gone_on_the_next_request(client, coordinator):
    client.force_login(coordinator)
    assert client.get(reverse("helpdesk:staff_queue")).status_code == 200
    response = client.get(reverse("helpdesk:staff_queue"))
    assert user_has_staff_role(response.wsgi_request.user, StaffRole.COORDINATOR)
    coordinator.groups.clear()
    response = client.get(reverse("helpdesk:staff_queue"))
    assert not user_has_staff_role(response.wsgi_request.user, StaffRole.COORDINATOR)


def test_the_statement_written_once_reads_what_the_orm_reads(coordinator, director_a):
    from schools.selectors import user_with_roles, user_with_roles_joined

    coordinator.groups.add(Group.objects.get_or_create(name=ProgrammeRole.ADVISER)[0])
    coordinator.groups.add(Group.objects.get_or_create(name="not a role")[0])
    for person in (coordinator, director_a):
        written, joined = user_with_roles(person.pk), user_with_roles_joined(person.pk)
        assert written._role_names_cache == joined._role_names_cache
        assert {
            field.attname: getattr(written, field.attname) for field in written._meta.concrete_fields
        } == {field.attname: getattr(joined, field.attname) for field in joined._meta.concrete_fields}
    assert user_with_roles(999_999) is None and user_with_roles_joined(999_999) is None
