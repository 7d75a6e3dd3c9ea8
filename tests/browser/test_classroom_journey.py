"""The mobile classroom's whole journey in headless Chromium, in French: the adviser places an
accepted class with a kit on the plan and plans its delivery, the technician marks the delivery
done on a phone, a teacher registers for a training in two clicks, the school records its
presentation day, the kit is picked up and checked in, the evaluation is entered, and the
coordinator downloads the yearly report whose PDF text shows the class's figures."""

import io
import re

from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader
import pytest

from classrooms import services
from classrooms.models import Application, ApplicationStatus, RegistrationStatus
from loans import services as kit_services
from loans.models import Loan, Visit, VisitKind
from loans.services import CheckLine
from tests.browser.test_classrooms_browser import log_in
from tests.builders.classrooms import make_world
from tests.builders.deployment import at, make_accepted, make_mobile_kit, make_technician, make_training
from tests.builders.schools import make_staff

pytestmark = [pytest.mark.browser, pytest.mark.french, pytest.mark.django_db(transaction=True)]
A = ApplicationStatus


def adviser_places_the_class_and_plans_its_delivery(page, live_server, world, application, kit, technician):
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

    return visit


def technician_delivers_on_a_phone(phone, live_server, technician, visit, application):
    # On site, the technician opens the visit on a phone and marks the delivery done.
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


def a_teacher_registers_in_two_clicks(page, live_server, world, application):
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
    return registration


def school_records_the_presentation_day(page, live_server, world, application) -> None:
    log_in(page, live_server, world.director_a.email)
    page.goto(
        live_server.url + reverse("classrooms:detail", kwargs={"application_id": application.public_id})
    )
    page.get_by_test_id("followup-link").click()
    page.wait_for_url(re.compile(r"/classrooms/classes/[0-9a-f-]{36}/$"))
    page.locator("#id_plan-on").fill(application.accepted_trimester.end.isoformat())
    page.locator("#id_plan-place").fill("Salle polyvalente")
    page.get_by_label("Parents", exact=True).check()
    page.get_by_label("Presse", exact=True).check()
    page.get_by_role("button", name="Enregistrer et produire les invitations").click()
    page.wait_for_load_state()
    assert "Salle polyvalente" in page.get_by_test_id("presentation-plan").inner_text()
    assert page.get_by_test_id("letter-parents").is_visible()
    page.locator("#id_record-shown").fill("Le journal numérique de la classe et un podcast.")
    page.locator("#id_record-attendance").fill("Trente parents et l'adjoint au maire.")
    page.locator("#id_record-visitors").fill("31")
    page.get_by_role("button", name="Enregistrer la journée de présentation").click()
    page.wait_for_load_state()
    assert page.get_by_test_id("followup-state").inner_text() == "Journée de présentation tenue"


def the_evaluation_is_entered(page, live_server, world, application) -> None:
    url = live_server.url + reverse("classrooms:followup", kwargs={"application_id": application.public_id})
    page.goto(url)
    page.get_by_text("Chiffres du B2i", exact=True).click()
    page.locator("#id_b2i-assessed").fill("24")
    page.locator("#id_b2i-validated").fill("30")  # refused, and what was typed stays
    page.get_by_role("button", name="Enregistrer les chiffres du B2i").click()
    page.wait_for_load_state()
    assert page.locator("#id_b2i-validated").input_value() == "30"
    page.locator("#id_b2i-validated").fill("18")
    page.get_by_role("button", name="Enregistrer les chiffres du B2i").click()
    page.wait_for_load_state()
    page.get_by_text("Évaluation de l'enseignant", exact=True).last.click()
    page.locator("#id_teacher-text").fill("Des élèves très motivés ; l'écrit a progressé.")
    page.get_by_role("button", name="Enregistrer l'évaluation").click()
    page.wait_for_load_state()

    log_in(page, live_server, world.resource_teacher_a.email)
    page.get_by_test_id("nav-classroom-my-classes").click()
    page.get_by_role("link", name=re.compile(re.escape(application.class_name))).click()
    page.get_by_text("Suite donnée par la municipalité", exact=True).last.click()
    page.get_by_label("Oui", exact=True).check()
    page.locator("#id_municipality-amount").fill("6400")
    page.locator("#id_municipality-description").fill("Douze tablettes pour l'école")
    page.get_by_role("button", name="Enregistrer la suite donnée").click()
    page.wait_for_load_state()
    assert page.get_by_test_id("followup-state").inner_text() == "Terminée et évaluée"


