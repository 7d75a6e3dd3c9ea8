"""Tickets about a connection case or a kit: only the school's own, named without health data."""

from io import StringIO

from django.urls import reverse
from django.utils.html import escape
import pytest

from cases import demo as loans_demo
from cases import demo_logistics
from cases.models import CaseStatus
from helpdesk import demo, services
from helpdesk.models import Ticket
from helpdesk.services import (
    ERROR_CASE_OTHER_SCHOOL,
    ERROR_KIT_NOT_OF_CASE,
    ERROR_KIT_OTHER_SCHOOL,
    ERROR_NOT_HELPDESK_STAFF,
    HelpdeskError,
)
from loans import demo as kit_demo
from loans import services as kit_services
from schools import demo as schools_demo
from schools.models import Calendar, Membership, MembershipRole
from tests.builders.cases import make_case, make_draft
from tests.builders.helpdesk import open_ticket
from tests.builders.loans import case_with_kit


def form_data(**changes):
    return {
        "subject": "La caméra ne s'allume plus",
        "category": "hardware",
        "description": "Depuis ce matin, en classe de P5.",
        **changes,
    }


@pytest.fixture
def teacher_client(client, teacher_a):
    client.force_login(teacher_a)
    return client


@pytest.fixture
def agent_client(client, helpdesk_agent):
    client.force_login(helpdesk_agent)
    return client


@pytest.fixture
def case_a(school_a, director_a, coordinator):
    """A case of school A with a kit reserved for it."""
    case, loan = case_with_kit(school_a, director_a, coordinator, signed=False)
    return case, loan.kit


@pytest.fixture
def case_b(school_b, director_b, coordinator):
    """A case of school B with a kit reserved for it."""
    case, loan = case_with_kit(school_b, director_b, coordinator, signed=False)
    return case, loan.kit


def options(response, field: str) -> dict[int, str]:
    form = response.context["form"]
    return {int(value): label for value, label in form.fields[field].choices if value}


# ---------------------------------------------------------------- what the form offers


def test_the_form_offers_only_the_schools_current_cases_and_their_kits(
    teacher_client, school_a, director_a, coordinator, case_a, case_b
):
    (own, own_kit), (other, other_kit) = case_a, case_b
    submitted = make_case(school_a, director_a, coordinator, status=CaseStatus.SUBMITTED)
    draft = make_draft(school_a, director_a)
    withdrawn = make_case(school_a, director_a, coordinator, status=CaseStatus.WITHDRAWN)
    response = teacher_client.get(reverse("helpdesk:ticket_open"))
    cases, kits = options(response, "case"), options(response, "kit")
    assert set(cases) == {own.pk, submitted.pk}
    assert draft.pk not in cases and withdrawn.pk not in cases and other.pk not in cases
    assert kits == {own_kit.pk: f"{own_kit.code} · {own.number}"}
    page = response.content.decode()
    assert other.number not in page and other_kit.code not in page


def test_a_case_is_named_by_number_class_and_the_pupils_first_name_and_initial_only(teacher_client, case_a):
    case, _kit = case_a
    response = teacher_client.get(reverse("helpdesk:ticket_open"))
    label = options(response, "case")[case.pk]
    assert label == f"{case.number} · {case.school_class.name} · Emma P."
    page = response.content.decode()
    assert "Peeters" not in page  # last name
    assert case.get_reason_category_display() not in page  # health-related category
    assert "2015" not in page  # date of birth


def test_a_school_without_cases_sees_no_empty_lists(teacher_client):
    page = teacher_client.get(reverse("helpdesk:ticket_open")).content.decode()
    assert '<select name="case"' not in page and '<select name="kit"' not in page


def test_a_person_of_several_schools_gets_each_option_tagged_with_its_school(
    teacher_client, teacher_a, school_b, case_a, case_b
):
    Membership.objects.create(user=teacher_a, school=school_b, role=MembershipRole.TEACHER)
    (own, own_kit), (other, other_kit) = case_a, case_b
    other.school_class.teachers.add(teacher_a)  # a teacher is offered their classes' cases
    response = teacher_client.get(reverse("helpdesk:ticket_open"))
    assert set(options(response, "case")) == {own.pk, other.pk}
    assert set(options(response, "kit")) == {own_kit.pk, other_kit.pk}
    page = response.content.decode()
    assert f'value="{other.pk}" data-school="{school_b.pk}"' in page
    assert f'value="{own_kit.pk}" data-school="{own.school_id}"' in page


