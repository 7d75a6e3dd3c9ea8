"""The mobile classroom programme in headless Chromium, in French: from a class's application to
the decision, and the application form on a phone."""

import re

from django.urls import reverse
import pytest

from classrooms.models import Application, ApplicationStatus, CommissionSession
from tests.browser.tour import fits, open_nav, walk_main_pages
from tests.browser.tour import log_in as tour_log_in
from tests.builders.classrooms import make_world
from tests.builders.schools import PASSWORD, pass_second_factor

pytestmark = [pytest.mark.browser, pytest.mark.french, pytest.mark.django_db(transaction=True)]
A = ApplicationStatus


def log_in(page, live_server, email):
    page.context.clear_cookies()
    page.goto(live_server.url + reverse("login"))
    page.get_by_label(re.compile("e-mail", re.IGNORECASE)).fill(email)
    page.get_by_label(re.compile("mot de passe", re.IGNORECASE)).fill(PASSWORD)
    page.get_by_role("button", name=re.compile("connexion", re.IGNORECASE)).last.click()
    pass_second_factor(page, email)


def fill_application(page, trimester_label: str):
    page.locator("#id_class_name").fill("CM1 B")
    page.locator("#id_level").select_option("cm1")
    page.locator("#id_pupil_count").fill("24")
    page.locator("input[name=teachers]").first.check()
    page.locator("#id_objectives").fill("Écrire et publier un journal de classe numérique.")
    page.locator("#id_activities").fill("Reportages photo, mise en page, podcast de la classe.")
    page.locator("#id_b2i_link").fill("Domaines 1 à 4 du B2i école.")
    page.locator("#id_municipality_information").fill("Courrier au maire, invitation à la présentation.")
    page.locator("#id_equipment").fill("Deux ordinateurs anciens.")
    page.locator("#id_municipality_contact").fill("M. Dupont, adjoint à l'éducation")
    page.get_by_label(trimester_label).check()


def school_applies(page, live_server, world, trimester) -> Application:
    """The teacher writes the draft from the school's page; the director sends it."""
    log_in(page, live_server, world.teacher_a.email)
    page.get_by_test_id("mobile-classroom-link").click()
    page.get_by_test_id("new-application").click()
    fill_application(page, str(trimester))
    page.get_by_role("button", name="Enregistrer le brouillon").click()
    page.wait_for_url(re.compile(r"/classrooms/applications/[0-9a-f-]{36}/edit/$"))
    assert Application.objects.get().status == A.DRAFT

    log_in(page, live_server, world.director_a.email)
    page.goto(live_server.url + reverse("classrooms:list"))
    page.get_by_role("link", name=re.compile("CM1 B")).click()
    page.get_by_role("link", name="Continuer la candidature").click()
    page.get_by_role("button", name="Envoyer la candidature").click()
    page.wait_for_url(re.compile(r"/classrooms/applications/[0-9a-f-]{36}/$"))
    assert (
        page.get_by_test_id("application-state").inner_text() == "Envoyée à l'inspecteur de circonscription"
    )
    return Application.objects.get()


def inspector_gives_a_favourable_opinion(page, live_server, world, application) -> None:
    log_in(page, live_server, world.inspector_a.email)
    page.goto(live_server.url + reverse("classrooms:home"))
    # The inspector's home: one click opens the oldest application waiting for an opinion.
    line = page.get_by_test_id("work-line-classroom-opinions")
    assert application.number in line.get_by_test_id("work-first").inner_text()
    line.get_by_test_id("work-first").click()
    page.get_by_label("Favorable", exact=True).check()
    page.get_by_label("Commentaire", exact=True).fill("Projet solide, équipe motivée.")
    page.get_by_role("button", name="Donner l'avis").click()
    assert page.get_by_test_id("opinion").inner_text().startswith("Favorable")


