"""What every ticket page reads and rarely changes is kept between requests, and forgotten
as soon as it changes."""

from django.contrib.auth.models import Group
import pytest

from helpdesk.forms import AssignForm
from helpdesk.models import CannedReply
from helpdesk.selectors import assignable_people, canned_replies
from tests.builders.schools import make_staff

pytestmark = pytest.mark.django_db


def options(form: AssignForm) -> set[int]:
    return {value for value, _label in form.fields["assignee"].choices if value}


def test_ready_made_answers_are_kept_until_one_changes(django_assert_num_queries):
    first = CannedReply.objects.create(title="Redémarrer", body="Éteignez puis rallumez le kit.")
    assert canned_replies() == [first]
    with django_assert_num_queries(0):
        assert canned_replies() == [first]
    second = CannedReply.objects.create(title="Câble", body="Vérifiez le câble USB.")
    assert canned_replies() == [second, first]
    first.is_active = False
    first.save()
    assert canned_replies() == [second]


def test_the_people_to_assign_follow_their_roles_at_once(
    helpdesk_agent, coordinator, django_assert_num_queries
):
    assert options(AssignForm()) == {helpdesk_agent.pk, coordinator.pk}
    with django_assert_num_queries(0):
        assert options(AssignForm()) == {helpdesk_agent.pk, coordinator.pk}
    newcomer = make_staff("technician", email="new.agent@example.org")
    assert newcomer.pk not in options(AssignForm())
    newcomer.groups.add(Group.objects.get(name="helpdesk_agent"))
    assert newcomer.pk in options(AssignForm())
    helpdesk_agent.groups.clear()
    assert helpdesk_agent.pk not in options(AssignForm())
    coordinator.first_name, coordinator.last_name = "Camille", "Renard"
    coordinator.save()
    assert (coordinator.pk, "Camille Renard") in assignable_people()
    coordinator.is_active = False
    coordinator.save()
    assert coordinator.pk not in options(AssignForm())


def test_a_posted_assignee_is_still_checked_against_the_database(helpdesk_agent):
    assert options(AssignForm()) == {helpdesk_agent.pk}
    helpdesk_agent.groups.clear()
    form = AssignForm(data={"assignee": helpdesk_agent.pk})
    assert not form.is_valid() and "assignee" in form.errors
