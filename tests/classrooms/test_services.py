"""The services of the programme: one per change, each checked against the transition table."""

from django.core import mail
import pytest

from classcontact.workflow import InvalidTransition
from classrooms import services
from classrooms.models import (
    TRANSITIONS,
    Application,
    ApplicationStatus,
    CommissionSession,
    EventKind,
    Opinion,
    Origin,
    SessionStatus,
)
from classrooms.states import APPLICATION_STATES
from tests.builders.classrooms import make_application, make_draft, make_kit_type, make_session
from tests.builders.files import pdf_upload

A = ApplicationStatus
pytestmark = pytest.mark.django_db


def kinds(application) -> list[str]:
    return list(application.events.order_by("at", "pk").values_list("kind", flat=True))


def test_accepted_is_not_final_so_the_deployment_can_follow():
    assert A.ACCEPTED not in APPLICATION_STATES.closed_states
    assert {A.REFUSED, A.WITHDRAWN, A.EVALUATED} == set(APPLICATION_STATES.closed_states)
    assert TRANSITIONS[A.DRAFT] == {A.SUBMITTED, A.WITHDRAWN}
    assert A.WITHDRAWN not in TRANSITIONS[A.ACCEPTED]
    chain = [
        A.ACCEPTED,
        A.TRAINING_REGISTERED,
        A.DELIVERED,
        A.IN_PROGRESS,
        A.PRESENTED,
        A.RETURNED,
        A.EVALUATED,
    ]
    assert all(later in TRANSITIONS[state] for state, later in zip(chain, chain[1:], strict=False))


def test_a_teacher_writes_the_draft_and_only_the_director_sends_it(world, django_capture_on_commit_callbacks):
    draft = make_draft(world)
    assert draft.status == A.DRAFT and draft.created_by == world.teacher_a
    with pytest.raises(services.ClassroomError) as refused:
        services.application_submit(application=draft, by=world.teacher_a)
    assert refused.value.message == services.ERROR_DIRECTOR_ONLY
    with django_capture_on_commit_callbacks(execute=True):
        sent = services.application_submit(application=draft, by=world.director_a)
    assert sent.status == A.SUBMITTED
    assert sent.number.startswith("CM-")
    assert kinds(sent) == [EventKind.CREATED, EventKind.SUBMITTED]
    assert [message.to for message in mail.outbox] == [[world.inspector_a.email]]


def test_an_incomplete_draft_cannot_be_sent(world):
    draft = make_draft(world, objectives="", preferred_trimesters=[])
    with pytest.raises(services.ClassroomError) as refused:
        services.application_submit(application=draft, by=world.director_a)
    assert "objectives" in refused.value.message
    assert "preferred trimesters" in refused.value.message
    assert Application.objects.get(pk=draft.pk).status == A.DRAFT


def test_a_school_outside_the_programme_or_another_school_cannot_write(world):
    with pytest.raises(services.ClassroomError):
        make_draft(world, school=world.school_a, by=world.teacher_b)
    world.school_b.eligible_mobile_classroom = False
    world.school_b.save(update_fields=["eligible_mobile_classroom"])
    with pytest.raises(services.ClassroomError):
        make_draft(world, school=world.school_b, by=world.teacher_b)


def test_only_the_districts_inspector_gives_an_opinion(world, django_capture_on_commit_callbacks):
    application = make_application(world, A.SUBMITTED)
    with pytest.raises(services.ClassroomError):
        services.application_give_opinion(
            application=application, by=world.inspector_b, opinion=Opinion.FAVOURABLE
        )
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.application_give_opinion(
            application=application, by=world.inspector_a, opinion=Opinion.RESERVED, comment="À préciser."
        )
    application.refresh_from_db()
    assert application.status == A.OPINION_GIVEN
    assert (application.opinion, application.opinion_by, application.opinion_shared) == (
        Opinion.RESERVED,
        world.inspector_a,
        False,
    )
    recipients = sorted(message.to[0] for message in mail.outbox)
    assert recipients == sorted([world.director_a.email, world.adviser.email])
    school_mail = next(m for m in mail.outbox if m.to == [world.director_a.email])
    assert "À préciser" not in school_mail.body  # not shared with the school