def commission_proposes(page, live_server, world, application, trimester) -> None:
    """The adviser plans a session, puts the application on its agenda, ranks it and proposes the trimester."""
    log_in(page, live_server, world.adviser.email)
    open_nav(page, "nav-classroom-sessions").click()
    page.get_by_role("link", name="Planifier une séance").click()
    page.get_by_label("Campagne").select_option(str(world.campaign.pk))
    page.get_by_label("Date").fill("2026-12-10")
    page.get_by_label("Lieu").fill("DSDEN, Arras")
    page.get_by_label("Présidence").select_option(str(world.chair.pk))
    page.get_by_role("button", name="Planifier la séance").click()
    page.get_by_label(re.compile(application.number)).check()
    page.get_by_role("button", name="Inscrire à l'ordre du jour").click()
    proposal = page.get_by_test_id("proposal")
    proposal.get_by_label("Rang").fill("1")
    proposal.get_by_label("Proposition").select_option("accept")
    proposal.get_by_label("Trimestre").select_option(label=str(trimester))
    proposal.get_by_label("Type de kit").select_option(index=1)
    proposal.get_by_role("button", name=re.compile("Enregistrer")).click()
    assert "1 kits sur 2" in page.get_by_test_id("calendar-grid").inner_text()
    page.get_by_test_id("send-proposals").click()
    assert CommissionSession.objects.get().minutes


def test_a_class_applies_and_the_decision_reaches_the_director(page, live_server):
    world = make_world()
    second = world.campaign.trimesters.order_by("start")[1]
    application = school_applies(page, live_server, world, second)
    inspector_gives_a_favourable_opinion(page, live_server, world, application)
    commission_proposes(page, live_server, world, application, second)

    # The decision maker accepts.
    log_in(page, live_server, world.decision_maker.email)
    page.goto(live_server.url + reverse("classrooms:home"))
    page.get_by_test_id("work-line-classroom-decisions").get_by_test_id("work-first").click()
    page.get_by_label("Accepter la proposition").check()
    page.get_by_role("button", name=re.compile("Enregistrer la décision")).click()
    application.refresh_from_db()
    assert application.status == A.ACCEPTED

    # The director sees the decision.
    log_in(page, live_server, world.director_a.email)
    page.goto(
        live_server.url + reverse("classrooms:detail", kwargs={"application_id": application.public_id})
    )
    assert page.get_by_test_id("application-state").inner_text() == "Acceptée"
    assert "Trimestre 2" in page.get_by_test_id("decision").inner_text()


def test_the_application_form_on_a_phone(phone_page, live_server):
    world = make_world()
    second = world.campaign.trimesters.order_by("start")[1]
    page = phone_page
    log_in(page, live_server, world.teacher_a.email)
    page.goto(live_server.url + reverse("classrooms:list"))
    page.get_by_test_id("new-application").click()
    fill_application(page, str(second))
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    page.get_by_role("button", name="Enregistrer le brouillon").click()
    page.wait_for_url(re.compile(r"/edit/$"))
    assert Application.objects.get().objectives.startswith("Écrire")


PROGRAMME_ROLES = ["ien.arras", "cpd.tuic", "ien.tuic", "dasen"]


@pytest.mark.parametrize("local", PROGRAMME_ROLES)
def test_programme_pages_meet_wcag_21_aa_on_desktop_and_phone(local, demo, page, phone_page, live_server):
    email = f"{local}@demo.classcontact.fr"
    walk_main_pages(page, live_server, email)
    walk_main_pages(phone_page, live_server, email)
    # axe runs on each page through the fixtures; any violation fails this test.


def test_the_schools_pages_of_the_programme_meet_wcag_21_aa(demo, page, phone_page, live_server):
    for tab in (page, phone_page):
        tour_log_in(tab, live_server, "direction.moulin@demo.classcontact.fr")
        tab.get_by_test_id("mobile-classroom-link").first.click()
        tab.wait_for_url(re.compile(r"/classrooms/"))
        tab.wait_for_load_state()
        fits(tab)
        links = tab.eval_on_selector_all(
            "main table tbody a", "links => links.map((a) => a.getAttribute('href'))"
        )
        assert len(links) >= 2  # a draft and an accepted application
        for link in links:
            tab.goto(live_server.url + link)
            fits(tab)
