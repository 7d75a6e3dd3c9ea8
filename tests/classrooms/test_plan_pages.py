"""The plan's pages and the training pages: their owners use them, outsiders get a 404."""

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
import pytest

from classrooms import services
from classrooms.models import ApplicationStatus, RegistrationStatus
from loans.models import Loan, VisitKind
from tests.builders.classrooms import make_programme_user
from tests.builders.deployment import at, make_accepted, make_mobile_kit, make_technician, make_training
from tests.builders.loans import make_kit
from tests.builders.schools import make_staff, make_teacher

A = ApplicationStatus
pytestmark = pytest.mark.django_db
MAX_QUERIES = 15


@pytest.fixture
def placed(world):
    first, second = make_accepted(world, 2)
    kit = make_mobile_kit(owner="Société Numérik")
    services.placement_create(application=first, kit=kit, by=world.adviser)
    return first, second, kit


def _count(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def test_the_plan_shows_kits_owners_and_classes(client, world, placed):
    first, second, kit = placed
    client.force_login(world.adviser)
    response = client.get(reverse("classrooms:plan", kwargs={"campaign_id": world.campaign.pk}))
    html = response.content.decode()
    assert kit.code in html and "Société Numérik" in html and "École Jean Moulin" in html
    assert second.number in html  # waits for a kit


def test_the_plan_cells_escape_their_texts_and_link_classes_for_planners_only(client, world, placed):
    first, _second, _kit = placed
    world.school_a.name = "École <b>Jean</b> & Moulin"
    world.school_a.save()
    url = reverse("classrooms:plan", kwargs={"campaign_id": world.campaign.pk})
    link = f'href="{reverse("classrooms:plan_index")}class/{first.public_id}/"'

    client.force_login(world.adviser)
    planner = client.get(url).content.decode()
    client.force_login(world.member)
    reader = client.get(url).content.decode()

    for page in (planner, reader):
        assert "École &lt;b&gt;Jean&lt;/b&gt; &amp; Moulin" in page and "<b>Jean</b>" not in page
    assert link in planner and link not in reader
    assert (
        reader.count('<span class="text-muted">free</span>')
        == planner.count('<span class="text-muted">free</span>')
        > 0
    )


def test_placing_from_the_page_offers_only_free_mobile_kits(client, world, placed):
    first, second, kit = placed
    connection_kit = make_kit()
    free = make_mobile_kit()
    client.force_login(world.adviser)
    url = reverse("classrooms:placement", kwargs={"application_id": second.public_id})
    html = client.get(url).content.decode()
    assert free.code in html and kit.code not in html and connection_kit.code not in html
    response = client.post(url, {"kit": connection_kit.pk})
    assert response.status_code == 400
    response = client.post(url, {"kit": free.pk})
    assert response.status_code == 302
    assert Loan.objects.get(kit=free).holder_is(second)


def test_moving_and_planning_visits_from_the_page(client, world, placed):
    first, _second, _kit = placed
    client.force_login(world.adviser)
    other = make_mobile_kit()
    third = world.campaign.trimesters.order_by("start")[2]
    url = reverse("classrooms:placement_move", kwargs={"application_id": first.public_id})
    response = client.post(url, {"kit": other.pk, "trimester": third.pk, "reason": ""})
    assert response.status_code == 400
    client.post(url, {"kit": other.pk, "trimester": third.pk, "reason": "Échange avec une autre école."})
    assert Loan.objects.get(kit=other).trimester == third
    technician = make_technician()
    starts = at(5)
    client.post(
        reverse("classrooms:placement_visit", kwargs={"application_id": first.public_id}),
        {
            "kind": VisitKind.INSTALLATION,
            "day": starts.date().isoformat(),
            "time": "09:00",
            "duration_minutes": 120,
            "technician": technician.pk,
        },
    )
    assert Loan.objects.get(kit=other).visits.get().technician == technician
    # The technician finds it on their own page.
    client.force_login(technician)
    assert first.number in client.get(reverse("loans:my_visits")).content.decode()


def test_the_application_pages_show_the_placement_to_the_school_and_the_inspector(client, world, placed):
    first, _second, kit = placed
    for person, name in (
        (world.director_a, "classrooms:detail"),
        (world.inspector_a, "classrooms:review"),
        (world.resource_teacher_a, "classrooms:review"),
    ):
        client.force_login(person)
        html = client.get(reverse(name, kwargs={"application_id": first.public_id})).content.decode()
        assert kit.code in html and "Société Numérik" in html


def test_the_loan_page_names_school_class_teacher_and_trimester(client, world, placed):
    first, _second, kit = placed
    client.force_login(make_technician())
    loan = Loan.objects.get(kit=kit)
    html = client.get(reverse("loans:loan_detail", kwargs={"loan_id": loan.pk})).content.decode()
    for part in ("École Jean Moulin", "CM1 A", "Mme Leroy", "Trimester 2"):
        assert part in html


def test_outsiders_get_404(client, world, placed):
    first, _second, _kit = placed
    session = make_training(world)
    registration = services.training_register(session=session, application=first, teacher=world.teacher_a)
    urls = [
        ("GET", reverse("classrooms:plan", kwargs={"campaign_id": world.campaign.pk})),
        ("GET", reverse("classrooms:placement", kwargs={"application_id": first.public_id})),
        ("POST", reverse("classrooms:placement_move", kwargs={"application_id": first.public_id})),
        ("POST", reverse("classrooms:placement_visit", kwargs={"application_id": first.public_id})),
        ("GET", reverse("classrooms:training_sessions", kwargs={"campaign_id": world.campaign.pk})),
        ("GET", reverse("classrooms:training_attendance", kwargs={"session_id": session.pk})),
        ("POST", reverse("classrooms:training_cancel", kwargs={"registration_id": registration.pk})),
        ("POST", reverse("classrooms:training_register", kwargs={"session_id": session.pk})),
    ]
    outsiders = [None, world.director_b, world.teacher_b, world.inspector_b]
    for person in outsiders:
        client.logout()
        if person is not None:
            client.force_login(person)
        for method, url in urls:
            response = (
                client.get(url)
                if method == "GET"
                else client.post(url, {"application": str(first.public_id)})
            )
            assert response.status_code == 404, (person, url)
    # Another district's inspector does not see the class's application either.
    client.force_login(world.inspector_b)
    assert (
        client.get(reverse("classrooms:review", kwargs={"application_id": first.public_id})).status_code
        == 404
    )
    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.REGISTERED


def test_a_teacher_registers_in_two_clicks_then_cancels(client, world, placed):
    first, _second, _kit = placed
    session = make_training(world, seats=1)
    client.force_login(world.teacher_a)
    html = client.get(reverse("classrooms:my_trainings")).content.decode()
    assert session.title in html and 'data-testid="register"' in html
    client.post(
        reverse("classrooms:training_register", kwargs={"session_id": session.pk}),
        {"application": first.public_id},
    )
    registration = session.registrations.get()
    assert registration.teacher == world.teacher_a and registration.status == RegistrationStatus.REGISTERED
    other = make_teacher(world.school_a)
    client.force_login(other)
    html = client.get(reverse("classrooms:my_trainings")).content.decode()
    assert 'data-testid="waiting-list"' in html
    client.force_login(world.teacher_a)
    client.post(reverse("classrooms:training_cancel", kwargs={"registration_id": registration.pk}))
    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.CANCELLED


def test_the_trainer_records_attendance_on_the_page(client, world, placed):
    first, _second, _kit = placed
    session = make_training(world)
    registration = services.training_register(session=session, application=first, teacher=world.teacher_a)
    client.force_login(world.member)
    url = reverse("classrooms:training_attendance", kwargs={"session_id": session.pk})
    assert world.teacher_a.email in client.get(url).content.decode() or client.get(url).status_code == 200
    client.post(url, {"present": [registration.pk]})
    registration.refresh_from_db()
    assert registration.attended is True
    # Another programme person who is not the trainer gets a 404.
    client.force_login(make_programme_user("mc_commission_member"))
    assert client.get(url).status_code == 404


def test_the_planners_create_a_session(client, world):
    client.force_login(world.adviser)
    url = reverse("classrooms:training_sessions", kwargs={"campaign_id": world.campaign.pk})
    starts = at(12)
    data = {
        "title": "RDV Canopé",
        "trimester": world.campaign.trimesters.order_by("start")[1].pk,
        "day": starts.date().isoformat(),
        "time": "14:00",
        "duration_minutes": 180,
        "place": "Canopé Arras",
        "trainer": world.member.pk,
        "seats": 10,
    }
    assert client.post(url, {**data, "seats": 0}).status_code == 400
    assert client.post(url, data).status_code == 302
    assert world.campaign.training_sessions.get().seats == 10


def test_pages_ask_a_fixed_number_of_queries(client, world, placed):
    first, second, _kit = placed
    client.force_login(world.adviser)
    plan_url = reverse("classrooms:plan", kwargs={"campaign_id": world.campaign.pk})
    client.get(plan_url)
    few = _count(client, plan_url)
    services.placement_create(application=second, kit=make_mobile_kit(), by=world.adviser)
    for _ in range(3):
        make_mobile_kit()
    assert _count(client, plan_url) == few <= MAX_QUERIES
    session = make_training(world)
    services.training_register(session=session, application=first, teacher=world.teacher_a)
    client.force_login(world.teacher_a)
    trainings_url = reverse("classrooms:my_trainings")
    client.get(trainings_url)
    few = _count(client, trainings_url)
    make_training(world)
    make_training(world)
    assert _count(client, trainings_url) == few <= MAX_QUERIES


def test_the_schools_teacher_finds_the_trainings_and_the_staff_the_plans(client, world, placed):
    first, _second, _kit = placed
    client.force_login(world.teacher_a)
    html = client.get(
        reverse("classrooms:detail", kwargs={"application_id": first.public_id})
    ).content.decode()
    assert reverse("classrooms:my_trainings") in html
    client.force_login(world.member)
    html = client.get(reverse("classrooms:sessions")).content.decode()
    assert reverse("classrooms:plan_index") in html
    html = client.get(reverse("classrooms:plan_index")).content.decode()
    assert reverse("classrooms:plan", kwargs={"campaign_id": world.campaign.pk}) in html


def test_the_training_sessions_admin_reads_the_registrations(client, world, placed):
    first, _second, _kit = placed
    session = make_training(world)
    services.training_register(session=session, application=first, teacher=world.teacher_a)
    client.force_login(make_staff(is_superuser=True))
    assert client.get(reverse("admin:classrooms_trainingsession_add")).status_code == 403
    response = client.get(reverse("admin:classrooms_trainingsession_change", args=[session.pk]))
    assert response.status_code == 200
    assert str(world.teacher_a) in response.content.decode()
