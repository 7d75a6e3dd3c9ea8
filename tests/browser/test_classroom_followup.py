"""After the delivery, in French in headless Chromium: the school records its presentation day,
the evaluation is entered by the school and the resource teacher, and the coordinator downloads
the yearly report whose PDF shows the class's figures."""

import io
import re

from django.urls import reverse
from pypdf import PdfReader
import pytest

from classrooms.models import Application, ApplicationStatus
from tests.browser.test_classrooms_browser import log_in
from tests.builders.classrooms import make_class_in, make_world, walk_deployment_to
from tests.builders.schools import make_staff

pytestmark = [pytest.mark.browser, pytest.mark.french, pytest.mark.django_db(transaction=True)]
A = ApplicationStatus


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
    page.get_by_role("link", name=re.compile("CM1 B")).click()
    page.get_by_text("Suite donnée par la municipalité", exact=True).last.click()
    page.get_by_label("Oui", exact=True).check()
    page.locator("#id_municipality-amount").fill("6400")
    page.locator("#id_municipality-description").fill("Douze tablettes pour l'école")
    page.get_by_role("button", name="Enregistrer la suite donnée").click()
    page.wait_for_load_state()
    assert page.get_by_test_id("followup-state").inner_text() == "Terminée et évaluée"


def test_presentation_evaluation_and_yearly_report(page, live_server):
    world = make_world()
    application = make_class_in(world, A.IN_PROGRESS, b2i_rate=40)
    school_records_the_presentation_day(page, live_server, world, application)
    walk_deployment_to(application, A.RETURNED)
    the_evaluation_is_entered(page, live_server, world, application)
    assert Application.objects.get(pk=application.pk).status == A.EVALUATED

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
    text = " ".join(
        " ".join(p.extract_text().split())
        for p in PdfReader(io.BytesIO(open(download.value.path(), "rb").read())).pages
    )
    assert "Bilan annuel des classes mobiles" in text
    assert "Classes touchées 0 1 0 1" in text
    assert "Élèves touchés 0 24 0 24" in text
    assert "Taux de validation du B2i des élèves bénéficiaires 75,0 %" in text
    assert "Municipalités ayant engagé un plan d'équipement 1" in text
    assert "Douze tablettes pour l'école" in text
