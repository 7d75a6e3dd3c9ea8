"""The states of a mobile classroom application: their catalogue and the transitions.

The application runs from the class's draft to the decision, then the deployment continues
from ``accepted``: ``accepted → training_registered → delivered → in_progress → presented →
returned → evaluated``. One function of ``classrooms.services`` owns each change.
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
    TRAINING_REGISTERED = "training_registered", _("Teacher registered for training")
    DELIVERED = "delivered", _("Kit delivered")
    IN_PROGRESS = "in_progress", _("Loan in progress")
    PRESENTED = "presented", _("Presentation day held")
    RETURNED = "returned", _("Kit returned")
    EVALUATED = "evaluated", _("Evaluated")
    REFUSED = "refused", _("Refused")
    WITHDRAWN = "withdrawn", _("Withdrawn")


A = ApplicationStatus

#: The set of states in which the school may still withdraw its application.
SCHOOL_WITHDRAW = "school_withdraw"
#: The set of the two outcomes of a decision.
DECIDED = "decided"
#: The set of the states of an accepted class's deployment (from the decision to the evaluation).
DEPLOYMENT = "deployment"
_BEFORE_DECISION = frozenset({SCHOOL_WITHDRAW})
_DEPLOYMENT = frozenset({DEPLOYMENT})

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
            sets=frozenset({DECIDED, DEPLOYMENT}),
            badge="text-bg-success",
            school_label=_("Accepted"),
            school_next=_(
                "The mobile classroom comes to your class for the trimester shown. "
                "Register the teachers for the training session before the period."
            ),
            staff_next=_("Place the class on the deployment plan with a kit."),
        ),
        A.TRAINING_REGISTERED: StateInfo(
            sets=_DEPLOYMENT,
            badge="text-bg-success",
            school_label=_("Teacher registered for training"),
            school_next=_("The logistics partner delivers and installs the kit before the trimester."),
            staff_next=_("Plan the delivery and installation visit."),
        ),
        A.DELIVERED: StateInfo(
            sets=_DEPLOYMENT,
            badge="text-bg-primary",
            school_label=_("Kit delivered"),
            school_next=_("The loan starts with the trimester."),
            staff_next=_("The loan starts with the trimester."),
        ),
        A.IN_PROGRESS: StateInfo(
            sets=_DEPLOYMENT,
            badge="text-bg-primary",
            school_label=_("Mobile classroom in your class"),
            school_next=_("Prepare the presentation day, on the last day of the loan."),
            staff_next=_("The resource teacher follows the class; the presentation day ends the loan."),
        ),
        A.PRESENTED: StateInfo(
            sets=_DEPLOYMENT,
            badge="text-bg-primary",
            school_label=_("Presentation day held"),
            school_next=_("The logistics partner picks the kit up."),
            staff_next=_("Plan the pickup visit and check the kit in."),
        ),
        A.RETURNED: StateInfo(
            sets=_DEPLOYMENT,
            badge="text-bg-warning",
            staff_action=True,
            school_label=_("Kit returned, evaluation to complete"),
            school_next=_("Enter the class's evaluation."),
            staff_next=_("The evaluation and the municipality's outcome are to enter."),
        ),
        A.EVALUATED: StateInfo(
            sets=_DEPLOYMENT,
            badge="text-bg-secondary",
            closed=True,
            school_label=_("Finished and evaluated"),
            school_next=_("Nothing more to do. Thank you."),
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
DEPLOYMENT_STATES = APPLICATION_STATES.states_in(DEPLOYMENT)

#: The only state changes allowed; each one is owned by one service in ``classrooms.services``.
TRANSITIONS: dict[str, frozenset[str]] = {
    A.DRAFT: frozenset({A.SUBMITTED}),
    A.SUBMITTED: frozenset({A.OPINION_GIVEN}),
    A.OPINION_GIVEN: frozenset({A.IN_COMMISSION}),
    # Taken off a session's agenda, it waits for the next one.
    A.IN_COMMISSION: frozenset({A.SCHEDULED, A.OPINION_GIVEN}),
    # A waiting-list proposal that is confirmed goes back to wait for a later session.
    A.SCHEDULED: frozenset({A.ACCEPTED, A.REFUSED, A.OPINION_GIVEN}),
    # Training is expected but a class may be delivered without it.
    A.ACCEPTED: frozenset({A.TRAINING_REGISTERED, A.DELIVERED}),
    # The teacher's last registration cancelled, the class waits for another session.
    A.TRAINING_REGISTERED: frozenset({A.DELIVERED, A.ACCEPTED}),
    A.DELIVERED: frozenset({A.IN_PROGRESS}),
    # The kit may come back without a presentation day (recorded later or never held).
    A.IN_PROGRESS: frozenset({A.PRESENTED, A.RETURNED}),
    A.PRESENTED: frozenset({A.RETURNED}),
    A.RETURNED: frozenset({A.EVALUATED}),
    A.EVALUATED: frozenset(),
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
