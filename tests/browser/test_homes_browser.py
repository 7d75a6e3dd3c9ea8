"""Each role's first screen after logging in shows their waiting work; one click starts the first of it."""

from django.urls import reverse
import pytest

from cases.states import CaseStatus
from conventions import services
from conventions.models import Document, DocumentKind
from tests.browser.test_cases_browser import log_in
from tests.builders.cases import make_case
from tests.builders.conventions import make_ready_case

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_coordinator_lands_on_the_requests_to_review_and_opens_the_first(
    page, live_server, school_a, director_a, coordinator
):
    first = make_case(school_a, director_a, coordinator, CaseStatus.SUBMITTED)
    make_case(school_a, director_a, coordinator, CaseStatus.SUBMITTED)

    log_in(page, live_server, coordinator.email)

    assert page.url == live_server.url + reverse("staff_home")
    line = page.get_by_test_id("work-line-cases-to-review")
    assert line.get_by_test_id("work-count").inner_text() == "2"
    line.get_by_test_id("work-first").click()
    page.wait_for_url(f"**{reverse('cases:staff_detail', args=[first.public_id])}")
    assert first.number in page.get_by_role("heading", level=1).inner_text()


def test_a_director_lands_on_the_document_to_sign_and_reaches_the_signing_page(
    page, live_server, school_a, director_a, coordinator
):
    services.ensure_default_templates()  # a flushed database has lost what migrations created
    case = make_ready_case(school_a, director_a, coordinator)
    services.documents_send(case=case, by=coordinator)  # commits; the rendering runs inline
    convention = Document.objects.get(case=case, kind=DocumentKind.CONVENTION)

    log_in(page, live_server, director_a.email)

    assert page.url == live_server.url + reverse("schools:dashboard")
    page.get_by_test_id("work-line-documents-to-sign").get_by_test_id("work-first").click()
    page.wait_for_url(f"**{reverse('conventions:sign', args=[convention.public_id])}")
    page.goto(live_server.url + reverse("cases:detail", args=[case.public_id]))
    page.get_by_test_id("sign-now").click()
    page.wait_for_url(f"**{reverse('conventions:sign', args=[convention.public_id])}")


@pytest.mark.parametrize(
    ("persona", "landing"), [("technician", "loans:my_visits"), ("helpdesk_agent", "helpdesk:staff_queue")]
)
def test_technicians_and_agents_land_on_their_own_pages(page, live_server, request, persona, landing):
    person = request.getfixturevalue(persona)

    log_in(page, live_server, person.email)

    assert page.url == live_server.url + reverse(landing)


def test_mobile_classroom_people_land_on_their_waiting_work(page, live_server):
    """The adviser opens the first application to put before the commission, a commission
    member the agenda of their coming session, a resource teacher the evaluation to complete,
    a teacher the coming trainings: each in one click from the first screen."""
    from classrooms.models import ApplicationStatus as A
    from tests.builders.classrooms import make_application, make_class_in, make_session, make_world
    from tests.builders.deployment import make_accepted, make_training

    world = make_world()
    ready = make_application(world, A.OPINION_GIVEN)
    session = make_session(world)
    returned = make_class_in(world, A.RETURNED)
    make_accepted(world)
    make_training(world)
    journeys = [
        (world.adviser, "classroom-for-commission", reverse("classrooms:review", args=[ready.public_id])),
        (world.member, "classroom-coming-sessions", reverse("classrooms:session", args=[session.pk])),
        (
            world.resource_teacher_a,
            "classroom-evaluations",
            reverse("classrooms:followup", args=[returned.public_id]),
        ),
        (world.teacher_a, "classroom-trainings", reverse("classrooms:my_trainings")),
    ]
    for person, line, target in journeys:
        log_in(page, live_server, person.email)
        page.get_by_test_id(f"work-line-{line}").get_by_test_id("work-first").click()
        page.wait_for_url(live_server.url + target)
