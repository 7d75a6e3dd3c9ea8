"""The admin's change lists of large tables cost what their data does: a fixed number of
queries whatever the rows, no template rendered and no address resolved for each row, and
searches that stay on indexes."""

from unittest import mock

from django.contrib import admin
from django.contrib.admin.views import main as admin_views
from django.db import connection
from django.db.models import base as model_base
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
import pytest

from cases.models import CaseStatus, ConnectionCase
from loans.models import Kit
from tests.builders.cases import make_case
from tests.builders.loans import make_kit
from tests.builders.schools import make_school

pytestmark = pytest.mark.django_db

KITS = reverse("admin:loans_kit_changelist")
CASES = reverse("admin:cases_connectioncase_changelist")


def _queries(client, url: str, **params) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url, params).status_code == 200
    return len(queries)


def test_a_change_list_reads_the_same_queries_for_3_or_30_rows(client, coordinator):
    client.force_login(coordinator)
    for _ in range(3):
        make_kit(items=False)
    few = {url: _queries(client, url) for url in (KITS, reverse("admin:loans_item_changelist"))}
    for _ in range(27):
        make_kit()
    many = {url: _queries(client, url) for url in few}
    assert many == few


def test_rows_are_drawn_without_a_widget_template_or_an_address_resolved_per_row(client, coordinator):
    kits = [make_kit(items=n < 5) for n in range(30)]
    client.force_login(coordinator)
    with (
        mock.patch.object(admin_views, "reverse", wraps=admin_views.reverse) as per_row,
        # ``get_FOO_display()`` builds the choices' dict again on each call.
        mock.patch.object(model_base, "make_hashable", wraps=model_base.make_hashable) as labels,
    ):
        response = client.get(KITS)
        assert client.get(reverse("admin:loans_item_changelist")).status_code == 200
    page = response.content.decode()

    assert per_row.call_count == 0 and labels.call_count == 0
    assert "django/forms/widgets/checkbox.html" not in [template.name for template in response.templates]
    model_admin = admin.site._registry[Kit]
    for kit in kits:
        # The very checkbox and link Django would have drawn.
        django_checkbox = admin.ModelAdmin.action_checkbox(model_admin, kit)
        assert model_admin.action_checkbox(kit) == django_checkbox and django_checkbox in page
        assert f'href="{reverse("admin:loans_kit_change", args=[kit.pk])}"' in page


def test_the_case_list_finds_a_school_by_name_or_whole_official_number_on_their_indexes(
    client, school_a, director_a, coordinator
):
    other = make_school(name="École des Tilleuls")
    wanted = make_case(school_a, director_a, coordinator, status=CaseStatus.SUBMITTED)
    client.force_login(coordinator)

    by_number = client.get(CASES, {"q": school_a.official_number.lower()}).context["cl"]
    assert list(by_number.result_list) == [wanted]
    with CaptureQueriesContext(connection) as queries:
        by_name = client.get(CASES, {"q": "tilleuls"}).context["cl"]
    assert list(by_name.result_list) == list(ConnectionCase.objects.filter(school=other))
    # Part of an official number would read every school: no index answers it.
    assert not [q for q in queries.captured_queries if '"official_number"::text) LIKE' in q["sql"]]
