"""Directors see their school's kits, loans and visits only; technicians see their visits;
everyone else gets a 404 (anonymous visitors are asked to log in)."""

from django.urls import reverse
import pytest

from cases import services as case_services
from loans.models import KitEvent, KitEventKind

pytestmark = pytest.mark.django_db


CASE_LOGISTICS = ("case_assign", "case_logistics", "case_visit_new")


def url(name, **kwargs):
    namespace = "cases" if name in CASE_LOGISTICS else "loans"
    return reverse(f"{namespace}:{name}", kwargs=kwargs)


def school_urls(world, school):
    """Pages of one school's kit, loan, visits and referral."""
    return [
        url("kit_detail", kit_id=world["kit"].pk),
        url("loan_detail", loan_id=world["loan"].pk),
        url("visit_detail", visit_id=world["visit"].pk),
        url("visit_detail", visit_id=world["other_visit"].pk),
        url("referral_detail", referral_id=world["referral"].pk),
        url("school_overview", school_id=school.pk),
    ]


def staff_urls(world):
    case_id = world["case"].public_id
    kit_type = world["kit"].kit_type_id
    return [
        url("availability"),
        url("calendar", kit_type_id=kit_type),
        url("case_assign", case_id=case_id),
        url("case_logistics", case_id=case_id),
        url("case_visit_new", case_id=case_id),
        url("my_visits"),
        url("loan_check_in", loan_id=world["loan"].pk),
        url("kit_detail", kit_id=world["spare_kit"].pk),
        url("class_loan_new", school_id=world["case"].school_id),
        url("school_visit_new", school_id=world["case"].school_id),
        url("visit_reschedule", visit_id=world["visit"].pk),
    ]


def test_the_director_sees_their_schools_kit_loan_visits_and_referral(client, world, director_a, school_a):
    client.force_login(director_a)
    for address in school_urls(world, school_a) + [url("loan_list"), url("visit_list"), url("feed_list")]:
        assert client.get(address).status_code == 200, address
    page = client.get(url("school_overview", school_id=school_a.pk)).content.decode()
    assert world["kit"].code in page


@pytest.mark.parametrize("outsider", ["director_b", "teacher_a"])
def test_outsiders_get_404_on_every_page_of_another_schools_kits(client, request, world, school_a, outsider):
    client.force_login(request.getfixturevalue(outsider))
    for address in school_urls(world, school_a) + staff_urls(world):
        assert client.get(address).status_code == 404, address
    assert client.post(url("kit_room", kit_id=world["kit"].pk), {"room": "Hall"}).status_code == 404
    assert (
        client.post(url("visit_complete", visit_id=world["visit"].pk), {"outcome": "completed"}).status_code
        == 404
    )


def test_another_directors_lists_show_nothing_of_school_a(client, world, director_b):
    client.force_login(director_b)
    assert world["kit"].code not in client.get(url("loan_list")).content.decode()
    listing = client.get(url("visit_list") + "?when=all").content.decode()
    assert reverse("loans:visit_detail", args=[world["visit"].pk]) not in listing


def test_a_teacher_has_no_kit_lists(client, world, teacher_a):
    client.force_login(teacher_a)
    for address in (url("loan_list"), url("visit_list"), url("feed_list"), url("my_schools")):
        assert client.get(address).status_code == 404, address


def test_anonymous_visitors_are_asked_to_log_in(client, world, school_a):
    for address in school_urls(world, school_a) + staff_urls(world):
        response = client.get(address)
        assert response.status_code == 302 and response["Location"].startswith(reverse("login")), address


def test_a_technician_sees_their_visits_only(client, world, technician, other_technician):
    client.force_login(technician)
    assert client.get(url("visit_detail", visit_id=world["visit"].pk)).status_code == 200
    assert client.get(url("visit_detail", visit_id=world["other_visit"].pk)).status_code == 404
    listing = client.get(url("visit_list") + "?when=all").content.decode()
    assert reverse("loans:visit_detail", args=[world["visit"].pk]) in listing
    assert reverse("loans:visit_detail", args=[world["other_visit"].pk]) not in listing
    client.force_login(other_technician)
    assert (
        client.post(url("visit_complete", visit_id=world["visit"].pk), {"outcome": "completed"}).status_code
        == 404
    )


def test_staff_without_the_role_may_look_but_not_act(client, world, helpdesk_agent):
    client.force_login(helpdesk_agent)
    assert client.get(url("visit_detail", visit_id=world["visit"].pk)).status_code == 200
    assert client.get(url("kit_detail", kit_id=world["kit"].pk)).status_code == 200
    assert client.get(url("loan_check_in", loan_id=world["loan"].pk)).status_code == 403
    assert (
        client.post(url("visit_complete", visit_id=world["visit"].pk), {"outcome": "completed"}).status_code
        == 403
    )
    assert client.get(url("case_assign", case_id=world["case"].public_id)).status_code == 403
    assert client.post(url("kit_room", kit_id=world["kit"].pk), {"room": "Hall"}).status_code == 403


def test_the_director_moves_their_kit_to_another_room(client, world, director_a):
    client.force_login(director_a)
    response = client.post(url("kit_room", kit_id=world["kit"].pk), {"room": "Salle 2.14", "back": "school"})
    assert response.status_code == 302
    world["kit"].refresh_from_db()
    assert world["kit"].room == "Salle 2.14"
    event = KitEvent.objects.get(kit=world["kit"], kind=KitEventKind.ROOM_CHANGED)
    assert event.actor == director_a and event.notes == "B12 → Salle 2.14"


def test_a_director_cannot_move_a_kit_only_booked_for_their_school(client, world, director_a, coordinator):

    from tests.builders.loans import eligible_case

    case = eligible_case(world["case"].school, director_a, coordinator)
    case_services.case_reserve_kit(case=case, kit=world["spare_kit"], by=coordinator)
    client.force_login(director_a)
    assert client.get(url("kit_detail", kit_id=world["spare_kit"].pk)).status_code == 200
    assert client.post(url("kit_room", kit_id=world["spare_kit"].pk), {"room": "Hall"}).status_code == 404
