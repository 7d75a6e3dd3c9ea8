"""The decision maker's decision on each proposal of a session."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from classcontact.workflow import change_state
from loans.models import Programme
from schools.models import User

from .. import roles
from ..models import (
    SESSION_TRANSITIONS,
    ApplicationStatus,
    CommissionSession,
    Decision,
    EventKind,
    Proposal,
    ProposalOutcome,
    SessionStatus,
)
from .common import ERROR_NOT_ALLOWED, ERROR_REASON_REQUIRED, ClassroomError, lock, move

A = ApplicationStatus

ERROR_NOT_SENT = _("This session's proposals are not waiting for a decision.")
ERROR_ALREADY_DECIDED = _("This proposal has already been decided.")
ERROR_NOT_MOBILE_KIT_TYPE = _(
    "Only a kit type of the mobile classroom programme can be accepted for a class."
)


def _outcome_of(proposal: Proposal, accepted: bool) -> tuple[str, str]:
    """The application's next state and timeline event, for a proposal accepted or not."""
    if not accepted:
        return A.REFUSED, EventKind.REFUSED
    if proposal.outcome == ProposalOutcome.ACCEPT:
        return A.ACCEPTED, EventKind.ACCEPTED
    if proposal.outcome == ProposalOutcome.WAITING_LIST:
        return A.OPINION_GIVEN, EventKind.WAITING_LIST
    return A.REFUSED, EventKind.REFUSED


def _decide(proposal: Proposal, *, by: User, accepted: bool, reason: str, now) -> Proposal:
    if proposal.decision:
        raise ClassroomError(ERROR_ALREADY_DECIDED)
    reason = reason.strip()
    if not accepted and not reason:
        raise ClassroomError(ERROR_REASON_REQUIRED)
    proposal.decision = Decision.ACCEPTED if accepted else Decision.REFUSED
    proposal.decision_reason, proposal.decided_by, proposal.decided_at = reason, by, now
    proposal._history_user = by
    proposal.save(update_fields=["decision", "decision_reason", "decided_by", "decided_at"])
    application = lock(proposal.application)
    target, kind = _outcome_of(proposal, accepted)
    fields = ["decided_at", "decision_reason"]
    application.decided_at = now
    # A refusal says why: the decision maker's reason, else the commission's.
    application.decision_reason = reason or (proposal.reason if target == A.REFUSED else "")
    if target == A.ACCEPTED:
        if proposal.kit_type.programme != Programme.MOBILE_CLASSROOM:
            raise ClassroomError(ERROR_NOT_MOBILE_KIT_TYPE)
        application.accepted_trimester_id = proposal.trimester_id
        application.accepted_kit_type_id = proposal.kit_type_id
        fields += ["accepted_trimester", "accepted_kit_type"]
    move(
        application,
        target=target,
        by=by,
        kind=kind,
        message=application.decision_reason,
        fields=tuple(fields),
    )
    return proposal


def _close_if_done(session: CommissionSession, by: User) -> None:
    if not session.proposals.filter(decision="").exists():
        change_state(session, SessionStatus.DECIDED, table=SESSION_TRANSITIONS, by=by)


def _lock_sent(session: CommissionSession, by: User) -> CommissionSession:
    if not roles.decides(by):
        raise ClassroomError(ERROR_NOT_ALLOWED)
    session = CommissionSession.objects.select_for_update().get(pk=session.pk)
    if session.status != SessionStatus.SENT:
        raise ClassroomError(ERROR_NOT_SENT)
    return session


@transaction.atomic
def proposal_decide(*, proposal: Proposal, by: User, accepted: bool, reason: str = "") -> Proposal:
    """The decision maker accepts or refuses one proposal (a refusal needs a reason).

    Effects: the decision on the proposal (who, when, why); the application scheduled →
    accepted (with its trimester and kit type), refused (with the reason the school reads),
    or back to opinion_given for a confirmed waiting list; a timeline event and an e-mail to
    the school after commit; the session decided once every proposal is.
    """
    session = _lock_sent(proposal.session, by)
    proposal = Proposal.objects.select_for_update().get(pk=proposal.pk)
    _decide(proposal, by=by, accepted=accepted, reason=reason, now=timezone.now())
    _close_if_done(session, by)
    return proposal


@transaction.atomic
def session_decide_all(*, session: CommissionSession, by: User) -> CommissionSession:
    """Accept every proposal still undecided, as the commission proposed; the session is decided."""
    session = _lock_sent(session, by)
    now = timezone.now()
    for proposal in session.proposals.select_for_update().filter(decision="").order_by("rank", "pk"):
        _decide(proposal, by=by, accepted=True, reason="", now=now)
    _close_if_done(session, by)
    return session