# ---------------------------------------------------------------- opening a linked ticket


def test_a_teacher_opens_a_ticket_about_a_kit_and_its_case_is_linked_too(teacher_client, teacher_a, case_a):
    case, kit = case_a
    response = teacher_client.post(reverse("helpdesk:ticket_open"), form_data(kit=kit.pk))
    ticket = Ticket.objects.get()
    assert response.status_code == 302
    assert (ticket.kit, ticket.case) == (kit, case)
    assert ticket.history.get().kit_id == kit.pk  # the opening's history row names it


def test_a_director_opens_a_ticket_about_a_case(client, director_a, case_a):
    case, _kit = case_a
    client.force_login(director_a)
    response = client.post(reverse("helpdesk:ticket_open"), form_data(case=case.pk))
    assert response.status_code == 302
    ticket = Ticket.objects.get()
    assert (ticket.case, ticket.kit) == (case, None)


@pytest.mark.parametrize(
    ("field", "error"), [("case", ERROR_CASE_OTHER_SCHOOL), ("kit", ERROR_KIT_OTHER_SCHOOL)]
)
def test_another_schools_case_or_kit_is_refused_next_to_the_field_and_the_text_kept(
    teacher_client, case_b, field, error
):
    case, kit = case_b
    posted = {"case": case.pk, "kit": kit.pk}[field]
    response = teacher_client.post(
        reverse("helpdesk:ticket_open"), form_data(**{field: posted}, subject="Écran noir en P5")
    )
    assert response.status_code == 400
    assert response.context["form"].errors[field] == [str(error)]
    page = response.content.decode()
    assert escape(str(error)) in page
    assert 'value="Écran noir en P5"' in page
    assert not Ticket.objects.exists()


def test_a_person_of_two_schools_cannot_link_one_schools_ticket_to_the_others_kit(
    teacher_client, teacher_a, school_a, school_b, case_b
):
    Membership.objects.create(user=teacher_a, school=school_b, role=MembershipRole.TEACHER)
    _case, kit = case_b
    response = teacher_client.post(reverse("helpdesk:ticket_open"), form_data(school=school_a.pk, kit=kit.pk))
    assert response.status_code == 400
    assert response.context["form"].errors["kit"] == [str(ERROR_KIT_OTHER_SCHOOL)]
    assert not Ticket.objects.exists()


def test_a_kit_lent_to_another_case_than_the_chosen_one_is_refused(
    teacher_client, school_a, director_a, coordinator, case_a
):
    case, _kit = case_a
    _second, second_loan = case_with_kit(school_a, director_a, coordinator, signed=False)
    response = teacher_client.post(
        reverse("helpdesk:ticket_open"), form_data(case=case.pk, kit=second_loan.kit_id)
    )
    assert response.status_code == 400
    assert response.context["form"].errors["kit"] == [str(ERROR_KIT_NOT_OF_CASE)]


def test_an_unknown_id_is_refused_without_error_500(teacher_client):
    response = teacher_client.post(reverse("helpdesk:ticket_open"), form_data(case="999999", kit="abc"))
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert errors["case"] == [str(ERROR_CASE_OTHER_SCHOOL)]
    assert errors["kit"] == [str(ERROR_KIT_OTHER_SCHOOL)]


# ---------------------------------------------------------------- the services


@pytest.mark.parametrize(
    ("field", "error"), [("case", ERROR_CASE_OTHER_SCHOOL), ("kit", ERROR_KIT_OTHER_SCHOOL)]
)
def test_ticket_open_refuses_another_schools_case_or_kit(school_a, teacher_a, case_b, field, error):
    case, kit = case_b
    link = {"case": case} if field == "case" else {"kit": kit}
    with pytest.raises(HelpdeskError) as refused:
        open_ticket(school_a, teacher_a, **link)
    assert (refused.value.field, refused.value.message) == (field, error)
    assert not Ticket.objects.exists()


def test_ticket_open_refuses_a_draft_case_of_the_school(school_a, director_a, teacher_a):
    draft = make_draft(school_a, director_a)
    with pytest.raises(HelpdeskError) as refused:
        open_ticket(school_a, teacher_a, case=draft)
    assert refused.value.message == ERROR_CASE_OTHER_SCHOOL


