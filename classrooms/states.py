"""The states of a mobile classroom application: their catalogue and the transitions.

Part 1 of the programme runs from the class's draft to the decision; ``accepted`` is not a
final state: the deployment (``accepted → training_registered → delivered → …``) continues
from it, and its states will join this catalogue and table. One function of
``classrooms.services`` owns each change.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from classcontact.workflow import StateCatalogue, StateInfo


class ApplicationStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Waiting for the inspector's opinion")
    OPINION_GIVEN = "opinion_given", _("Opinion given")
    IN_COMMISSION = "in_commission", _("Examined by the commission")
    SCHEDULED = "scheduled", _("Proposed to the decision maker")
    ACCEPTED = "accepted", _("Accepted")
    REFUSED = "refused", _("Refused")
    WITHDRAWN = "withdrawn", _("Withdrawn")


A = ApplicationStatus

#: The set of states in which the school may still withdraw its application.
SCHOOL_WITHDRAW = "school_withdraw"
#: The set of the two outcomes of a decision.
DECIDED = "decided"
_BEFORE_DECISION = frozenset({SCHOOL_WITHDRAW})

APPLICATION_STATES = StateCatalogue(
    ApplicationStatus,
    {
        A.DRAFT: StateInfo(
            sets=_BEFORE_DECISION,
            badge="text-bg-light border",
            school_label=_("Draft, not sent yet"),
            school_next=_("Complete the application; the director sends it."),
        ),
        A.SUBMITTED: StateInfo(
            sets=_BEFORE_DECISION,
            badge="text-bg-info",
            staff_action=True,
            school_label=_("Sent to the district inspector"),
            school_next=_("The inspector of your district will give an opinion."),
            staff_next=_("The inspector gives an opinion."),
        ),
        A.OPINION_GIVEN: StateInfo(
            sets=_BEFORE_DECISION,
            badge="text-bg-primary",
            staff_action=True,
            school_label=_("Opinion given, waiting for the commission"),
            school_next=_("The departmental commission will examine the application at its next session."),
            staff_next=_("To examine at a commission session."),
        ),
        A.IN_COMMISSION: StateInfo(
            sets=_BEFORE_DECISION,
            badge="text-bg-primary",
            staff_action=True,
            school_label=_("Being examined by the commission"),
            school_next=_("The commission examines the applications and proposes a calendar."),
            staff_next=_("The commission ranks it and makes a proposal."),
        ),
        A.SCHEDULED: StateInfo(
            sets=_BEFORE_DECISION,
            badge="text-bg-warning",
            staff_action=True,
            school_label=_("Waiting for the decision"),
            school_next=_("The director of the departmental education services decides on the proposal."),
            staff_next=_("The decision maker accepts or refuses the proposal."),
        ),
        A.ACCEPTED: StateInfo(
            sets=frozenset({DECIDED}),
            badge="text-bg-success",
            school_label=_("Accepted"),
            school_next=_(
                "The mobile classroom comes to your class for the trimester shown. "
                "Register the teachers for the training session before the period."
            ),
            staff_next=_("Accepted: the deployment follows."),
        ),
        A.REFUSED: StateInfo(
            sets=frozenset({DECIDED}),
            badge="text-bg-danger",
            closed=True,
            school_label=_("Not accepted"),
            school_next=_("See the reason below. The school may apply again in a later campaign."),
        ),
        A.WITHDRAWN: StateInfo(
            badge="text-bg-secondary",
            closed=True,
            school_label=_("Withdrawn"),
            school_next=_("Nothing more to do."),
        ),
    },
)

CLOSED_STATES = APPLICATION_STATES.closed_states
OPEN_STATES = APPLICATION_STATES.open_states
SCHOOL_WITHDRAW_STATES = APPLICATION_STATES.states_in(SCHOOL_WITHDRAW)
DECIDED_STATES = APPLICATION_STATES.states_in(DECIDED)

#: The only state changes allowed; each one is owned by one service in ``classrooms.services``.
TRANSITIONS: dict[str, frozenset[str]] = {
    A.DRAFT: frozenset({A.SUBMITTED}),
    A.SUBMITTED: frozenset({A.OPINION_GIVEN}),
    A.OPINION_GIVEN: frozenset({A.IN_COMMISSION}),
    # Taken off a session's agenda, it waits for the next one.
    A.IN_COMMISSION: frozenset({A.SCHEDULED, A.OPINION_GIVEN}),
    # A waiting-list proposal that is confirmed goes back to wait for a later session.
    A.SCHEDULED: frozenset({A.ACCEPTED, A.REFUSED, A.OPINION_GIVEN}),
    # Part 2 continues from here (training_registered, delivered, …).
    A.ACCEPTED: frozenset(),
    A.REFUSED: frozenset(),
    A.WITHDRAWN: frozenset(),
}
for _state in SCHOOL_WITHDRAW_STATES:
    TRANSITIONS[_state] = TRANSITIONS[_state] | {A.WITHDRAWN}
del _state


class SessionStatus(models.TextChoices):
    OPEN = "open", _("In preparation")
    SENT = "sent", _("Proposals sent for decision")
    DECIDED = "decided", _("Decided")


SESSION_STATES = StateCatalogue(
    SessionStatus,
    {
        SessionStatus.OPEN: StateInfo(badge="text-bg-info"),
        SessionStatus.SENT: StateInfo(badge="text-bg-warning"),
        SessionStatus.DECIDED: StateInfo(badge="text-bg-success", closed=True),
    },
)

SESSION_TRANSITIONS: dict[str, frozenset[str]] = {
    SessionStatus.OPEN: frozenset({SessionStatus.SENT}),
    SessionStatus.SENT: frozenset({SessionStatus.DECIDED}),
    SessionStatus.DECIDED: frozenset(),
}
