"""Outsiders get a 404 on every page of an application, its opinion, its files and sessions."""

from django.urls import reverse
import pytest

from classrooms import services
from classrooms.models import ApplicationStatus
from tests.builders.classrooms import make_application, make_draft
from tests.builders.files import pdf_upload
from tests.builders.schools import make_staff

A = ApplicationStatus
pytestmark = pytest.mark.django_db


@pytest.fixture
def objects(world):
    """An application of school A with a file, proposed at a session sent for decision."""
    draft = make_draft(world)
    attachment = services.attachment_add(application=draft, by=world.teacher_a, upload=pdf_upload())
    services.application_submit(application=draft, by=world.director_a)
    application = make_application(world, A.SCHEDULED)
    proposal = application.proposals.get()
    return {"draft": draft, "attachment": attachment, "application": application, "proposal": proposal}


def school_urls(objects) -> list[tuple[str, str]]:
    app_id = objects["application"].public_id
    return [
        ("GET", reverse("classrooms:detail", kwargs={"application_id": app_id})),
        ("GET", reverse("classrooms:edit", kwargs={"application_id": objects["draft"].public_id})),
        ("POST", reverse("classrooms:submit", kwargs={"application_id": objects["draft"].public_id})),
        ("POST", reverse("classrooms:withdraw", kwargs={"application_id": app_id})),
        ("POST", reverse("classrooms:attachment_add", kwargs={"application_id": objects["draft"].public_id})),
        ("GET", reverse("classrooms:attachment", kwargs={"attachment_id": objects["attachment"].pk})),
        ("POST", reverse("classrooms:attachment_remove", kwargs={"attachment_id": objects["attachment"].pk})),
    ]


def programme_urls(objects) -> list[tuple[str, str]]:
    app_id = objects["application"].public_id
    session_id = objects["proposal"].session_id
    proposal_id = objects["proposal"].pk
    return [
        ("GET", reverse("classrooms:review", kwargs={"application_id": app_id})),
        ("POST", reverse("classrooms:opinion", kwargs={"application_id": objects["draft"].public_id})),
        ("GET", reverse("classrooms:session", kwargs={"session_id": session_id})),
        ("GET", reverse("classrooms:minutes", kwargs={"session_id": session_id})),
        ("POST", reverse("classrooms:session_send", kwargs={"session_id": session_id})),
        ("POST", reverse("classrooms:proposal", kwargs={"proposal_id": proposal_id})),
        ("GET", reverse("classrooms:decision", kwargs={"session_id": session_id})),
        ("POST", reverse("classrooms:decide", kwargs={"proposal_id": proposal_id})),
        ("POST", reverse("classrooms:decide_all", kwargs={"session_id": session_id})),
    ]


def answers(client, urls) -> dict[str, int]:
    return {f"{method} {url}": getattr(client, method.lower())(url).status_code for method, url in urls}


@pytest.mark.parametrize("outsider", ["inspector_b", "director_b", "teacher_b", "anonymous", "coordinator"])
def test_outsiders_get_404_on_every_url(client, world, objects, outsider):
    if outsider == "coordinator":
        client.force_login(make_staff("coordinator", email="coordinateur@example.org"))
    elif outsider != "anonymous":
        client.force_login(getattr(world, outsider))
    found = answers(client, school_urls(objects) + programme_urls(objects))
    assert {url: status for url, status in found.items() if status != 404} == {}


def test_the_school_never_sees_the_programmes_pages(client, world, objects):
    for person in (world.director_a, world.teacher_a):
        client.force_login(person)
        found = answers(client, programme_urls(objects))
        assert {url: status for url, status in found.items() if status != 404} == {}


def test_the_other_district_inspector_does_not_see_the_application_in_lists(client, world, objects):
    client.force_login(world.inspector_b)
    inbox = client.get(reverse("classrooms:inbox")).content.decode()
    assert objects["application"].number not in inbox
    assert client.get(reverse("classrooms:review_list")).status_code == 200
    assert objects["application"].number not in client.get(reverse("classrooms:review_list")).content.decode()


def test_a_resource_teacher_follows_the_applications_of_their_sectors_only(client, world, objects):
    other = make_application(world, A.SUBMITTED, school=world.school_b)
    client.force_login(world.resource_teacher_a)
    page = client.get(reverse("classrooms:review_list")).content.decode()
    assert objects["application"].number in page
    assert other.number not in page
    assert (
        client.get(reverse("classrooms:review", kwargs={"application_id": other.public_id})).status_code
        == 404
    )


def test_programme_roles_do_not_see_the_connection_programmes_staff_pages(client, world):
    for person in (world.inspector_a, world.adviser, world.decision_maker):
        client.force_login(person)
        assert client.get(reverse("cases:staff_board")).status_code in (403, 404)
        assert client.get(reverse("staff_home")).status_code == 403
        assert client.get(reverse("helpdesk:staff_queue")).status_code in (403, 404)
        assert client.get(reverse("cases:list")).status_code == 404


def test_connection_staff_without_a_role_do_not_see_the_programme(client, world):
    client.force_login(make_staff("coordinator", email="coordinateur@example.org"))
    for name in (
        "classrooms:review_list",
        "classrooms:inbox",
        "classrooms:sessions",
        "classrooms:decision_list",
        "classrooms:list",
    ):
        assert client.get(reverse(name)).status_code == 404, name


def test_programme_roles_need_a_second_factor(client, world):
    client.force_login(world.inspector_a, second_factor=False)
    response = client.get(reverse("classrooms:inbox"))
    assert response.status_code == 302
    assert "/accounts/two-factor/" in response["Location"]


def test_the_school_page_shows_no_ranking_and_hides_an_unshared_opinion(client, world):
    application = make_application(world, A.SCHEDULED)
    client.force_login(world.director_a)
    page = client.get(
        reverse("classrooms:detail", kwargs={"application_id": application.public_id})
    ).content.decode()
    assert "Projet solide" not in page  # the inspector's comment, not shared
    assert "Rank" not in page and "rank" not in page
