"""The plan's grid, a page of kits at a time with the filters a coordinator uses: its cost does
not grow with the campaign's kits and classes, and placing a class from it still works."""

import re
from urllib.parse import urlencode

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
import pytest

from classrooms import selectors_deployment, services
from classrooms.models import ApplicationStatus
from loans.models import KitType, Programme
from tests.builders.deployment import make_accepted, make_mobile_kit
from tests.builders.loans import make_kit

A = ApplicationStatus
pytestmark = pytest.mark.django_db
MAX_QUERIES = 15
KIT_ROW = re.compile(r'<th scope="row"><a href="[^"]+">([^<]+)</a>')


def _url(world, **params) -> str:
    url = reverse("classrooms:plan", kwargs={"campaign_id": world.campaign.pk})
    return f"{url}?{urlencode(params)}" if params else url


def _kit_codes(client, url) -> list[str]:
    response = client.get(url)
    assert response.status_code == 200
    return KIT_ROW.findall(response.content.decode())


def _add_kits(world, count: int, *, prefix: str = "MC-", owner: str = "", kit_type=None):
    kits = [make_mobile_kit(owner=owner, items=False, code=f"{prefix}{n:03d}") for n in range(count)]
    if kit_type is not None:
        for kit in kits:
            kit.kit_type = kit_type
            kit.save(update_fields=["kit_type"])
    world.campaign.kits.add(*kits)
    return kits


def _count(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_plan_shows_forty_kits_a_page_by_code(client, world):
    _add_kits(world, 45)  # and the campaign's two kits (CK-…), first by code
    client.force_login(world.adviser)
    first = _kit_codes(client, _url(world))
    assert len(first) == selectors_deployment.PLAN_KITS_PER_PAGE == 40
    assert first == sorted(first) and first[-1] == "MC-037"
    html = client.get(_url(world)).content.decode()
    assert "page=2" in html and "Page 1" in html
    second = _kit_codes(client, _url(world, page=2))
    assert second == [f"MC-{n:03d}" for n in range(38, 45)]


def test_the_plan_filters_kits_by_type_owner_code_and_free_trimester(client, world):
    mine = _add_kits(world, 3, prefix="PRG-")
    partners = _add_kits(world, 2, prefix="PART-", owner="Numérik Éducation")
    other_type = KitType.objects.create(
        code="laptops", name="Classe mobile portables", programme=Programme.MOBILE_CLASSROOM
    )
    laptops = _add_kits(world, 2, prefix="LAP-", kit_type=other_type)
    # One kit goes to a class in each of the campaign's three trimesters: none is free.
    full = mine[0]
    for index in range(3):
        (application,) = make_accepted(world, trimester_index=index)
        services.placement_create(application=application, kit=full, by=world.adviser)
    client.force_login(world.adviser)
    assert _kit_codes(client, _url(world, kit_type=other_type.pk)) == [k.code for k in laptops]
    assert _kit_codes(client, _url(world, owner="Numérik Éducation")) == [k.code for k in partners]
    programme = _kit_codes(client, _url(world, owner="-"))
    assert "PRG-000" in programme and "PART-000" not in programme
    assert _kit_codes(client, _url(world, code="prg-00")) == [k.code for k in mine]
    free = _kit_codes(client, _url(world, free_only="on"))
    assert full.code not in free and mine[1].code in free and partners[0].code in free
    html = client.get(_url(world, code="nothing-like-it")).content.decode()
    assert "No kit matches." in html


def test_the_plan_asks_as_many_queries_with_many_kits_and_classes(client, world):
    kits = _add_kits(world, 45)
    (first,) = make_accepted(world)
    services.placement_create(application=first, kit=kits[0], by=world.adviser)
    client.force_login(world.adviser)
    url = _url(world)
    client.get(url)
    few = _count(client, url)
    for index, application in enumerate(make_accepted(world, 6), start=1):
        services.placement_create(application=application, kit=kits[index], by=world.adviser)
    make_accepted(world, 2)  # waiting for a kit
    assert _count(client, url) == few <= MAX_QUERIES
    assert _count(client, _url(world, free_only="on", owner="-", code="MC", page=2)) <= MAX_QUERIES


def test_the_plan_lists_the_first_classes_waiting_for_a_kit_and_links_the_rest(client, world, monkeypatch):
    monkeypatch.setattr(selectors_deployment, "UNPLACED_SHOWN", 2)
    _add_kits(world, 2)
    waiting = make_accepted(world, 3)
    client.force_login(world.adviser)
    html = client.get(_url(world)).content.decode()
    shown = [a for a in waiting if a.number in html]
    assert len(shown) == 2 and 'data-testid="more-unplaced"' in html
    # A class is still placed from the plan: it leaves the list.
    kit = make_mobile_kit()
    services.placement_create(application=shown[0], kit=kit, by=world.adviser)
    html = client.get(_url(world)).content.decode()
    assert shown[0].number not in html.split('data-testid="plan-grid"')[0]
    assert 'data-testid="more-unplaced"' not in html


def test_a_kit_booked_for_a_class_joins_the_campaign_and_its_plan(client, world):
    (application,) = make_accepted(world)
    kit = make_mobile_kit(owner="Société Numérik")
    assert not world.campaign.kits.filter(pk=kit.pk).exists()
    services.placement_create(application=application, kit=kit, by=world.adviser)
    assert world.campaign.kits.filter(pk=kit.pk).exists()
    other = make_mobile_kit()
    services.placement_move(application=application, by=world.adviser, reason="Panne.", kit=other)
    assert set(world.campaign.kits.filter(pk__in=[kit.pk, other.pk]).values_list("code", flat=True)) == {
        kit.code,
        other.code,
    }
    client.force_login(world.adviser)
    assert kit.code in _kit_codes(client, _url(world)) and other.code in _kit_codes(client, _url(world))


def test_a_connection_kit_listed_by_mistake_is_no_row_of_the_plan(client, world):
    connection_kit = make_kit(items=False)
    world.campaign.kits.add(connection_kit)
    client.force_login(world.adviser)
    codes = _kit_codes(client, _url(world))
    assert connection_kit.code not in codes and len(codes) == 2


def test_outsiders_get_404_on_any_page_of_the_plan(client, world):
    _add_kits(world, 45)
    url = _url(world, page=2, owner="-", code="MC", free_only="on")
    for person in (None, world.director_b, world.teacher_b, world.inspector_b):
        client.logout()
        if person is not None:
            client.force_login(person)
        assert client.get(url).status_code == 404, person
    client.force_login(world.adviser)
    assert client.get(url).status_code == 200