def test_ticket_link_refuses_another_schools_kit_and_changes_nothing(
    school_a, teacher_a, helpdesk_agent, case_a, case_b
):
    case, kit = case_a
    ticket = open_ticket(school_a, teacher_a, kit=kit)
    with pytest.raises(HelpdeskError) as refused:
        services.ticket_link(ticket=ticket, case=None, kit=case_b[1], by=helpdesk_agent)
    assert refused.value.message == ERROR_KIT_OTHER_SCHOOL
    ticket.refresh_from_db()
    assert (ticket.case, ticket.kit) == (case, kit)


def test_only_helpdesk_staff_link_tickets(school_a, teacher_a, read_only_staff, case_a):
    ticket = open_ticket(school_a, teacher_a)
    for person in (teacher_a, read_only_staff):
        with pytest.raises(HelpdeskError) as refused:
            services.ticket_link(ticket=ticket, case=case_a[0], kit=None, by=person)
        assert refused.value.message == ERROR_NOT_HELPDESK_STAFF


def test_a_ticket_keeps_its_kit_once_the_loan_is_over(
    school_a, teacher_a, helpdesk_agent, coordinator, case_a
):
    case, kit = case_a
    ticket = open_ticket(school_a, teacher_a, kit=kit)
    kit_services.loan_cancel(loan=case.loans.get(), by=coordinator)
    services.ticket_link(ticket=ticket, case=case, kit=kit, by=helpdesk_agent)  # unchanged: accepted
    ticket.refresh_from_db()
    assert (ticket.case, ticket.kit) == (case, kit)
    # ...but nobody can link another ticket to it any more.
    with pytest.raises(HelpdeskError):
        open_ticket(school_a, teacher_a, kit=kit)


# ---------------------------------------------------------------- staff link and unlink


def test_an_agent_links_a_ticket_to_a_kit_and_the_history_says_who(
    agent_client, school_a, teacher_a, helpdesk_agent, case_a
):
    case, kit = case_a
    ticket = open_ticket(school_a, teacher_a)
    url = reverse("helpdesk:staff_ticket_link", args=[ticket.pk])
    response = agent_client.post(url, {"case": "", "kit": kit.pk})
    assert response.status_code == 302
    ticket.refresh_from_db()
    assert (ticket.case, ticket.kit) == (case, kit)
    latest = ticket.history.order_by("-history_date", "-history_id").first()
    assert latest.history_user == helpdesk_agent and latest.kit_id == kit.pk
    history = agent_client.get(reverse("helpdesk:staff_ticket_history", args=[ticket.pk]))
    newest = history.context["records"][0]
    assert {change.field for change in newest.changes} == {"case", "kit"}

    response = agent_client.post(url, {"case": "", "kit": ""})
    assert response.status_code == 302
    ticket.refresh_from_db()
    assert (ticket.case, ticket.kit) == (None, None)
    assert ticket.history.count() == 3


def test_an_agent_cannot_link_another_schools_case(agent_client, school_a, teacher_a, case_b):
    ticket = open_ticket(school_a, teacher_a)
    response = agent_client.post(
        reverse("helpdesk:staff_ticket_link", args=[ticket.pk]), {"case": case_b[0].pk, "kit": ""}
    )
    assert response.status_code == 400
    assert response.context["link_form"].errors["case"] == [str(ERROR_CASE_OTHER_SCHOOL)]
    ticket.refresh_from_db()
    assert ticket.case is None


def test_the_staff_link_form_offers_the_tickets_school_only(
    agent_client, school_a, teacher_a, case_a, case_b
):
    ticket = open_ticket(school_a, teacher_a)
    detail = agent_client.get(reverse("helpdesk:staff_ticket_detail", args=[ticket.pk])).content.decode()
    url = reverse("helpdesk:staff_ticket_link", args=[ticket.pk])
    assert f'href="{url}"' in detail
    response = agent_client.get(url)
    form = response.context["link_form"]
    assert {int(v) for v, _label in form.fields["case"].choices if v} == {case_a[0].pk}
    assert {int(v) for v, _label in form.fields["kit"].choices if v} == {case_a[1].pk}


def test_read_only_staff_and_schools_cannot_link(
    client, read_only_staff, director_a, school_a, teacher_a, case_a
):
    ticket = open_ticket(school_a, teacher_a)
    url = reverse("helpdesk:staff_ticket_link", args=[ticket.pk])
    client.force_login(read_only_staff)
    page = client.get(reverse("helpdesk:staff_ticket_detail", args=[ticket.pk])).content.decode()
    assert url not in page
    assert client.get(url).status_code == 403
    assert client.post(url, {"case": case_a[0].pk}).status_code == 403
    client.force_login(director_a)
    assert client.get(url).status_code == 403
    assert client.post(url, {"case": case_a[0].pk}).status_code == 403
    client.logout()
    assert client.get(url).status_code in (302, 404)
    assert case_a[0].pupil_last_name not in client.get(url, follow=True).content.decode()
    ticket.refresh_from_db()
    assert ticket.case is None


