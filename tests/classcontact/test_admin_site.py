"""The admin's side bar of apps and models is built once per set of rights and language, and
is the very one Django draws; new rights show on the next page."""

import re
from unittest import mock

from django.contrib import admin
from django.contrib.auth.models import Permission
from django.urls import reverse
import pytest

from classcontact.admin_site import PortalAdminSite

pytestmark = pytest.mark.django_db

CASES = reverse("admin:cases_connectioncase_changelist")
TICKETS = reverse("admin:helpdesk_ticket_changelist")
KITS = reverse("admin:loans_kit_changelist")


def _page(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200
    # The token is masked anew for each page.
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", response.content.decode())


def test_the_site_keeps_the_side_bar_django_draws(client, coordinator):
    client.force_login(coordinator)
    for url in (
        CASES,
        f"{CASES}?q=dupont",
        KITS,
        reverse("admin:index"),
        reverse("admin:app_list", args=["loans"]),
    ):
        kept = _page(client, url)
        with (
            mock.patch.object(PortalAdminSite, "get_app_list", admin.AdminSite.get_app_list),
            mock.patch.object(PortalAdminSite, "nav_sidebar_html", lambda self, context, render: render()),
        ):
            assert kept == _page(client, url), url


def test_a_second_page_neither_builds_the_app_list_nor_draws_the_side_bar_again(client, coordinator):
    client.force_login(coordinator)
    client.get(KITS)
    with mock.patch.object(admin.AdminSite, "_build_app_dict", wraps=admin.site._build_app_dict) as built:
        response = client.get(KITS, {"q": "ck"})
    assert built.call_count == 0
    assert "admin/app_list.html" not in [template.name for template in response.templates]
    assert f'<a href="{KITS}" aria-current="page">' in response.content.decode()


def test_the_side_bar_marks_the_page_s_model(client, coordinator):
    client.force_login(coordinator)
    for url in (CASES, KITS):
        client.get(url)
        page = client.get(url).content.decode()
        assert page.count("current-model") == 1
        assert f'<a href="{url}" aria-current="page">' in page


def test_new_rights_show_in_the_side_bar_on_the_next_page(client, helpdesk_agent):
    repairs = reverse("admin:loans_repair_changelist")
    view_repair = Permission.objects.get(codename="view_repair", content_type__app_label="loans")
    helpdesk_agent.user_permissions.remove(view_repair)
    helpdesk_agent.groups.first().permissions.remove(view_repair)
    client.force_login(helpdesk_agent)
    assert f'href="{repairs}"' not in client.get(TICKETS).content.decode()

    helpdesk_agent.user_permissions.add(view_repair)
    assert f'href="{repairs}"' in client.get(TICKETS).content.decode()

    helpdesk_agent.user_permissions.remove(view_repair)
    assert f'href="{repairs}"' not in client.get(TICKETS).content.decode()
