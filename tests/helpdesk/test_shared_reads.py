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


def test_a_log_in_keeps_the_people_to_assign(client, helpdesk_agent, coordinator, django_assert_num_queries):
    """Logging in saves the person's last_login alone, which the list never shows."""
    assert options(AssignForm()) == {helpdesk_agent.pk, coordinator.pk}
    client.force_login(helpdesk_agent)
    with django_assert_num_queries(0):
        assert options(AssignForm()) == {helpdesk_agent.pk, coordinator.pk}
    helpdesk_agent.last_name = "Renard"
    helpdesk_agent.save(update_fields=["last_name", "last_login"])
    assert (helpdesk_agent.pk, str(helpdesk_agent)) in assignable_people()


def test_a_posted_assignee_is_still_checked_against_the_database(helpdesk_agent):
    assert options(AssignForm()) == {helpdesk_agent.pk}
    helpdesk_agent.groups.clear()
    form = AssignForm(data={"assignee": helpdesk_agent.pk})
    assert not form.is_valid() and "assignee" in form.errors


def _cache_calls(monkeypatch) -> list[str]:
    """The shared reads' calls to the cache, by method name."""
    from classcontact import shared_reads

    calls: list[str] = []
    real = shared_reads.cache

    class Counting:
        def __getattr__(self, name):
            calls.append(name)
            return getattr(real, name)

    monkeypatch.setattr(shared_reads, "cache", Counting())
    return calls


def test_a_page_asks_the_cache_once_for_all_its_shared_reads(
    client, helpdesk_agent, school_a, teacher_a, monkeypatch
):
    from django.urls import reverse

    from tests.builders.helpdesk import open_ticket

    CannedReply.objects.create(title="Câble", body="Vérifiez le câble USB.")
    ticket = open_ticket(school_a, teacher_a)
    client.force_login(helpdesk_agent)
    url = reverse("helpdesk:staff_ticket_detail", kwargs={"ticket_id": ticket.pk})
    assert client.get(url).status_code == 200  # fills the cache
    calls = _cache_calls(monkeypatch)
    response = client.get(url)
    assert response.status_code == 200 and "Câble" in response.content.decode()
    assert calls == ["get_many"]


def test_a_change_within_a_request_is_read_back_in_that_request():
    # As the request signals do (sending them would also close the test's database connection).
    from classcontact.shared_reads import _request_began, _request_ended

    first = CannedReply.objects.create(title="Redémarrer", body="Éteignez puis rallumez le kit.")
    canned_replies()  # cached
    _request_began()
    try:
        assert canned_replies() == [first]
        first.is_active = False
        first.save()
        assert canned_replies() == []
    finally:
        _request_ended()


def test_a_page_is_served_from_the_database_when_the_cache_is_unreachable(
    client, helpdesk_agent, school_a, teacher_a, settings
):
    from django.urls import reverse

    from tests.builders.helpdesk import open_ticket

    CannedReply.objects.create(title="Câble", body="Vérifiez le câble USB.")
    ticket = open_ticket(school_a, teacher_a)
    client.force_login(helpdesk_agent)
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",  # nothing listens there
        }
    }
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.db"
    response = client.get(reverse("helpdesk:staff_ticket_detail", kwargs={"ticket_id": ticket.pk}))
    assert response.status_code == 200 and "Câble" in response.content.decode()
