"""The coordinators' dashboard lists people who read many cases' health data in one day."""

from django.urls import reverse
import pytest

from cases.models import CaseStatus, HealthField
from cases.services import health_read_record
from tests.builders.cases import make_case
from tests.builders.schools import make_staff

pytestmark = pytest.mark.django_db


@pytest.fixture
def busy_reader(school_a, director_a, coordinator, settings):
    settings.UNUSUAL_HEALTH_READS_PER_DAY = 2
    reader = make_staff("coordinator", email="busy.reader@example.org")
    for n in range(3):
        case = make_case(school_a, director_a, coordinator, CaseStatus.SUBMITTED, pupil_first_name=f"P{n}")
        health_read_record(user=reader, case=case, field=HealthField.REASON_CATEGORY, context="test")
        health_read_record(user=coordinator, case=case, field=HealthField.REASON_CATEGORY, context="test")
        health_read_record(user=coordinator, case=case, field=HealthField.REASON_CATEGORY, context="again")
    return reader


def test_a_person_over_the_threshold_is_listed(client, coordinator, busy_reader):
    client.force_login(coordinator)
    page = client.get(reverse("programme_dashboard")).content.decode()
    assert 'data-testid="unusual-reads"' in page
    assert "busy.reader@example.org" in page
    # Three cases each: both are over two; reading one case twice counts once.
    assert page.count('data-testid="unusual-read"') == 2


def test_under_the_threshold_nobody_is_listed(client, coordinator, busy_reader, settings):
    settings.UNUSUAL_HEALTH_READS_PER_DAY = 3
    client.force_login(coordinator)
    page = client.get(reverse("programme_dashboard")).content.decode()
    assert "No unusual read in this period." in page


def test_staff_who_are_not_coordinators_do_not_see_the_list(client, busy_reader, read_only_staff):
    client.force_login(read_only_staff)
    response = client.get(reverse("programme_dashboard"))
    assert "busy.reader@example.org" not in response.content.decode()
    assert 'data-testid="unusual-reads"' not in response.content.decode()
