"""The admin's change lists of large tables cost what their data does: a fixed number of
queries whatever the rows, no template rendered and no address resolved for each row, and
searches that stay on indexes."""

import re
from unittest import mock

from django.contrib import admin
from django.contrib.admin.templatetags import admin_list, admin_urls
from django.contrib.admin.views import main as admin_views
from django.contrib.admin.views.main import ChangeList
from django.db import connection
from django.db.models import base as model_base
from django.test.utils import CaptureQueriesContext
from django.urls import resolve, reverse
import pytest

from cases.models import CaseStatus, ConnectionCase
from classcontact.admin_lists import QuickRowsMixin
from loans.models import Kit
from tests.builders.cases import make_case, make_draft
from tests.builders.helpdesk import open_ticket
from tests.builders.loans import case_with_kit, make_kit
from tests.builders.schools import make_school

pytestmark = pytest.mark.django_db

KITS = reverse("admin:loans_kit_changelist")
CASES = reverse("admin:cases_connectioncase_changelist")
TICKETS = reverse("admin:helpdesk_ticket_changelist")


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
        # Django's drawing of a row, which works out each cell's column again.
        mock.patch.object(admin_list, "items_for_result", wraps=admin_list.items_for_result) as django_rows,
    ):
        response = client.get(KITS)
        assert client.get(reverse("admin:loans_item_changelist")).status_code == 200
    page = response.content.decode()

    assert per_row.call_count == 0 and labels.call_count == 0 and django_rows.call_count == 0
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


def _without_csrf_token(html: str) -> str:
    # The token is masked anew for each page.
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)


def _page_drawn_by_django(client, url: str, params: dict) -> str:
    with (
        mock.patch.object(QuickRowsMixin, "get_changelist", lambda self, request, **kwargs: ChangeList),
        mock.patch.object(QuickRowsMixin, "change_list_template", None),
    ):
        return _without_csrf_token(client.get(url, params).content.decode())


def test_the_quick_rows_are_the_very_page_django_draws(
    client, school_a, director_a, teacher_a, coordinator, helpdesk_agent
):
    make_case(school_a, director_a, coordinator, status=CaseStatus.SUBMITTED, pupil_last_name="Dupont")
    make_draft(school_a, director_a, pupil_last_name="Dupontel", home_has_internet=None)
    case_with_kit(school_a, director_a, coordinator, make_kit(code="CK-DUPONT"))
    make_kit(code="CK-BARE", items=False)
    open_ticket(school_a, teacher_a, subject="Micro muet")
    lists = [
        (
            coordinator,
            CASES,
            [{}, {"q": "dupont"}, {"q": "dupont", "status__exact": "submitted", "o": "-2.6"}],
        ),
        (coordinator, KITS, [{}, {"q": "ck-dupont"}, {"region__exact": "brussels", "o": "3"}]),
        (coordinator, reverse("admin:loans_item_changelist"), [{}, {"q": "sn-ck-dupont"}]),
        (coordinator, reverse("admin:loans_loan_changelist"), [{}, {"q": "ck-dupont"}]),
        (helpdesk_agent, TICKETS, [{}, {"q": "micro"}, {"q": "micro", "status__exact": "new"}]),
    ]
    for user, url, searches in lists:
        client.force_login(user)
        for params in searches:
            response = client.get(url, params)
            page = _without_csrf_token(response.content.decode())
            assert response.context["cl"].result_list, (url, params)
            assert page == _page_drawn_by_django(client, url, params), (url, params)


def test_a_searched_list_keeps_its_search_in_each_link_without_resolving_an_address_per_row(
    client, school_a, director_a, coordinator
):
    cases = [make_case(school_a, director_a, coordinator, pupil_last_name=f"Dupont {n}") for n in range(3)]
    client.force_login(coordinator)
    with mock.patch.object(admin_urls, "resolve", wraps=admin_urls.resolve) as resolved:
        client.get(CASES, {"q": "dupont"})
        few_resolved = resolved.call_count
        resolved.reset_mock()
        cases += [
            make_case(school_a, director_a, coordinator, pupil_last_name=f"Dupont {n}") for n in range(27)
        ]
        many = client.get(CASES, {"q": "dupont"})
    assert len(many.context["cl"].result_list) == 30 and resolved.call_count == few_resolved
    page = many.content.decode()
    for case in cases:
        change = reverse("admin:cases_connectioncase_change", args=[case.pk])
        assert f'href="{change}?_changelist_filters=q%3Ddupont"' in page


class _EveryKindOfColumnAdmin(QuickRowsMixin, admin.ModelAdmin):
    list_display = [
        "id",
        "__str__",
        "code",
        "kit_type",
        "state",
        "school",
        "school__name",
        "room",
        "notes",
        "state_changed_at",
        "free_from",
        "at_a_school",
        "school_city",
    ]
    list_display_links = ["code", "room"]

    @admin.display(boolean=True)
    def at_a_school(self, kit):
        return kit.school_id is not None

    @admin.display(empty_value="(nowhere)")
    def school_city(self, kit):
        return kit.school.city if kit.school else None


def test_columns_of_every_kind_are_drawn_as_django_draws_them(rf, school_a, coordinator):
    lent = make_kit(code="CK-LENT-1")
    lent.school, lent.room, lent.notes = school_a, "  ", "<b>fragile</b> & heavy"
    lent.save(update_fields=["school", "room", "notes"])
    make_kit(code="CK-HOME-2", items=False)
    request = rf.get(KITS, {"q": "ck", "o": "3"})
    request.user, request.resolver_match = coordinator, resolve(KITS)
    model_admin = _EveryKindOfColumnAdmin(Kit, admin.site)

    quick = model_admin.get_changelist_instance(request)
    with mock.patch.object(
        _EveryKindOfColumnAdmin, "get_changelist", lambda self, request, **kwargs: ChangeList
    ):
        django = model_admin.get_changelist_instance(request)
    django.formset = None  # as the change list view sets it

    expected = ["".join(admin_list.items_for_result(django, kit, None)) for kit in django.result_list]
    assert len(expected) == 2 and "&lt;b&gt;fragile" in "".join(expected)
    assert [row[0] for row in quick.quick_rows()] == expected


def test_the_case_and_ticket_lists_read_the_columns_their_rows_show_with_the_same_queries_for_3_or_30_rows(
    client, school_a, director_a, teacher_a, coordinator
):
    def make_rows(count):
        for n in range(count):
            make_case(school_a, director_a, coordinator, pupil_last_name=f"Dupont {n}")
            open_ticket(school_a, teacher_a, subject=f"Micro {n}")

    client.force_login(coordinator)
    make_rows(3)
    few = {url: _queries(client, url) for url in (CASES, TICKETS)}
    make_rows(27)
    with CaptureQueriesContext(connection) as queries:
        many = {url: _queries(client, url) for url in few}
    assert many == few
    rows = "".join(q["sql"] for q in queries.captured_queries)
    assert '"pupil_last_name"' in rows and '"subject"' in rows
    assert '"internal_notes"' not in rows and '"description"' not in rows
