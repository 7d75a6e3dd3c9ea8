"""In the admin, a case's health fields are for coordinators only, and their reads are logged."""

from django.urls import reverse
import pytest

from cases.models import CaseStatus, HealthDataAccess, ReasonCategory
from tests.builders.cases import make_case, pdf_upload

pytestmark = pytest.mark.django_db

NOT_COORDINATORS = ["technician", "helpdesk_agent", "read_only_staff"]
HEALTH_LOOKUPS = [
    "reason_category=physical_illness",
    "reason_category__startswith=p",
    "reason_category__in=accident,disability",
    "certificate__gt=",
    "certificate__isnull=False",
]
CHANGELIST = reverse("admin:cases_connectioncase_changelist")


@pytest.fixture
def case(school_a, director_a, coordinator):
    return make_case(school_a, director_a, coordinator, status=CaseStatus.SUBMITTED, certificate=pdf_upload())


def _change_reason(case, reason, by):
    case.reason_category = reason
    case._history_user = by
    case.save(update_fields=["reason_category"])


@pytest.mark.parametrize("persona", NOT_COORDINATORS)
@pytest.mark.parametrize("query", HEALTH_LOOKUPS)
def test_staff_without_the_right_cannot_filter_cases_by_health_data(client, request, case, persona, query):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(f"{CHANGELIST}?{query}").status_code == 400
    assert client.get(f"{CHANGELIST}?status=submitted").status_code == 200


def test_only_coordinators_reach_health_data_through_an_address(client, read_only_staff, coordinator, case):
    client.force_login(read_only_staff)
    assert client.get(f"{CHANGELIST}?reason_category=accident").status_code == 400
    for name in ("conventions_document", "helpdesk_ticket", "cases_caseevent", "cases_healthdataaccess"):
        url = reverse(f"admin:{name}_changelist")
        assert client.get(f"{url}?case__reason_category=accident").status_code == 400, name

    client.force_login(coordinator)
    found = client.get(f"{CHANGELIST}?reason_category=physical_illness")
    assert found.status_code == 200
    assert list(found.context["cl"].result_list) == [case]
    assert list(client.get(f"{CHANGELIST}?reason_category=accident").context["cl"].result_list) == []


def test_history_diffs_leave_out_health_fields_for_other_staff(client, read_only_staff, coordinator, case):
    _change_reason(case, ReasonCategory.PSYCHOLOGICAL_ILLNESS, coordinator)
    case.pupil_first_name = "Léonie"
    case._history_user = coordinator
    case.save(update_fields=["pupil_first_name"])
    url = reverse("admin:cases_connectioncase_history", args=[case.pk])

    client.force_login(read_only_staff)
    page = client.get(url).content.decode()
    assert "Léonie" in page
    assert "sychological" not in page
    assert not HealthDataAccess.objects.exists()

    client.force_login(coordinator)
    assert "sychological" in client.get(url).content.decode()
    assert HealthDataAccess.objects.filter(user=coordinator, context="admin history").count() == 1


def test_reading_an_old_version_is_logged_for_coordinators_only(client, read_only_staff, coordinator, case):
    _change_reason(case, ReasonCategory.ACCIDENT, coordinator)
    version = case.history.order_by("history_id").first()
    url = reverse("admin:cases_connectioncase_simple_history", args=[case.pk, version.history_id])

    client.force_login(read_only_staff)
    page = client.get(url)
    assert page.status_code == 200
    assert "Physical illness" not in page.content.decode()
    assert not HealthDataAccess.objects.exists()

    client.force_login(coordinator)
    page = client.get(url)
    assert "Physical illness" in page.content.decode()
    read = HealthDataAccess.objects.get()
    assert (read.user, read.case, read.context) == (coordinator, case, "admin history version")
