"""The deployment plan: placing a class with a kit, moving it, its visits and its loan's life."""

import datetime

from django.core import mail
from django.db import IntegrityError, transaction
import pytest

from classrooms import services
from classrooms.forms import ProposalOptions
from classrooms.models import Application, ApplicationStatus, EventKind
from classrooms.services.decision import ERROR_NOT_MOBILE_KIT_TYPE
from classrooms.services.deployment import (
    ERROR_ALREADY_PLACED,
    ERROR_NOT_MOBILE_KIT,
    ERROR_NOT_PLACEABLE,
    ClassroomHolder,
)
from loans import services as kit_services
from loans.holders import holder_description
from loans.models import InventoryState, Loan, LoanStatus, Visit, VisitKind
from loans.services import CheckLine
from tests.builders.classrooms import make_application
from tests.builders.deployment import at, deliver, make_accepted, make_mobile_kit, make_technician
from tests.builders.loans import make_kit
from tests.builders.loans import make_kit_type as make_connection_type

A = ApplicationStatus
pytestmark = pytest.mark.django_db


def kinds(application) -> list[str]:
    return list(application.events.order_by("at", "pk").values_list("kind", flat=True))


def test_placing_an_accepted_class_books_the_kit_for_its_trimester(world):
    (application,) = make_accepted(world)
    kit = make_mobile_kit(owner="Société Numérik")
    loan = services.placement_create(application=application, kit=kit, by=world.adviser)
    trimester = application.accepted_trimester
    assert (loan.start, loan.end, loan.trimester_id) == (trimester.start, trimester.end, trimester.pk)
    assert loan.holder_is(application) and loan.reference == application.number
    assert loan.school_class.name == "CM1 A" and loan.school_class.school == world.school_a
    kit.refresh_from_db()
    assert kit.state == InventoryState.RESERVED
    assert EventKind.PLACED in kinds(application)
    description = holder_description(loan)
    for part in ("École Jean Moulin", "CM1 A", "Mme Leroy", "Trimester 2"):
        assert part in description


def test_a_connection_kit_is_refused(world):
    (application,) = make_accepted(world)
    with pytest.raises(services.ClassroomError) as error:
        services.placement_create(application=application, kit=make_kit(), by=world.adviser)
    assert error.value.message == ERROR_NOT_MOBILE_KIT
    assert not Loan.objects.exists()


def test_only_an_accepted_class_is_placed_once(world):
    application = make_application(world, A.SUBMITTED)
    with pytest.raises(services.ClassroomError) as error:
        services.placement_create(application=application, kit=make_mobile_kit(), by=world.adviser)
    assert error.value.message == ERROR_NOT_PLACEABLE
    (accepted,) = make_accepted(world)
    services.placement_create(application=accepted, kit=make_mobile_kit(), by=world.adviser)
    with pytest.raises(services.ClassroomError) as error:
        services.placement_create(application=accepted, kit=make_mobile_kit(), by=world.adviser)
    assert error.value.message == ERROR_ALREADY_PLACED


def test_a_kit_is_never_in_two_classes_of_one_trimester(world):
    first, second = make_accepted(world, 2)
    kit = make_mobile_kit()
    services.placement_create(application=first, kit=kit, by=world.adviser)
    with pytest.raises(services.ClassroomError) as error:
        services.placement_create(application=second, kit=kit, by=world.adviser)
    assert error.value.message == kit_services.ERROR_KIT_NOT_FREE
    # The database refuses it too when the service's check is bypassed.
    loan = Loan.objects.get()
    with pytest.raises(IntegrityError), transaction.atomic():
        Loan.objects.create(
            kit=kit,
            purpose=loan.purpose,
            school=loan.school,
            school_class=loan.school_class,
            trimester=loan.trimester,
            start=loan.start,
            end=loan.end,
        )


def test_only_the_planners_place(world):
    (application,) = make_accepted(world)
    with pytest.raises(services.ClassroomError):
        services.placement_create(application=application, kit=make_mobile_kit(), by=world.director_a)


def test_moving_a_class_is_one_action_with_a_reason_and_the_school_is_told(
    world, django_capture_on_commit_callbacks
):
    (application,) = make_accepted(world)
    old_kit, new_kit = make_mobile_kit(), make_mobile_kit()
    old = services.placement_create(application=application, kit=old_kit, by=world.adviser)
    visit = services.deployment_visit_plan(
        application=application,
        kind=VisitKind.INSTALLATION,
        starts_at=at(3),
        technician=make_technician(),
        by=world.adviser,
    )
    third = world.campaign.trimesters.order_by("start")[2]
    with pytest.raises(services.ClassroomError):
        services.placement_move(application=application, by=world.adviser, reason=" ", kit=new_kit)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        loan = services.placement_move(
            application=application,
            by=world.adviser,
            reason="Kit en réparation.",
            kit=new_kit,
            trimester=third,
        )
    old.refresh_from_db()
    visit.refresh_from_db()
    application.refresh_from_db()
    assert old.status == LoanStatus.CANCELLED and visit.status == "cancelled"
    assert (loan.kit, loan.trimester, application.accepted_trimester) == (new_kit, third, third)
    event = application.events.get(kind=EventKind.MOVED)
    assert "Kit en réparation." in event.message
    assert "direction.moulin@example.org" in {address for message in mail.outbox for address in message.to}


