"""Commission sessions: the agenda, the members present, the ranking and the proposals."""

import datetime
import hashlib

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from classcontact.tasks_util import enqueue_on_commit
from classcontact.workflow import change_state
from loans.models import KitType
from schools.models import Trimester, User

from .. import roles
from ..models import (
    SESSION_TRANSITIONS,
    Application,
    ApplicationStatus,
    Campaign,
    CommissionSession,
    EventKind,
    Proposal,
    ProposalOutcome,
    SessionStatus,
)
from ..selectors import capacity_by_kit_type, slot_proposals
from .common import ERROR_NOT_ALLOWED, ERROR_REASON_REQUIRED, ClassroomError, lock, move

A = ApplicationStatus

ERROR_SESSION_NOT_OPEN = _("The proposals of this session have already been sent for decision.")
ERROR_NOT_READY_FOR_SESSION = _("Only applications of the campaign with an opinion can be examined.")
ERROR_PROPOSAL_INCOMPLETE = _("Every application needs a rank and a proposal before they are sent: %(list)s.")
ERROR_TRIMESTER_AND_KIT = _("Choose a trimester and a kit type offered by the campaign.")
ERROR_TRIMESTER_FULL = _(
    "No kit of this type is left in this trimester: %(taken)s of %(kits)s are already proposed."
)
ERROR_RANK_TAKEN = _("Another application of the session already has this rank.")
ERROR_NO_APPLICATION = _("There is no application on the agenda.")


def _require_preparer(by: User) -> None:
    if not roles.prepares_sessions(by):
        raise ClassroomError(ERROR_NOT_ALLOWED)


def _lock_session(session: CommissionSession) -> CommissionSession:
    session = CommissionSession.objects.select_for_update().get(pk=session.pk)
    if session.status != SessionStatus.OPEN:
        raise ClassroomError(ERROR_SESSION_NOT_OPEN)
    return session


@transaction.atomic
def session_create(
    *,
    campaign: Campaign,
    by: User,
    held_on: datetime.date,
    place: str = "",
    chair: User | None = None,
    members: list[User] = (),
) -> CommissionSession:
    """The adviser or the chair plans a session (its date, place, chair and members)."""
    _require_preparer(by)
    session = CommissionSession(
        campaign=campaign, held_on=held_on, place=place.strip(), chair=chair, created_by=by
    )
    session._history_user = by
    session.save()
    session.members.set(members)
    return session


@transaction.atomic
def session_add_applications(
    *, session: CommissionSession, by: User, applications: list[Application]
) -> list[Proposal]:
    """Put applications with an opinion on the agenda: opinion_given → in_commission, one empty proposal each."""
    _require_preparer(by)
    session = _lock_session(session)
    proposals = []
    for application in applications:
        application = lock(application)
        if application.campaign_id != session.campaign_id or application.status != A.OPINION_GIVEN:
            raise ClassroomError(ERROR_NOT_READY_FOR_SESSION)
        move(application, target=A.IN_COMMISSION, by=by, kind=EventKind.ON_AGENDA)
        proposals.append(Proposal.objects.create(session=session, application=application))
    return proposals


@transaction.atomic
def session_remove_application(*, proposal: Proposal, by: User) -> None:
    """Take an application off the agenda: back to opinion_given, for a later session."""
    _require_preparer(by)
    _lock_session(proposal.session)
    application = lock(proposal.application)
    proposal.delete()
    move(application, target=A.OPINION_GIVEN, by=by, kind=EventKind.OFF_AGENDA, public=False)


def _check_slot(proposal: Proposal, campaign: Campaign, trimester: Trimester, kit_type: KitType) -> None:
    """Never more classes in a trimester than the campaign has kits of that type."""
    if trimester is None or kit_type is None or not campaign.trimesters.filter(pk=trimester.pk).exists():
        raise ClassroomError(ERROR_TRIMESTER_AND_KIT)
    kits = capacity_by_kit_type(campaign).get(kit_type.pk, 0)
    if kits == 0:
        raise ClassroomError(ERROR_TRIMESTER_AND_KIT)
    taken = (
        slot_proposals(campaign)
        .filter(trimester=trimester, kit_type=kit_type)
        .exclude(pk=proposal.pk)
        .count()
    )
    if taken >= kits:
        raise ClassroomError(ERROR_TRIMESTER_FULL % {"taken": taken, "kits": kits})