# ---------------------------------------------------------------- how each persona sees the link


@pytest.fixture
def linked_ticket(school_a, teacher_a, case_a):
    return open_ticket(school_a, teacher_a, kit=case_a[1])


def test_staff_see_links_to_the_case_and_the_kit(agent_client, linked_ticket, case_a):
    case, kit = case_a
    response = agent_client.get(reverse("helpdesk:staff_ticket_detail", args=[linked_ticket.pk]))
    page = response.content.decode()
    assert f'href="{reverse("cases:staff_detail", args=[case.public_id])}"' in page
    assert f'href="{reverse("loans:kit_detail", args=[kit.pk])}"' in page
    assert kit.code in page and case.number in page


def test_a_teacher_reads_the_kit_code_and_case_number_without_links(teacher_client, linked_ticket, case_a):
    case, kit = case_a
    page = teacher_client.get(reverse("helpdesk:ticket_detail", args=[linked_ticket.pk])).content.decode()
    assert kit.code in page and case.number in page and "Emma P." in page
    assert reverse("cases:detail", args=[case.public_id]) not in page
    assert reverse("cases:staff_detail", args=[case.public_id]) not in page
    assert reverse("loans:kit_detail", args=[kit.pk]) not in page
    assert "Peeters" not in page


def test_a_director_gets_a_link_to_their_case_page(client, director_a, linked_ticket, case_a):
    case, kit = case_a
    client.force_login(director_a)
    page = client.get(reverse("helpdesk:ticket_detail", args=[linked_ticket.pk])).content.decode()
    assert f'href="{reverse("cases:detail", args=[case.public_id])}"' in page
    assert kit.code in page


def test_another_schools_director_gets_404(client, director_b, linked_ticket):
    client.force_login(director_b)
    assert client.get(reverse("helpdesk:ticket_detail", args=[linked_ticket.pk])).status_code == 404


def test_lists_show_the_kit_code_and_case_number(agent_client, client, teacher_a, linked_ticket, case_a):
    case, kit = case_a
    queue = agent_client.get(reverse("helpdesk:staff_queue")).content.decode()
    assert kit.code in queue and case.number in queue
    client.force_login(teacher_a)
    listing = client.get(reverse("helpdesk:ticket_list")).content.decode()
    assert kit.code in listing and case.number in listing


# ---------------------------------------------------------------- search


def test_the_queue_finds_tickets_by_kit_code_or_case_number(
    agent_client, school_a, teacher_a, linked_ticket, case_a
):
    case, kit = case_a
    other = open_ticket(school_a, teacher_a, subject="Autre chose")
    for query in (kit.code.lower(), case.number, case.number.lower()):
        response = agent_client.get(reverse("helpdesk:staff_queue"), {"q": query, "state": "all"})
        found = [ticket.pk for ticket in response.context["page_obj"]]
        assert found == [linked_ticket.pk], query
    assert other.pk not in found


# ---------------------------------------------------------------- demo


def test_the_demo_links_one_ticket_to_a_demo_cases_kit_once(db, django_capture_on_commit_callbacks):
    Calendar.objects.update(is_default=False)  # the directory's demo brings its own default calendar
    with django_capture_on_commit_callbacks(execute=True):
        schools_demo.seed(StringIO())
        loans_demo.seed(StringIO())
        kit_demo.seed(StringIO())
        demo_logistics.seed(StringIO())
        demo.seed(StringIO())
    linked = Ticket.objects.get(subject=demo.LINKED_SUBJECT)
    assert linked.kit is not None and linked.case is not None
    assert linked.case.school_id == linked.school_id
    assert linked.case.loans.filter(kit=linked.kit).exists()
    before = list(Ticket.history.values_list("history_id", flat=True))
    demo.seed(StringIO())
    assert list(Ticket.history.values_list("history_id", flat=True)) == before
    # Unlinked by somebody since: the demo leaves it alone.
    linked.case, linked.kit = None, None
    linked.save(update_fields=["case", "kit"])
    demo.seed(StringIO())
    linked.refresh_from_db()
    assert linked.kit is None
