"""After the delivery: the resource teacher, the presentation day, the productions and the
evaluation, each written by one service checked against the transition table."""

import datetime
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from pypdf import PdfReader
import pytest

from classcontact.workflow import InvalidTransition
from classrooms import services
from classrooms.models import ApplicationStatus, ClassFollowUp, EventKind, FollowUpNote
from schools.models import ProgrammeRole
from tests.builders.classrooms import make_class_in, make_programme_user, walk_deployment_to
from tests.builders.files import pdf_upload

A = ApplicationStatus
pytestmark = pytest.mark.django_db
DAY = datetime.date(2027, 4, 2)


def kinds(application) -> list[str]:
    return list(application.events.order_by("at", "pk").values_list("kind", flat=True))


def plan(world, application):
    return services.presentation_plan(
        application=application,
        by=world.director_a,
        on=DAY,
        place="Salle polyvalente",
        invitees=["parents", "press"],
    )


def test_the_adviser_assigns_a_resource_teacher_and_nobody_else_may(world):
    application = make_class_in(world, A.ACCEPTED)
    assert application.followup.resource_teacher == world.resource_teacher_a
    assert EventKind.TEACHER_ASSIGNED in kinds(application)
    other = make_programme_user(ProgrammeRole.RESOURCE_TEACHER, email="ertuic.lens@example.org")
    with pytest.raises(services.ClassroomError):
        services.followup_assign_teacher(application=application, by=world.inspector_a, teacher=other)
    with pytest.raises(services.ClassroomError):  # not a resource teacher
        services.followup_assign_teacher(application=application, by=world.adviser, teacher=world.director_a)
    services.followup_assign_teacher(application=application, by=world.adviser, teacher=other)
    assert ClassFollowUp.objects.get(application=application).resource_teacher == other


def test_only_the_assigned_resource_teacher_writes_notes(world):
    application = make_class_in(world, A.IN_PROGRESS)
    services.followup_add_note(
        application=application, by=world.resource_teacher_a, kind="visit", on=DAY, text="Atelier podcast."
    )
    assert FollowUpNote.objects.get().author == world.resource_teacher_a
    stranger = make_programme_user(ProgrammeRole.RESOURCE_TEACHER, email="autre@example.org")
    with pytest.raises(services.ClassroomError):
        services.followup_add_note(application=application, by=stranger, kind="note", on=DAY, text="x")


@pytest.mark.french
def test_planning_the_presentation_makes_the_two_invitation_letters(
    world, django_capture_on_commit_callbacks
):
    application = make_class_in(world, A.IN_PROGRESS)
    with django_capture_on_commit_callbacks(execute=True):
        plan(world, application)
    followup = ClassFollowUp.objects.get(application=application)
    assert followup.invitees == ["parents", "press"]
    assert followup.letters_made_at is not None
    municipality = "".join(p.extract_text() for p in PdfReader(followup.letter_municipality.open("rb")).pages)
    parents = "".join(p.extract_text() for p in PdfReader(followup.letter_parents.open("rb")).pages)
    assert "Arras" in municipality and "2 avril 2027" in municipality
    assert "parents" in parents.lower() and "Salle polyvalente" in parents


def test_the_presentation_record_moves_a_running_class_to_presented(world):
    application = make_class_in(world, A.IN_PROGRESS)
    with pytest.raises(services.ClassroomError) as refused:
        services.presentation_record(
            application=application, by=world.director_a, shown="x", attendance="", visitors=None
        )
    assert refused.value.message == services.ERROR_PRESENTATION_NOT_PLANNED
    plan(world, application)
    services.presentation_record(
        application=application,
        by=world.director_a,
        shown="Journal filmé.",
        attendance="30 parents",
        visitors=34,
    )
    application.refresh_from_db()
    assert application.status == A.PRESENTED
    assert kinds(application)[-1] == EventKind.PRESENTED
    # A correction later leaves the state alone.
    services.presentation_record(
        application=application,
        by=world.director_a,
        shown="Journal filmé et podcast.",
        attendance="",
        visitors=34,
    )
    application.refresh_from_db()
    assert application.status == A.PRESENTED


def test_the_presentation_is_the_schools_and_only_during_the_loan(world):
    application = make_class_in(world, A.IN_PROGRESS)
    with pytest.raises(services.ClassroomError):
        services.presentation_plan(
            application=application, by=world.director_b, on=DAY, place="x", invitees=[]
        )
    evaluated = make_class_in(world, A.RETURNED)
    with pytest.raises(services.ClassroomError):
        services.presentation_plan(application=evaluated, by=world.director_a, on=DAY, place="x", invitees=[])


