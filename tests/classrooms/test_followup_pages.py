"""The follow-up's pages: its school, its district's inspector, the programme's staff and its
resource teacher see them; anyone else gets a 404. Forms keep what was typed."""

import datetime

from django.urls import reverse
import pytest

from classrooms import services
from classrooms.models import ApplicationStatus, ClassFollowUp, FollowUpNote, ReportJob
from schools.models import ProgrammeRole
from tests.builders.classrooms import make_class_in, make_programme_user
from tests.builders.files import pdf_upload
from tests.builders.schools import make_staff

A = ApplicationStatus
pytestmark = pytest.mark.django_db
DAY = datetime.date(2027, 4, 2)


@pytest.fixture
def objects(world, django_capture_on_commit_callbacks):
    """A class of school A in its loan, its presentation planned (letters made), a production."""
    application = make_class_in(world, A.IN_PROGRESS)
    with django_capture_on_commit_callbacks(execute=True):
        services.presentation_plan(
            application=application, by=world.director_a, on=DAY, place="Préau", invitees=["parents"]
        )
    production = services.production_add(
        application=application, by=world.teacher_a, title="Journal", upload=pdf_upload(), consent=True
    )
    return {"application": application, "production": production}


def followup_urls(objects) -> list[tuple[str, str]]:
    kwargs = {"application_id": objects["application"].public_id}
    names = [
        ("GET", "followup"),
        ("POST", "followup_assign"),
        ("POST", "followup_note"),
        ("POST", "presentation_plan"),
        ("POST", "presentation_record"),
        ("POST", "production_add"),
        ("POST", "evaluation_b2i"),
        ("POST", "evaluation_b2i_check"),
        ("POST", "evaluation_teacher"),
        ("POST", "municipality"),
    ]
    urls = [(method, reverse(f"classrooms:{name}", kwargs=kwargs)) for method, name in names]
    urls += [
        ("GET", reverse("classrooms:letter", kwargs={**kwargs, "audience": a}))
        for a in ("municipality", "parents")
    ]
    urls.append(("GET", reverse("classrooms:production", kwargs={"production_id": objects["production"].pk})))
    return urls


def answers(client, urls) -> dict[str, int]:
    return {f"{method} {url}": getattr(client, method.lower())(url).status_code for method, url in urls}


OUTSIDERS = ["inspector_b", "director_b", "teacher_b", "anonymous", "coordinator", "other_resource_teacher"]


def login(client, world, who: str):
    if who == "coordinator":
        client.force_login(make_staff("coordinator", email="coordinateur@example.org"))
    elif who == "other_resource_teacher":
        # Of the same district, but not assigned to this class.
        other = make_programme_user(ProgrammeRole.RESOURCE_TEACHER, email="ertuic.autre@example.org")
        world.district_a.resource_teachers.add(other)
        client.force_login(other)
    elif who != "anonymous":
        client.force_login(getattr(world, who))


@pytest.mark.parametrize("outsider", OUTSIDERS)
def test_outsiders_get_404_on_every_followup_url(client, world, objects, outsider):
    login(client, world, outsider)
    found = answers(client, followup_urls(objects))
    assert {url: status for url, status in found.items() if status != 404} == {}


@pytest.mark.parametrize(
    "insider", ["director_a", "teacher_a", "inspector_a", "adviser", "resource_teacher_a", "decision_maker"]
)
def test_insiders_see_the_followup_page_and_its_files(client, world, objects, insider):
    client.force_login(getattr(world, insider))
    urls = [(m, u) for m, u in followup_urls(objects) if m == "GET"]
    assert set(answers(client, urls).values()) == {200}


def test_the_school_never_uses_the_resource_teachers_forms_nor_the_reverse(client, world, objects):
    kwargs = {"application_id": objects["application"].public_id}
    client.force_login(world.director_a)
    for name in ("followup_note", "municipality", "evaluation_b2i_check", "followup_assign"):
        assert client.post(reverse(f"classrooms:{name}", kwargs=kwargs)).status_code == 404
    for person in (world.resource_teacher_a, world.inspector_a):
        client.force_login(person)
        for name in (
            "presentation_plan",
            "presentation_record",
            "production_add",
            "evaluation_b2i",
            "evaluation_teacher",
        ):
            assert client.post(reverse(f"classrooms:{name}", kwargs=kwargs)).status_code == 404


def test_the_school_records_the_presentation_day(client, world, objects):
    application = objects["application"]
    client.force_login(world.director_a)
    url = reverse("classrooms:presentation_record", kwargs={"application_id": application.public_id})
    response = client.post(
        url, {"record-shown": "Un journal filmé.", "record-attendance": "Parents", "record-visitors": "31"}
    )
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.status == A.PRESENTED
    assert ClassFollowUp.objects.get(application=application).presentation_visitors == 31


def test_a_refused_form_keeps_what_was_typed(client, world, objects):
    application = objects["application"]
    client.force_login(world.director_a)
    url = reverse("classrooms:evaluation_b2i", kwargs={"application_id": application.public_id})
    response = client.post(url, {"b2i-assessed": "12", "b2i-validated": "15"})
    assert response.status_code == 400
    page = response.content.decode()
    assert 'value="15"' in page and "more pupils validated" in page
    assert ClassFollowUp.objects.get(application=application).pupils_assessed is None