def the_kit_is_picked_up_and_checked_in(world, application, technician):
    """The pickup after the trimester (planned and checked in through the logistics' services)."""
    loan = Loan.objects.get(holder_id=application.pk, status="lent")
    services.deployment_visit_plan(
        application=application,
        kind=VisitKind.RETRIEVAL,
        starts_at=at(4),
        technician=technician,
        by=world.adviser,
    )
    lines = [CheckLine(item_id=item.pk, present=True, works=True) for item in loan.kit.items.all()]
    kit_services.loan_check_in(loan=loan, by=technician, lines=lines, returned_on=loan.end)


def the_coordinator_downloads_the_yearly_report(page, live_server) -> str:
    coordinator = make_staff("coordinator", email="coordination@example.org")
    log_in(page, live_server, coordinator.email)
    page.get_by_test_id("nav-group-admin").click()
    page.get_by_test_id("nav-classroom-report").click()
    page.wait_for_url(re.compile(r"/staff/classrooms/report/\d{4}-\d{4}/$"))
    reach = page.get_by_test_id("reach-table").inner_text()
    assert "Classes évaluées" in reach
    assert page.get_by_test_id("chart-reach").locator("svg").is_visible()
    page.get_by_test_id("report-pdf").click()
    page.wait_for_url(re.compile(r"/staff/classrooms/report/jobs/[0-9a-f-]{36}/$"))
    link = page.get_by_test_id("report-job-file")
    link.wait_for(timeout=30_000)
    with page.expect_download() as download:
        link.click()
    with open(download.value.path(), "rb") as pdf:
        pages = PdfReader(io.BytesIO(pdf.read())).pages
    return " ".join(" ".join(p.extract_text().split()) for p in pages)


def test_a_class_from_the_plan_to_the_yearly_report(page, phone_page, live_server):
    world = make_world()
    (application,) = make_accepted(world)
    kit = make_mobile_kit(owner="Numérik Éducation", code="MC-PLAN-1")
    technician = make_technician(email="technicien@example.org")
    visit = adviser_places_the_class_and_plans_its_delivery(
        page, live_server, world, application, kit, technician
    )
    technician_delivers_on_a_phone(phone_page, live_server, technician, visit, application)
    registration = a_teacher_registers_in_two_clicks(page, live_server, world, application)
    services.training_record_attendance(
        session=registration.session, by=world.member, present_ids={registration.pk}
    )

    # The trimester starts (the daily task); the adviser names the class's resource teacher.
    assert services.deployments_start_due(today=application.accepted_trimester.start) == 1
    services.followup_assign_teacher(
        application=application, by=world.adviser, teacher=world.resource_teacher_a
    )
    application.refresh_from_db()
    school_records_the_presentation_day(page, live_server, world, application)
    the_kit_is_picked_up_and_checked_in(world, application, technician)
    assert Application.objects.get(pk=application.pk).status == A.RETURNED
    the_evaluation_is_entered(page, live_server, world, application)
    assert Application.objects.get(pk=application.pk).status == A.EVALUATED

    text = the_coordinator_downloads_the_yearly_report(page, live_server)
    assert "Bilan annuel des classes mobiles" in text
    assert "Classes touchées 0 1 0 1" in text
    assert "Élèves touchés 0 24 0 24" in text
    assert "Sessions de formation tenues 0 1 0 1" in text
    assert "Enseignants présents à une formation 0 1 0 1" in text
    assert "Taux de validation du B2i des élèves bénéficiaires 75,0 %" in text
    assert "Municipalités ayant engagé un plan d'équipement 1" in text
    assert "Douze tablettes pour l'école" in text
