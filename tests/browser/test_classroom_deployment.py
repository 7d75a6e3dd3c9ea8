"""The deployment in headless Chromium, in French: the adviser places an accepted class with a kit
on the plan and plans its delivery, the technician marks the delivery done on a phone, and a
teacher registers for a training session in two clicks."""

import re

from django.urls import reverse
from django.utils import timezone
import pytest

from classrooms.models import Application, ApplicationStatus, RegistrationStatus
from loans.models import Loan, Visit
from tests.browser.test_classrooms_browser import log_in
from tests.builders.classrooms import make_world
from tests.builders.deployment import at, make_accepted, make_mobile_kit, make_technician, make_training

pytestmark = [pytest.mark.browser, pytest.mark.french, pytest.mark.django_db(transaction=True)]
A = ApplicationStatus


def test_placed_delivered_on_a_phone_and_a_teacher_registers_in_two_clicks(page, phone_page, live_server):
    world = make_world()
    (application,) = make_accepted(world)
    kit = make_mobile_kit(owner="Numérik Éducation", code="MC-PLAN-1")
    technician = make_technician(email="technicien@example.org")

    # The adviser opens the campaign's plan and places the class with a free kit.
    log_in(page, live_server, world.adviser.email)
    page.goto(live_server.url + reverse("classrooms:plan", kwargs={"campaign_id": world.campaign.pk}))
    page.get_by_test_id("unplaced").get_by_role("link", name=re.compile(application.number)).click()
    page.wait_for_load_state()
    form = page.get_by_test_id("place-form")
    form.locator("#id_kit").select_option(str(kit.pk))
    form.get_by_role("button", name="Placer sur le plan").click()
    page.wait_for_load_state()
    assert "MC-PLAN-1" in page.get_by_test_id("placement-kit").inner_text()
    loan = Loan.objects.get(kit=kit)
    assert loan.holder_is(application)

    # Then plans the delivery and installation with the logistics partner's technician.
    visit_form = page.get_by_test_id("visit-form")
    visit_form.locator("#id_kind").select_option("installation")
    visit_form.locator("#id_technician").select_option(str(technician.pk))
    starts = at(2)
    visit_form.locator("#id_day").fill(starts.date().isoformat())
    visit_form.locator("#id_time").fill("09:00")
    visit_form.get_by_role("button", name="Planifier la visite").click()
    page.wait_for_load_state()
    visit = Visit.objects.get(loan=loan)
    assert timezone.localtime(visit.starts_at).hour == 9

    # The plan shows the class in the kit's row, with the kit's owner.
    page.goto(live_server.url + reverse("classrooms:plan", kwargs={"campaign_id": world.campaign.pk}))
    grid = page.get_by_test_id("plan-grid").inner_text()
    assert "Numérik Éducation" in grid and world.school_a.name in grid

    # On site, the technician opens the visit on a phone and marks the delivery done.
    phone = phone_page
    log_in(phone, live_server, technician.email)
    phone.goto(live_server.url + reverse("loans:my_visits"))
    phone.get_by_test_id(f"agenda-visit-{visit.pk}").click()
    phone.wait_for_load_state()
    completion = phone.get_by_test_id("visit-complete-form")
    completion.locator("input[name=training_given]").check()
    completion.locator("input[name=user_guide_handed_over]").check()
    completion.locator("input[name=early_reason]").fill("L'école était libre plus tôt.")
    completion.get_by_role("button", name="Marquer comme effectuée").click()
    phone.wait_for_load_state()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    application.refresh_from_db()
    assert application.status == A.DELIVERED

    # A teacher of the class registers for a training session: open the page, one click.
    session = make_training(world, seats=3)
    log_in(page, live_server, world.teacher_a.email)
    page.goto(live_server.url + reverse("classrooms:my_trainings"))
    page.get_by_test_id("register").click()
    page.wait_for_load_state()
    registration = session.registrations.get()
    assert registration.teacher == world.teacher_a and registration.status == RegistrationStatus.REGISTERED
    assert page.get_by_role("button", name="Annuler mon inscription").is_visible()
    assert Application.objects.get(pk=application.pk).status == A.DELIVERED
