"""Every read of a case's health-related data by staff is logged: who, when, what."""

from django.urls import reverse
import pytest

from cases.models import CaseStatus, HealthDataAccess, HealthField
from tests.builders.cases import make_case, pdf_upload

pytestmark = pytest.mark.django_db


@pytest.fixture
def case(school_a, director_a, coordinator):
    return make_case(school_a, director_a, coordinator, status=CaseStatus.SUBMITTED, certificate=pdf_upload())


def test_a_coordinator_opening_a_case_is_logged(client, coordinator, case):
    client.force_login(coordinator)
    page = client.get(reverse("cases:staff_detail", kwargs={"case_id": case.public_id}))
    assert "Physical illness" in page.content.decode()
    read = HealthDataAccess.objects.get()
    assert (read.user, read.case, read.field) == (coordinator, case, HealthField.REASON_CATEGORY)
    assert read.at is not None


def test_a_certificate_download_is_logged(client, coordinator, case):
    client.force_login(coordinator)
    client.get(reverse("cases:staff_certificate", kwargs={"case_id": case.public_id}))
    assert list(HealthDataAccess.objects.values_list("user", "field")) == [
        (coordinator.pk, HealthField.CERTIFICATE)
    ]


def test_staff_who_do_not_see_health_data_leave_no_read(client, technician, case):
    client.force_login(technician)
    client.get(reverse("cases:staff_detail", kwargs={"case_id": case.public_id}))
    client.get(reverse("cases:staff_certificate", kwargs={"case_id": case.public_id}))
    assert not HealthDataAccess.objects.exists()


def test_the_director_reading_their_own_request_is_not_logged(client, director_a, case):
    client.force_login(director_a)
    client.get(reverse("cases:detail", kwargs={"case_id": case.public_id}))
    assert not HealthDataAccess.objects.exists()


def test_the_board_shows_no_health_data_and_logs_nothing(client, coordinator, case):
    client.force_login(coordinator)
    page = client.get(reverse("cases:staff_board")).content.decode()
    assert case.number in page
    assert "Physical illness" not in page
    assert not HealthDataAccess.objects.exists()


def test_reading_a_case_in_the_admin_is_logged(client, case):
    from tests.builders.schools import make_user

    admin = make_user(email="root@example.org", is_staff=True, is_superuser=True)
    client.force_login(admin)
    response = client.get(reverse("admin:cases_connectioncase_change", args=[case.pk]))
    assert response.status_code == 200
    assert HealthDataAccess.objects.filter(user=admin, case=case, context="admin").count() == 1
    client.get(reverse("admin:cases_connectioncase_history", args=[case.pk]))
    assert HealthDataAccess.objects.filter(user=admin, case=case).count() == 2


def test_the_admin_hides_health_fields_from_staff_without_the_right(client, case):
    from tests.builders.schools import make_staff

    reader = make_staff("read_only", email="reader2@example.org")
    client.force_login(reader)
    response = client.get(reverse("admin:cases_connectioncase_change", args=[case.pk]))
    assert response.status_code == 200
    assert "Physical illness" not in response.content.decode()
    assert not HealthDataAccess.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_a_page_read_is_committed_in_one_statement_without_waiting_for_the_disk(client, coordinator, case):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    import psycopg

    client.force_login(coordinator)
    with CaptureQueriesContext(connection) as queries:
        client.get(reverse("cases:staff_detail", kwargs={"case_id": case.public_id}))
    statements = [query["sql"] for query in queries]
    (insert,) = [sql for sql in statements if "cases_healthdataaccess" in sql]
    assert "set_config('synchronous_commit', 'off', true)" in insert
    # A statement of its own: no transaction is opened around it, and nothing else is
    # committed without waiting for the disk.
    assert "BEGIN" not in statements and not any(sql.startswith("SET") for sql in statements)
    # Committed: another connection sees it.
    settings = connection.settings_dict
    with psycopg.connect(
        host=settings["HOST"], port=settings["PORT"], dbname=settings["NAME"], user=settings["USER"]
    ) as other:
        seen = other.execute(
            "SELECT count(*) FROM cases_healthdataaccess WHERE case_id = %s AND user_id = %s",
            [case.pk, coordinator.pk],
        ).fetchone()[0]
    assert seen == 1
    with connection.cursor() as cursor:
        # Within a statement of its own, the setting holds until that statement's commit…
        cursor.execute(
            "SELECT current_setting('synchronous_commit') FROM (SELECT set_config('synchronous_commit', 'off', true)) AS s"
        )
        assert cursor.fetchone()[0] == "off"
        # … and no longer.
        cursor.execute("SHOW synchronous_commit")
        assert cursor.fetchone()[0] == "on"
