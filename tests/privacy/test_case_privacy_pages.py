"""A case's data protection page: erasure date, legal hold, access report; who may see it."""

import datetime

from dateutil.relativedelta import relativedelta
from django.urls import reverse
from django.utils import timezone
import pytest

from cases.models import CaseStatus, ConnectionCase, HealthDataAccess, HealthField
from cases.services import health_read_record
from tests.builders.cases import make_case
from tests.builders.schools import make_staff

pytestmark = pytest.mark.django_db


@pytest.fixture
def closed(school_a, director_a, coordinator):
    case = make_case(school_a, director_a, coordinator, CaseStatus.WITHDRAWN)
    closed_at = timezone.make_aware(datetime.datetime(2026, 3, 10, 12))
    ConnectionCase.objects.filter(pk=case.pk).update(closed_at=closed_at)
    return ConnectionCase.objects.get(pk=case.pk)


def _url(name, case):
    return reverse(name, kwargs={"case_id": case.public_id})


def test_the_coordinator_sees_when_the_case_is_erased_and_who_read_it(client, closed, coordinator, settings):
    settings.RETENTION_CASE_MONTHS = 12
    reader = make_staff("coordinator", email="curious@example.org")
    health_read_record(user=reader, case=closed, field=HealthField.CERTIFICATE, context="staff case page")
    client.force_login(coordinator)
    page = client.get(_url("cases:staff_privacy", closed)).content.decode()
    assert "Personal data erased on 10 March 2027." in page
    assert "curious@example.org" in page and "Medical certificate" in page
    detail = client.get(_url("cases:staff_detail", closed)).content.decode()
    assert (
        "Personal data erased on 10 March 2027." in detail and _url("cases:staff_privacy", closed) in detail
    )


def test_the_access_report_is_filtered_by_person_and_kind(client, closed, coordinator):
    other = make_staff("coordinator", email="other.reader@example.org")
    health_read_record(user=other, case=closed, field=HealthField.REASON_CATEGORY, context="admin")
    health_read_record(user=coordinator, case=closed, field=HealthField.EXPORT, context="pupil export")
    client.force_login(coordinator)
    page = client.get(_url("cases:staff_privacy", closed), {"who": "other.reader"}).content.decode()
    assert "other.reader@example.org" in page and "pupil export" not in page
    page = client.get(_url("cases:staff_privacy", closed), {"field": "export"}).content.decode()
    assert "pupil export" in page and "other.reader@example.org" not in page


def test_the_access_report_costs_the_same_queries_whatever_its_rows(
    client, closed, coordinator, django_assert_max_num_queries
):
    for _n in range(30):
        health_read_record(user=coordinator, case=closed, field=HealthField.REASON_CATEGORY, context="x")
    client.force_login(coordinator)
    with django_assert_max_num_queries(16):
        assert client.get(_url("cases:staff_privacy", closed)).status_code == 200


def test_other_staff_see_the_erasure_date_but_no_link_to_the_report(client, closed, technician):
    client.force_login(technician)
    page = client.get(_url("cases:staff_detail", closed)).content.decode()
    assert "Personal data erased on" in page and _url("cases:staff_privacy", closed) not in page


def test_a_coordinator_puts_a_legal_hold_with_a_reason_and_lifts_it(client, closed, coordinator):
    client.force_login(coordinator)
    response = client.post(_url("cases:staff_hold", closed), {"action": "hold", "reason": ""})
    assert response.status_code == 400 and "This field is required." in response.content.decode()
    client.post(_url("cases:staff_hold", closed), {"action": "hold", "reason": "Dispute with the insurer."})
    closed.refresh_from_db()
    assert closed.legal_hold_by == coordinator and closed.legal_hold_reason == "Dispute with the insurer."
    assert closed.history.first().history_user == coordinator
    page = client.get(_url("cases:staff_detail", closed)).content.decode()
    assert "Kept: legal hold." in page
    client.post(_url("cases:staff_hold", closed), {"action": "release"})
    closed.refresh_from_db()
    assert closed.legal_hold_at is None


@pytest.mark.parametrize("name", ["cases:staff_privacy", "cases:staff_hold", "cases:staff_export_start"])
def test_other_staff_are_refused_and_outsiders_see_nothing(
    client, closed, technician, helpdesk_agent, director_a, director_b, name
):
    method = client.get if name == "cases:staff_privacy" else client.post
    data = {"action": "hold", "reason": "x"} if name == "cases:staff_hold" else {}
    for user, status in ((technician, 403), (helpdesk_agent, 403), (director_a, 404), (director_b, 404)):
        client.force_login(user)
        assert method(_url(name, closed), data).status_code == status, user
    client.logout()
    assert method(_url(name, closed), data).status_code == 404
    closed.refresh_from_db()
    assert closed.legal_hold_at is None and not closed.exports.exists()
    assert not HealthDataAccess.objects.filter(field=HealthField.EXPORT).exists()


def test_an_erased_case_cannot_be_held(client, closed, coordinator):
    ConnectionCase.objects.filter(pk=closed.pk).update(purged_at=timezone.now() - relativedelta(days=1))
    client.force_login(coordinator)
    response = client.post(
        _url("cases:staff_hold", closed), {"action": "hold", "reason": "Late."}, follow=True
    )
    assert "already been erased" in response.content.decode()