def test_the_resource_teacher_writes_notes_and_the_municipality_outcome(client, world, objects):
    application = objects["application"]
    kwargs = {"application_id": application.public_id}
    client.force_login(world.resource_teacher_a)
    response = client.post(
        reverse("classrooms:followup_note", kwargs=kwargs),
        {"note-kind": "visit", "note-on": "2027-02-01", "note-text": "Atelier podcast."},
    )
    assert response.status_code == 302
    assert FollowUpNote.objects.get().kind == "visit"
    response = client.post(
        reverse("classrooms:municipality", kwargs=kwargs),
        {
            "municipality-plan_started": "yes",
            "municipality-amount": "5000",
            "municipality-description": "Tablettes",
        },
    )
    assert response.status_code == 302
    assert ClassFollowUp.objects.get(application=application).equipment_plan is True
    # The school does not read the resource teacher's notes.
    client.force_login(world.director_a)
    assert (
        "Atelier podcast." not in client.get(reverse("classrooms:followup", kwargs=kwargs)).content.decode()
    )


def test_my_classes_lists_only_the_resource_teachers_classes(client, world, objects):
    other = make_programme_user(ProgrammeRole.RESOURCE_TEACHER, email="ertuic.lens@example.org")
    make_class_in(world, A.DELIVERED, school=world.school_b, teacher=other, class_name="CE2 Lens")
    client.force_login(world.resource_teacher_a)
    page = client.get(reverse("classrooms:my_classes")).content.decode()
    assert "CM1 B" in page and "CE2 Lens" not in page
    client.force_login(world.director_a)
    assert client.get(reverse("classrooms:my_classes")).status_code == 404


def test_the_followup_page_does_not_grow_with_notes_and_productions(
    client, world, objects, django_assert_max_num_queries
):
    application = objects["application"]
    url = reverse("classrooms:followup", kwargs={"application_id": application.public_id})
    client.force_login(world.resource_teacher_a)
    client.get(url)
    with django_assert_max_num_queries(20) as few:
        assert client.get(url).status_code == 200
    for n in range(8):
        services.followup_add_note(
            application=application, by=world.resource_teacher_a, kind="note", on=DAY, text=f"Note {n}"
        )
        services.production_add(
            application=application, by=world.teacher_a, title=f"Lien {n}", link=f"https://example.org/{n}"
        )
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(url).status_code == 200


# The yearly report --------------------------------------------------------------------


def report_urls(world, job) -> list[tuple[str, str]]:
    year = world.campaign.school_year.label
    return [
        ("GET", reverse("classroom_report:home")),
        ("GET", reverse("classroom_report:year", kwargs={"school_year": year})),
        ("GET", reverse("classroom_report:download", kwargs={"school_year": year, "fmt": "xlsx"})),
        ("GET", reverse("classroom_report:download", kwargs={"school_year": year, "fmt": "csv"})),
        ("POST", reverse("classroom_report:pdf", kwargs={"school_year": year})),
        ("GET", reverse("classroom_report:job", kwargs={"job_id": job.public_id})),
        ("GET", reverse("classroom_report:job_status", kwargs={"job_id": job.public_id})),
        ("GET", reverse("classroom_report:job_file", kwargs={"job_id": job.public_id})),
    ]


@pytest.mark.parametrize(
    "outsider", ["director_a", "teacher_a", "inspector_a", "resource_teacher_a", "anonymous"]
)
def test_the_report_is_the_programme_staffs_only(client, world, objects, outsider):
    job = ReportJob.objects.create(school_year=world.campaign.school_year.label, created_by=world.adviser)
    login(client, world, outsider)
    found = answers(client, report_urls(world, job))
    assert {url: status for url, status in found.items() if status != 404} == {}


def test_the_coordinator_makes_the_pdf_and_only_they_download_it(
    client, world, objects, django_capture_on_commit_callbacks
):
    coordinator = make_staff("coordinator", email="coordinateur@example.org")
    client.force_login(coordinator)
    year = world.campaign.school_year.label
    assert client.get(reverse("classroom_report:home")).status_code == 302
    assert client.get(reverse("classroom_report:year", kwargs={"school_year": year})).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("classroom_report:pdf", kwargs={"school_year": year}))
    job = ReportJob.objects.get()
    assert response.url == reverse("classroom_report:job", kwargs={"job_id": job.public_id})
    assert (
        client.get(reverse("classroom_report:job_status", kwargs={"job_id": job.public_id})).json()["status"]
        == "done"
    )
    file = client.get(reverse("classroom_report:job_file", kwargs={"job_id": job.public_id}))
    assert file.status_code == 200 and b"".join(file.streaming_content).startswith(b"%PDF")
    client.force_login(world.adviser)  # may read the report, but this file is the coordinator's
    assert (
        client.get(reverse("classroom_report:job_file", kwargs={"job_id": job.public_id})).status_code == 404
    )
    assert (
        client.get(reverse("classroom_report:year", kwargs={"school_year": "1999-2000"})).status_code == 404
    )