@transaction.atomic
def proposal_record(
    *,
    proposal: Proposal,
    by: User,
    rank: int | None,
    outcome: str,
    trimester: Trimester | None = None,
    kit_type: KitType | None = None,
    reason: str = "",
) -> Proposal:
    """The commission's rank and proposal for one application (accept for a trimester and a kit
    type, waiting list, refuse with a reason). The campaign row is locked so that two proposals
    at once cannot take the last kit of a trimester twice."""
    _require_preparer(by)
    session = _lock_session(proposal.session)
    campaign = Campaign.objects.select_for_update().get(pk=session.campaign_id)
    proposal = Proposal.objects.select_for_update().get(pk=proposal.pk)
    if rank is not None and session.proposals.filter(rank=rank).exclude(pk=proposal.pk).exists():
        raise ClassroomError(ERROR_RANK_TAKEN)
    if outcome == ProposalOutcome.ACCEPT:
        _check_slot(proposal, campaign, trimester, kit_type)
    else:
        trimester = kit_type = None
        if outcome == ProposalOutcome.REFUSE and not reason.strip():
            raise ClassroomError(ERROR_REASON_REQUIRED)
    proposal.rank, proposal.outcome, proposal.reason = rank, outcome, reason.strip()
    proposal.trimester, proposal.kit_type = trimester, kit_type
    proposal._history_user = by
    proposal.save(update_fields=["rank", "outcome", "reason", "trimester", "kit_type"])
    return proposal


@transaction.atomic
def session_record_presence(
    *, session: CommissionSession, by: User, present: list[User], notes: str
) -> CommissionSession:
    """Who attended the session, and its notes."""
    _require_preparer(by)
    session = _lock_session(session)
    session.notes = notes.strip()
    session._history_user = by
    session.save(update_fields=["notes"])
    session.present.set(present)
    return session


@transaction.atomic
def session_send_proposals(*, session: CommissionSession, by: User) -> CommissionSession:
    """Send the session's complete ranking and proposals to the decision maker.

    Effects: every application on the agenda in_commission → scheduled (with a timeline
    event the school sees without the ranking); the session open → sent; its minutes
    (a PDF listing the proposals) made by a worker after commit.
    """
    _require_preparer(by)
    session = _lock_session(session)
    proposals = list(session.proposals.select_related("application").order_by("rank", "pk"))
    if not proposals:
        raise ClassroomError(ERROR_NO_APPLICATION)
    incomplete = [p.application.number_display for p in proposals if p.rank is None or not p.outcome]
    if incomplete:
        raise ClassroomError(ERROR_PROPOSAL_INCOMPLETE % {"list": ", ".join(incomplete)})
    for proposal in proposals:
        move(lock(proposal.application), target=A.SCHEDULED, by=by, kind=EventKind.PROPOSED)
    change_state(session, SessionStatus.SENT, table=SESSION_TRANSITIONS, by=by)
    enqueue_on_commit("classrooms.render_session_minutes", session_id=session.pk)
    return session


@transaction.atomic
def session_store_minutes(*, session_id: int, pdf: bytes) -> CommissionSession | None:
    """Keep the minutes' PDF of a session and its SHA-256 (a new version replaces the old)."""
    session = CommissionSession.objects.select_for_update().filter(pk=session_id).first()
    if session is None:
        return None
    old = session.minutes.name or None
    session.minutes.save("minutes.pdf", ContentFile(pdf), save=False)
    session.minutes_sha256 = hashlib.sha256(pdf).hexdigest()
    session.minutes_rendered_at = timezone.now()
    session.save(update_fields=["minutes", "minutes_sha256", "minutes_rendered_at"])
    if old:
        storage = session.minutes.storage
        transaction.on_commit(lambda: storage.delete(old))
    return session
