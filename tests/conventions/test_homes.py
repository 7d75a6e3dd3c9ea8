"""Each person lands on what waits for them, and a case's page shows the signatures to give
and the school's tickets about it."""

import datetime

from django.urls import reverse
from django.utils import timezone
import pytest
from pytest_django.asserts import assertContains, assertNotContains

from cases.models import ConnectionCase
from cases.states import CaseStatus
from classcontact.homes import home_lines
from helpdesk.models import Status, Ticket
from loans import services as kit_services
from loans.models import Loan
from tests.builders.cases import make_case, make_draft
from tests.builders.conventions import convention_of, make_ready_case, send, sign_as_director
from tests.builders.helpdesk import open_ticket
from tests.builders.loans import installed_case, retrieval_planned_case
from tests.builders.schools import make_teacher

pytestmark = pytest.mark.django_db

S = CaseStatus


def lines_by_key(user) -> dict:
    return {line.key: line for line in home_lines(user)}


def past_expected_end(case: ConnectionCase) -> ConnectionCase:
    """The pupil was expected back yesterday (the date a director gave, now passed)."""
    today = timezone.localdate()
    ConnectionCase.objects.filter(pk=case.pk).update(
        absence_start=today - datetime.timedelta(days=30), absence_end=today - datetime.timedelta(days=1)
    )
    return ConnectionCase.objects.get(pk=case.pk)


def test_the_coordinator_home_lists_what_waits_with_the_first_action(
    client, school_a, director_a, coordinator, technician
):
    submitted = make_case(school_a, director_a, coordinator, S.SUBMITTED)
    make_case(school_a, director_a, coordinator, S.SUBMITTED)
    eligible = make_case(school_a, director_a, coordinator, S.ELIGIBLE)
    active, _loan = installed_case(school_a, director_a, coordinator, technician)
    past_expected_end(active)
    client.force_login(coordinator)

    page = client.get(reverse("staff_home"))

    lines = {line.key: line for line in page.context["lines"]}
    assert lines["cases-to-review"].count == 2
    assert lines["cases-to-review"].first_url == reverse("cases:staff_detail", args=[submitted.public_id])
    assert lines["cases-without-kit"].first_url == reverse("cases:case_assign", args=[eligible.public_id])
    assert lines["cases-past-expected-end"].count == 1
    assertContains(page, f'href="{reverse("cases:staff_detail", args=[submitted.public_id])}"')
    assertContains(page, "Requests to review")


def test_a_kit_back_from_its_retrieval_waits_to_be_checked_in(school_a, director_a, coordinator, technician):
    _case, loan = retrieval_planned_case(school_a, director_a, coordinator, technician)
    assert "kits-to-check-in" not in lines_by_key(coordinator)
    visit = loan.visits.get(kind="retrieval")
    kit_services.visit_complete(
        visit=visit,
        by=technician,
        outcome="completed",
        training_given=False,
        user_guide_handed_over=False,
        early_reason="Done ahead of the plan.",
    )

    line = lines_by_key(coordinator)["kits-to-check-in"]
    assert line.count == 1 and line.first_url == reverse("loans:loan_check_in", args=[loan.pk])
    assert Loan.objects.get(pk=loan.pk).status == "lent"


def test_a_ticket_past_its_target_waits_for_the_coordinator(school_a, director_a, coordinator):
    ticket = open_ticket(school_a, director_a)
    assert "tickets-past-target" not in lines_by_key(coordinator)
    Ticket.objects.filter(pk=ticket.pk).update(
        first_response_due=timezone.now() - datetime.timedelta(hours=1)
    )

    line = lines_by_key(coordinator)["tickets-past-target"]

    assert line.first_url == reverse("helpdesk:staff_ticket_detail", args=[ticket.pk]) and line.urgent


def test_nothing_waiting_shows_an_empty_state(client, coordinator):
    client.force_login(coordinator)

    page = client.get(reverse("staff_home"))

    assertContains(page, "Nothing waits for you right now.")


def test_the_staff_home_costs_the_same_queries_with_more_waiting_work(
    client, school_a, director_a, coordinator, django_assert_max_num_queries
):
    make_case(school_a, director_a, coordinator, S.SUBMITTED)
    client.force_login(coordinator)
    client.get(reverse("staff_home"))
    for _n in range(6):
        make_case(school_a, director_a, coordinator, S.SUBMITTED)
        make_case(school_a, director_a, coordinator, S.ELIGIBLE)

    with django_assert_max_num_queries(16):
        page = client.get(reverse("staff_home"))

    assert {line.key: line.count for line in page.context["lines"]}["cases-to-review"] == 7