def test_a_production_needs_a_file_or_a_link_and_says_its_consent(world):
    application = make_class_in(world, A.PRESENTED)
    with pytest.raises(services.ClassroomError):
        services.production_add(application=application, by=world.teacher_a, title="Vide")
    production = services.production_add(
        application=application, by=world.teacher_a, title="Notre journal", upload=pdf_upload(), consent=True
    )
    assert production.file and production.publication_consent
    link = services.production_add(
        application=application, by=world.teacher_a, title="Podcast", link="https://podcast.example.org/cm1"
    )
    assert not link.publication_consent


def _three_parts(world, application, *, plan_started=True):
    services.evaluation_record_b2i(application=application, by=world.director_a, assessed=24, validated=18)
    services.evaluation_record_teacher(application=application, by=world.teacher_a, text="Très motivant.")
    return services.municipality_record(
        application=application,
        by=world.resource_teacher_a,
        contacted_on=DAY,
        notes="Rencontre avec l'adjoint.",
        plan_started=plan_started,
        plan_on=DAY,
        description="Douze tablettes",
        amount=Decimal("6400.00"),
    )


def test_a_returned_class_is_evaluated_once_its_three_parts_are_in(world):
    application = make_class_in(world, A.RETURNED)
    services.evaluation_record_b2i(application=application, by=world.director_a, assessed=24, validated=18)
    services.evaluation_record_teacher(application=application, by=world.teacher_a, text="Très motivant.")
    application.refresh_from_db()
    assert application.status == A.RETURNED
    _three_parts(world, application)
    application.refresh_from_db()
    assert application.status == A.EVALUATED
    assert application.followup.evaluated_at is not None
    assert kinds(application)[-1] == EventKind.EVALUATED
    # Evaluated is final: nothing more is entered.
    with pytest.raises(services.ClassroomError):
        services.evaluation_record_teacher(application=application, by=world.teacher_a, text="Encore.")


def test_parts_entered_during_the_loan_wait_for_the_return(world):
    application = make_class_in(world, A.PRESENTED)
    _three_parts(world, application)
    application.refresh_from_db()
    assert application.status == A.PRESENTED
    application = walk_deployment_to(application, A.RETURNED)
    assert services.evaluation_complete_if_ready(application=application, by=None)
    application.refresh_from_db()
    assert application.status == A.EVALUATED


def test_the_b2i_figures_are_checked_by_the_resource_teacher_and_refused_when_impossible(world):
    application = make_class_in(world, A.RETURNED)
    with pytest.raises(services.ClassroomError) as refused:
        services.evaluation_record_b2i(
            application=application, by=world.director_a, assessed=10, validated=12
        )
    assert refused.value.message == services.ERROR_VALIDATED_ABOVE_ASSESSED
    services.evaluation_record_b2i(application=application, by=world.director_a, assessed=10, validated=8)
    with pytest.raises(services.ClassroomError):
        services.evaluation_check_b2i(application=application, by=world.director_a)
    followup = services.evaluation_check_b2i(application=application, by=world.resource_teacher_a)
    assert followup.b2i_checked_by == world.resource_teacher_a
    # New figures need a new check.
    followup = services.evaluation_record_b2i(
        application=application, by=world.director_a, assessed=10, validated=9
    )
    assert followup.b2i_checked_at is None


def test_the_municipality_outcome_is_the_resource_teachers(world):
    application = make_class_in(world, A.RETURNED)
    with pytest.raises(services.ClassroomError):
        services.municipality_record(
            application=application, by=world.director_a, contacted_on=None, notes="", plan_started=False
        )
    followup = services.municipality_record(
        application=application,
        by=world.resource_teacher_a,
        contacted_on=DAY,
        notes="Pas de budget cette année.",
        plan_started=False,
        plan_on=DAY,
        amount=Decimal(100),
    )
    assert followup.equipment_plan is False and followup.equipment_plan_amount is None


def test_the_transition_table_refuses_a_presentation_after_the_return(world):
    application = make_class_in(world, A.RETURNED)
    from classcontact.workflow import change_state
    from classrooms.models import TRANSITIONS

    with pytest.raises(InvalidTransition):
        change_state(application, A.PRESENTED, table=TRANSITIONS, by=None)


def test_an_upload_that_is_not_a_document_is_refused_by_the_form():
    from classrooms.forms_followup import ProductionForm

    form = ProductionForm(
        {"production-title": "x"}, {"production-file": SimpleUploadedFile("x.pdf", b"not a pdf at all")}
    )
    assert not form.is_valid() and "file" in form.errors