def test_an_opinion_is_given_once(world):
    application = make_application(world, A.OPINION_GIVEN)
    with pytest.raises(InvalidTransition):
        services.application_give_opinion(
            application=application, by=world.inspector_a, opinion=Opinion.FAVOURABLE
        )


def test_the_whole_road_to_acceptance_tells_the_school(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        application = make_application(world, A.ACCEPTED)
    assert application.status == A.ACCEPTED
    assert application.accepted_trimester.number == 2
    assert application.accepted_kit_type == make_kit_type()
    assert kinds(application)[-4:] == [
        EventKind.OPINION_GIVEN,
        EventKind.ON_AGENDA,
        EventKind.PROPOSED,
        EventKind.ACCEPTED,
    ]
    assert CommissionSession.objects.get().status == SessionStatus.DECIDED
    decision_mails = [m for m in mail.outbox if "Accepted" in m.subject]
    assert {m.to[0] for m in decision_mails} == {world.director_a.email}


def test_a_refusal_carries_its_reason_to_the_school(world):
    application = make_application(world, A.REFUSED)
    assert application.status == A.REFUSED
    assert application.decision_reason == "Budget épuisé pour ce trimestre."


def test_a_refusal_by_the_decision_maker_needs_a_reason(world):
    application = make_application(world, A.SCHEDULED)
    proposal = application.proposals.get()
    with pytest.raises(services.ClassroomError) as refused:
        services.proposal_decide(proposal=proposal, by=world.decision_maker, accepted=False)
    assert refused.value.message == services.ERROR_REASON_REQUIRED


def test_only_the_decision_maker_decides(world):
    proposal = make_application(world, A.SCHEDULED).proposals.get()
    with pytest.raises(services.ClassroomError):
        services.proposal_decide(proposal=proposal, by=world.chair, accepted=True)


def test_never_more_classes_in_a_trimester_than_kits_of_that_type(world):
    session = make_session(world)
    applications = [make_application(world, A.OPINION_GIVEN) for _ in range(3)]
    proposals = services.session_add_applications(
        session=session, by=world.adviser, applications=applications
    )
    trimester = world.campaign.trimesters.order_by("start")[1]
    for rank, proposal in enumerate(proposals[:2], start=1):
        services.proposal_record(
            proposal=proposal,
            by=world.adviser,
            rank=rank,
            outcome="accept",
            trimester=trimester,
            kit_type=make_kit_type(),
        )
    with pytest.raises(services.ClassroomError) as refused:
        services.proposal_record(
            proposal=proposals[2],
            by=world.adviser,
            rank=3,
            outcome="accept",
            trimester=trimester,
            kit_type=make_kit_type(),
        )
    assert "2 of 2" in refused.value.message
    services.proposal_record(proposal=proposals[2], by=world.adviser, rank=3, outcome="waiting_list")


def test_ranks_are_unique_and_every_proposal_is_complete_before_sending(world):
    session = make_session(world)
    first, second = services.session_add_applications(
        session=session,
        by=world.adviser,
        applications=[make_application(world, A.OPINION_GIVEN) for _ in range(2)],
    )
    services.proposal_record(
        proposal=first, by=world.adviser, rank=1, outcome="refuse", reason="Projet trop vague."
    )
    with pytest.raises(services.ClassroomError) as refused:
        services.proposal_record(proposal=second, by=world.adviser, rank=1, outcome="waiting_list")
    assert refused.value.message == services.ERROR_RANK_TAKEN
    with pytest.raises(services.ClassroomError):
        services.session_send_proposals(session=session, by=world.adviser)
    with pytest.raises(services.ClassroomError):
        services.proposal_record(proposal=second, by=world.adviser, rank=2, outcome="refuse")  # no reason


def test_sending_makes_the_minutes_and_deciding_all_follows_the_proposals(
    world, django_capture_on_commit_callbacks
):
    session = make_session(world)
    accepted, waiting = services.session_add_applications(
        session=session,
        by=world.adviser,
        applications=[make_application(world, A.OPINION_GIVEN) for _ in range(2)],
    )
    trimester = world.campaign.trimesters.order_by("start")[0]
    services.proposal_record(
        proposal=accepted,
        by=world.adviser,
        rank=1,
        outcome="accept",
        trimester=trimester,
        kit_type=make_kit_type(),
    )
    services.proposal_record(proposal=waiting, by=world.adviser, rank=2, outcome="waiting_list")
    with django_capture_on_commit_callbacks(execute=True):
        services.session_send_proposals(session=session, by=world.adviser)
    session.refresh_from_db()
    assert session.status == SessionStatus.SENT
    assert session.minutes.read().startswith(b"%PDF")
    assert len(session.minutes_sha256) == 64
    services.session_decide_all(session=session, by=world.decision_maker)
    session.refresh_from_db()
    assert session.status == SessionStatus.DECIDED
    assert Application.objects.get(pk=accepted.application_id).status == A.ACCEPTED
    # A confirmed waiting list waits for a later session.
    assert Application.objects.get(pk=waiting.application_id).status == A.OPINION_GIVEN


def test_taking_an_application_off_the_agenda_lets_it_wait_for_another_session(world):
    session = make_session(world)
    (proposal,) = services.session_add_applications(
        session=session, by=world.adviser, applications=[make_application(world, A.OPINION_GIVEN)]
    )
    services.session_remove_application(proposal=proposal, by=world.adviser)
    application = Application.objects.get(pk=proposal.application_id)
    assert application.status == A.OPINION_GIVEN
    assert kinds(application)[-1] == EventKind.OFF_AGENDA


def test_only_the_adviser_or_the_chair_prepares_a_session(world):
    with pytest.raises(services.ClassroomError):
        services.session_create(campaign=world.campaign, by=world.member, held_on=world.campaign.opens_on)
    session = services.session_create(
        campaign=world.campaign, by=world.chair, held_on=world.campaign.opens_on
    )
    assert session.status == SessionStatus.OPEN


def test_withdrawal_before_the_decision_only(world):
    application = make_application(world, A.SCHEDULED)
    withdrawn = services.application_withdraw(application=application, by=world.director_a, reason="Départ.")
    assert withdrawn.status == A.WITHDRAWN
    accepted = make_application(world, A.ACCEPTED)
    with pytest.raises(InvalidTransition):
        services.application_withdraw(application=accepted, by=world.director_a, reason="Trop tard.")
    with pytest.raises(services.ClassroomError):
        services.application_withdraw(application=make_application(world), by=world.teacher_a, reason="Non.")


def test_an_invitation_prepares_a_draft_and_mails_the_director(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        application = services.application_invite(
            campaign=world.campaign,
            school=world.school_a,
            by=world.inspector_a,
            reason="Taux B2i faible.",
            b2i_rate=31,
        )
    assert (application.status, application.origin, application.invited_by) == (
        A.DRAFT,
        Origin.INVITED,
        world.inspector_a,
    )
    assert [m.to for m in mail.outbox] == [[world.director_a.email]]
    assert str(application.public_id) in mail.outbox[0].body
    with pytest.raises(services.ClassroomError):
        services.application_invite(
            campaign=world.campaign, school=world.school_b, by=world.inspector_a, reason="x"
        )
    # The adviser may invite any school of the programme.
    services.application_invite(
        campaign=world.campaign, school=world.school_b, by=world.adviser, reason="Équipement ancien."
    )


def test_attachments_only_on_a_draft(world):
    draft = make_draft(world)
    attachment = services.attachment_add(
        application=draft, by=world.teacher_a, upload=pdf_upload("lettre-mairie.pdf")
    )
    assert attachment.filename == "lettre-mairie.pdf"
    assert attachment.file.read().startswith(b"%PDF")
    services.application_submit(application=draft, by=world.director_a)
    with pytest.raises(services.ClassroomError):
        services.attachment_add(application=draft, by=world.teacher_a, upload=pdf_upload())