def test_the_director_sees_first_the_document_to_sign_and_signs_from_the_case_page(
    client, school_a, director_a, coordinator, django_capture_on_commit_callbacks
):
    case = make_ready_case(school_a, director_a, coordinator)
    send(case, coordinator, django_capture_on_commit_callbacks)
    convention = convention_of(case)
    client.force_login(director_a)

    dashboard = client.get(reverse("schools:dashboard"))
    line = {line.key: line for line in dashboard.context["lines"]}["documents-to-sign"]
    case_page = client.get(reverse("cases:detail", args=[case.public_id]))

    sign_url = reverse("conventions:sign", args=[convention.public_id])
    assert line.first_url == sign_url
    assertContains(case_page, f'href="{sign_url}"')
    assertContains(case_page, "Sign the document “School convention”")

    sign_as_director(convention, director_a)
    after = client.get(reverse("cases:detail", args=[case.public_id]))

    assertNotContains(after, f'href="{sign_url}"')
    assertContains(after, "You signed “School convention” on")
    assertContains(after, "Still to sign:")
    assert "documents-to-sign" not in lines_by_key(director_a)


def test_another_director_has_nothing_of_that_school_waiting(
    client, school_a, director_a, director_b, coordinator, django_capture_on_commit_callbacks
):
    case = make_ready_case(school_a, director_a, coordinator)
    send(case, coordinator, django_capture_on_commit_callbacks)
    open_ticket(school_a, director_a)
    Ticket.objects.update(status=Status.WAITING)

    assert lines_by_key(director_b) == {}
    assert set(lines_by_key(director_a)) == {"documents-to-sign", "tickets-waiting"}


def test_the_countersign_button_appears_for_a_coordinator_once_the_school_signed(
    client, school_a, director_a, coordinator, read_only_staff, django_capture_on_commit_callbacks
):
    case = make_ready_case(school_a, director_a, coordinator)
    send(case, coordinator, django_capture_on_commit_callbacks)
    convention = convention_of(case)
    countersign_url = reverse("conventions:countersign", args=[convention.public_id])
    staff_page = reverse("cases:staff_detail", args=[case.public_id])
    client.force_login(coordinator)
    assertNotContains(client.get(staff_page), f'href="{countersign_url}"')

    sign_as_director(convention, director_a)

    assertContains(client.get(staff_page), f'href="{countersign_url}"')
    assert lines_by_key(coordinator)["documents-to-countersign"].first_url == countersign_url
    client.force_login(read_only_staff)
    assertNotContains(client.get(staff_page), f'href="{countersign_url}"')


def test_the_director_is_asked_whether_the_kit_is_still_needed_once_the_expected_end_passed(
    client, school_a, director_a, coordinator, technician
):
    case, _loan = installed_case(school_a, director_a, coordinator, technician)
    assert "kit-still-needed" not in lines_by_key(director_a)
    past_expected_end(case)

    line = lines_by_key(director_a)["kit-still-needed"]
    client.force_login(director_a)
    page = client.get(line.first_url.split("#")[0])

    assert line.first_url.endswith("#end-of-need")
    assertContains(page, 'id="end-of-need"')


def test_a_draft_waits_to_be_finished(school_a, director_a):
    draft = make_draft(school_a, director_a)

    line = lines_by_key(director_a)["requests-to-finish"]

    assert line.first_url == reverse("cases:edit", args=[draft.public_id])


def test_a_teacher_sees_only_their_own_tickets_waiting(school_a, director_a):
    teacher = make_teacher(school_a)
    colleague = make_teacher(school_a)
    mine = open_ticket(school_a, teacher, subject="Le micro grésille")
    open_ticket(school_a, colleague, subject="Autre souci")
    Ticket.objects.update(status=Status.WAITING)

    line = lines_by_key(teacher)["tickets-waiting"]

    assert line.count == 1 and line.first_url == reverse("helpdesk:ticket_detail", args=[mine.pk])
    assert lines_by_key(director_a)["tickets-waiting"].count == 2


def test_open_cases_come_before_closed_ones_on_the_director_dashboard(
    client, school_a, director_a, coordinator
):
    withdrawn = make_case(school_a, director_a, coordinator, S.WITHDRAWN)
    open_case = make_case(school_a, director_a, coordinator, S.SUBMITTED)
    ConnectionCase.objects.filter(pk=withdrawn.pk).update(status_changed_at=timezone.now())
    ConnectionCase.objects.filter(pk=open_case.pk).update(
        status_changed_at=timezone.now() - datetime.timedelta(days=3)
    )
    client.force_login(director_a)

    html = client.get(reverse("schools:dashboard")).content.decode()

    assert html.index(open_case.number) < html.index(withdrawn.number)


def test_a_case_page_lists_the_tickets_about_that_case_only(client, school_a, director_a, coordinator):
    case = make_case(school_a, director_a, coordinator, S.ELIGIBLE)
    other = make_case(school_a, director_a, coordinator, S.ELIGIBLE)
    about = open_ticket(school_a, director_a, subject="Caméra du cas", case=case)
    open_ticket(school_a, director_a, subject="Autre cas", case=other)

    client.force_login(director_a)
    school_page = client.get(reverse("cases:detail", args=[case.public_id]))
    client.force_login(coordinator)
    staff_page = client.get(reverse("cases:staff_detail", args=[case.public_id]))

    assertContains(school_page, reverse("helpdesk:ticket_detail", args=[about.pk]))
    assertContains(staff_page, reverse("helpdesk:staff_ticket_detail", args=[about.pk]))
    for page in (school_page, staff_page):
        assertContains(page, "Caméra du cas")
        assertNotContains(page, "Autre cas")