def test_delivery_then_trimester_start_then_pickup_check_in(world):
    (application,) = make_accepted(world)
    kit = make_mobile_kit()
    loan = services.placement_create(application=application, kit=kit, by=world.adviser)
    technician = make_technician()
    deliver(application, technician, by=world.adviser)
    application.refresh_from_db()
    loan.refresh_from_db()
    assert application.status == A.DELIVERED and loan.status == LoanStatus.LENT
    trimester = application.accepted_trimester
    assert services.deployments_start_due(today=trimester.start - datetime.timedelta(days=1)) == 0
    assert services.deployments_start_due(today=trimester.start) == 1
    application.refresh_from_db()
    assert application.status == A.IN_PROGRESS
    pickup = services.deployment_visit_plan(
        application=application,
        kind=VisitKind.RETRIEVAL,
        starts_at=at(4),
        technician=technician,
        by=world.adviser,
    )
    assert pickup.loan_id == loan.pk and Visit.objects.filter(technician=technician).count() == 2
    lines = [CheckLine(item_id=item.pk, present=True, works=True) for item in kit.items.all()]
    kit_services.loan_check_in(loan=loan, by=technician, lines=lines, returned_on=trimester.end)
    application.refresh_from_db()
    kit.refresh_from_db()
    assert application.status == A.RETURNED and kit.state == InventoryState.AVAILABLE
    assert {EventKind.DELIVERED, EventKind.LOAN_STARTED, EventKind.KIT_RETURNED} <= set(kinds(application))


def test_an_evaluation_entered_during_the_loan_closes_the_class_when_the_kit_is_back(world):
    (application,) = make_accepted(world, trimester_index=0)
    kit = make_mobile_kit()
    loan = services.placement_create(application=application, kit=kit, by=world.adviser)
    technician = make_technician()
    deliver(application, technician, by=world.adviser)
    application.refresh_from_db()
    assert application.status == A.IN_PROGRESS
    services.followup_assign_teacher(
        application=application, by=world.adviser, teacher=world.resource_teacher_a
    )
    services.evaluation_record_b2i(application=application, by=world.director_a, assessed=20, validated=16)
    services.evaluation_record_teacher(
        application=application, by=world.director_a, text="Un journal de classe."
    )
    services.municipality_record(
        application=application,
        by=world.resource_teacher_a,
        contacted_on=datetime.date(2027, 3, 1),
        notes="",
        plan_started=False,
        plan_on=None,
        description="",
        amount=None,
    )
    application.refresh_from_db()
    assert application.status == A.IN_PROGRESS  # complete, but the kit is still in the class
    lines = [CheckLine(item_id=item.pk, present=True, works=True) for item in kit.items.all()]
    kit_services.loan_check_in(loan=loan, by=technician, lines=lines, returned_on=loan.end)
    application.refresh_from_db()
    assert application.status == A.EVALUATED
    assert kinds(application)[-2:] == [EventKind.KIT_RETURNED, EventKind.EVALUATED]


def test_a_delivery_after_the_trimester_began_starts_the_loan_at_once(world):
    (application,) = make_accepted(world, trimester_index=0)
    services.placement_create(application=application, kit=make_mobile_kit(), by=world.adviser)
    deliver(application, make_technician(), by=world.adviser)
    application.refresh_from_db()
    assert application.status == A.IN_PROGRESS


def test_the_kit_cannot_be_checked_in_before_the_loan_started(world):
    (application,) = make_accepted(world)
    loan = services.placement_create(application=application, kit=make_mobile_kit(), by=world.adviser)
    deliver(application, make_technician(), by=world.adviser)
    holder = Application.objects.get(pk=application.pk)
    assert ClassroomHolder().check_in_refusal(holder)
    loan.refresh_from_db()
    with pytest.raises(kit_services.KitError):
        kit_services.loan_check_in(loan=loan, by=world.adviser, lines=[], returned_on=loan.start)


def test_a_proposal_or_decision_never_takes_a_connection_kit_type(world):

    connection = make_connection_type()
    world.campaign.kits.add(make_kit(connection))
    options = ProposalOptions(world.campaign)
    assert options.kit_types and connection.pk not in options.kit_types
    application = make_application(world, A.SCHEDULED)
    proposal = application.proposals.get()
    with pytest.raises(services.ClassroomError):
        services.proposal_record(
            proposal=proposal,
            by=world.adviser,
            rank=1,
            outcome="accept",
            trimester=proposal.trimester,
            kit_type=connection,
        )
    # A proposal recorded before the rule existed is refused at the decision.
    type(proposal).objects.filter(pk=proposal.pk).update(kit_type=connection)
    proposal.refresh_from_db()
    with pytest.raises(services.ClassroomError) as error:
        services.proposal_decide(proposal=proposal, by=world.decision_maker, accepted=True)
    assert error.value.message == ERROR_NOT_MOBILE_KIT_TYPE
    assert Application.objects.get(pk=application.pk).status == A.SCHEDULED
