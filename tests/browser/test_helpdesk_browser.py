"""The helpdesk in headless Chromium: a teacher asks about their case's kit, an agent answers,
the teacher reads it."""

import re

from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
import pytest

from cases import services as case_services
from helpdesk.models import HelpArticle, Ticket
from tests.builders.cases import request_data
from tests.builders.helpdesk import build_calendar
from tests.builders.loans import make_kit
from tests.builders.schools import PASSWORD, pass_second_factor

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def log_in(page, live_server, email):
    page.goto(live_server.url + reverse("login"))
    page.get_by_label(re.compile("e-mail", re.IGNORECASE)).fill(email)
    page.get_by_label(re.compile("mot de passe|password", re.IGNORECASE)).fill(PASSWORD)
    page.get_by_role("button", name=re.compile("connexion|log in", re.IGNORECASE)).last.click()
    pass_second_factor(page, email)


def case_with_reserved_kit(school, director, coordinator):
    """A case of ``school`` submitted, declared eligible and given a kit, through the services."""
    case = case_services.case_save_draft(by=director, school=school, data=request_data(school))
    case = case_services.case_submit(case=case, by=director)
    case = case_services.case_start_review(case=case, by=coordinator)
    case = case_services.case_decide_eligibility(
        case=case,
        by=coordinator,
        school_in_fwb=True,
        medical_reason=True,
        eligible=True,
        reason="Absence longue pour raison médicale.",
    )
    loan = case_services.case_reserve_kit(case=case, kit=make_kit(by=coordinator), by=coordinator)
    return case, loan.kit


def test_a_teacher_opens_a_ticket_about_their_cases_kit_an_agent_replies_and_the_teacher_reads_it(
    browser, phone_page, live_server, school_a, director_a, teacher_a, coordinator, helpdesk_agent
):
    build_calendar()
    HelpArticle.objects.create(
        title="La caméra 360 ne s'allume pas", body="Rebranchez le câble USB de la caméra.", published=True
    )
    case, kit = case_with_reserved_kit(school_a, director_a, coordinator)
    case.school_class.teachers.add(teacher_a)  # a teacher is offered the cases of their classes

    # The teacher, on a phone, opens a ticket; a help article is offered while typing.
    teacher = phone_page
    log_in(teacher, live_server, teacher_a.email)
    teacher.goto(live_server.url + reverse("helpdesk:ticket_list"))
    assert teacher.get_by_test_id("helpdesk-status").is_visible()
    teacher.locator(f'a[href="{reverse("helpdesk:ticket_open")}"]').first.click()
    teacher.locator("#id_subject").press_sequentially("caméra éteinte", delay=20)
    suggestion = teacher.locator("[data-help-suggest-list] a", has_text="La caméra 360 ne s'allume pas")
    suggestion.wait_for()
    teacher.locator("#id_category").select_option("hardware")
    teacher.locator("#id_description").fill("La caméra de la classe de P5 reste éteinte depuis ce matin.")
    # The kit is chosen among the school's: named by its code and its case's number.
    teacher.locator("#id_kit").select_option(label=f"{kit.code} · {case.number}")
    teacher.locator("#ticket-open-form button[type=submit]").click()
    teacher.wait_for_url(re.compile(r"/helpdesk/tickets/\d+/$"))
    ticket = Ticket.objects.get()
    assert ticket.opened_by == teacher_a
    assert (ticket.kit, ticket.case) == (kit, case)
    assert ticket.reference in teacher.locator("h1").inner_text()
    assert teacher.get_by_test_id("ticket-targets").is_visible()
    assert teacher.get_by_test_id("ticket-kit").inner_text().strip() == kit.code

    # The agent finds it in the queue and answers publicly.
    context = browser.new_context(locale="fr-BE", viewport={"width": 1280, "height": 900})
    agent = context.new_page()
    try:
        log_in(agent, live_server, helpdesk_agent.email)
        agent.get_by_test_id("nav-helpdesk-queue").click()
        agent.wait_for_url(live_server.url + reverse("helpdesk:staff_queue"))
        agent.get_by_role("link", name=ticket.reference).click()
        agent.wait_for_url(live_server.url + reverse("helpdesk:staff_ticket_detail", args=[ticket.pk]))
        # Staff reach the kit's page from the ticket.
        kit_link = agent.get_by_test_id("ticket-kit").get_by_role("link", name=kit.code)
        assert kit_link.get_attribute("href") == reverse("loans:kit_detail", args=[kit.pk])
        agent.locator("#id_body").fill("Bonjour, pouvez-vous rebrancher le câble USB sur l'autre port ?")
        agent.locator("#reply button[type=submit]").click()
        agent.wait_for_url(live_server.url + reverse("helpdesk:staff_ticket_detail", args=[ticket.pk]))
        assert agent.get_by_test_id("public-message").count() == 1
    finally:
        context.close()

    # The teacher sees the answer, the new status, the ticket's target and what it concerns.
    teacher.reload()
    reply = teacher.get_by_test_id("public-message")
    assert "pouvez-vous rebrancher le câble USB" in reply.inner_text()
    ticket.refresh_from_db()
    assert ticket.status == "open" and ticket.first_responded_at is not None
    targets = teacher.get_by_test_id("ticket-targets").inner_text()
    assert ticket.resolution_due is not None
    assert date_format(timezone.localtime(ticket.resolution_due), "DATETIME_FORMAT") in targets
    assert teacher.get_by_test_id("ticket-status").inner_text().strip() == ticket.get_status_display()
    assert teacher.get_by_test_id("ticket-kit").inner_text().strip() == kit.code
    case_text = teacher.get_by_test_id("ticket-case")
    assert case.number in case_text.inner_text() and "Peeters" not in case_text.inner_text()
    assert case_text.get_by_role("link").count() == 0  # teachers have no case pages
    width = teacher.evaluate("document.documentElement.scrollWidth")
    assert width <= 390  # nothing overflows the phone's screen
