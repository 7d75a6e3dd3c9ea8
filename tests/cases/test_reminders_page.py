"""A case's reminders page: staff see sent and planned reminders; coordinators silence them."""

from django.urls import reverse
import pytest

from schools.models import ReminderSilence
from tests.builders.cases import make_case

pytestmark = pytest.mark.django_db


@pytest.fixture
def case(school_a, director_a, coordinator):
    return make_case(school_a, director_a, coordinator)


def _url(case, name="cases:staff_reminders"):
    return reverse(name, kwargs={"case_id": case.public_id})


def test_a_coordinator_sees_the_page_and_silences_then_resumes(client, case, coordinator):
    client.force_login(coordinator)
    page = client.get(_url(case))
    silenced = client.post(_url(case, "cases:staff_reminders_silence"), {"silence": "on"})
    after = client.get(_url(case))
    client.post(_url(case, "cases:staff_reminders_silence"), {"silence": "off"})

    assert page.status_code == 200 and "No reminder planned." in page.content.decode()
    assert silenced.status_code == 302
    assert 'data-testid="reminders-silenced"' in after.content.decode()
    assert not ReminderSilence.objects.exists()


def test_a_technician_reads_but_may_not_silence(client, case, technician):
    client.force_login(technician)
    assert client.get(_url(case)).status_code == 200
    assert client.post(_url(case, "cases:staff_reminders_silence"), {"silence": "on"}).status_code == 403
    assert not ReminderSilence.objects.exists()


@pytest.mark.parametrize("who", ["director_a", "director_b", "anonymous"])
def test_outsiders_get_404(client, case, request, who):
    if who != "anonymous":
        client.force_login(request.getfixturevalue(who))
    assert client.get(_url(case)).status_code == 404
    assert client.post(_url(case, "cases:staff_reminders_silence"), {"silence": "on"}).status_code == 404
