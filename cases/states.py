"""The states of a connection case: their catalogue (labels, badges, sets) and the transitions.

One function of ``cases.services`` owns each change; templates and selectors read the
catalogue rather than lists of states.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from classcontact.workflow import StateCatalogue, StateInfo


class CaseStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    UNDER_REVIEW = "under_review", _("Under review")
    ELIGIBLE = "eligible", _("Eligible")
    INELIGIBLE = "ineligible", _("Not eligible")
    KIT_ASSIGNED = "kit_assigned", _("Kit reserved")
    DOCUMENTS_SENT = "documents_sent", _("Documents sent")
    DOCUMENTS_SIGNED = "documents_signed", _("Documents signed")
    INSTALLATION_PLANNED = "installation_planned", _("Installation planned")
    ACTIVE = "active", _("Active")
    PAUSED = "paused", _("Paused")
    END_REQUESTED = "end_requested", _("End requested")
    RETRIEVAL_PLANNED = "retrieval_planned", _("Retrieval planned")
    KIT_RETURNED = "kit_returned", _("Kit returned")
    CLOSED = "closed", _("Closed")
    WITHDRAWN = "withdrawn", _("Withdrawn")


S = CaseStatus

_PLANNING = "text-bg-primary"
DIRECTOR_WITHDRAW = "director_withdraw"
SCHOOL_REQUEST = "school_request"
_BEFORE_INSTALLATION = frozenset({DIRECTOR_WITHDRAW, SCHOOL_REQUEST})
_ENDING = "text-bg-dark"

#: What each state means: badge, open or closed, whose move it is, and the words for schools.
CASE_STATES = StateCatalogue(
    CaseStatus,
    {
        S.DRAFT: StateInfo(
            sets=frozenset({DIRECTOR_WITHDRAW}),
            badge="text-bg-light border",
            school_label=_("Draft, not sent yet"),
            school_next=_("Finish the request and send it."),
        ),
        S.SUBMITTED: StateInfo(
            sets=_BEFORE_INSTALLATION,
            badge="text-bg-info",
            staff_action=True,
            school_label=_("Request received"),
            school_next=_("The ClassContact team will review your request."),
            staff_next=_("Start the review."),
        ),
        S.UNDER_REVIEW: StateInfo(
            sets=_BEFORE_INSTALLATION,
            badge="text-bg-info",
            staff_action=True,
            school_label=_("Being reviewed"),
            school_next=_("The ClassContact team is checking the request."),
            staff_next=_("Check eligibility and decide."),
        ),
        S.ELIGIBLE: StateInfo(
            sets=_BEFORE_INSTALLATION,
            badge=_PLANNING,
            staff_action=True,
            school_label=_("Accepted"),
            school_next=_("The ClassContact team is reserving a kit for the pupil."),
            staff_next=_("Reserve a kit."),
        ),
        S.INELIGIBLE: StateInfo(
            badge="text-bg-danger",
            closed=True,
            school_label=_("Not accepted"),
            school_next=_("Nothing more: see the reason for the decision."),
        ),
        S.KIT_ASSIGNED: StateInfo(
            sets=_BEFORE_INSTALLATION,
            badge=_PLANNING,
            staff_action=True,
            school_label=_("Kit reserved"),
            school_next=_(
                "You will receive the convention to sign; the parents will receive their engagement."
            ),
            staff_next=_("Send the convention and the engagement."),
        ),
        S.DOCUMENTS_SENT: StateInfo(
            sets=_BEFORE_INSTALLATION,
            badge=_PLANNING,
            school_label=_("Documents to sign"),
            school_next=_(
                "The convention and the parents' engagement are being signed: see below who still has to sign."
            ),
            staff_next=_("Waiting for signatures."),
        ),
        S.DOCUMENTS_SIGNED: StateInfo(
            sets=_BEFORE_INSTALLATION,
            badge=_PLANNING,
            staff_action=True,
            school_label=_("Documents signed"),
            school_next=_("The ClassContact team will plan the installation with you."),
            staff_next=_("Plan the installation."),
        ),
        S.INSTALLATION_PLANNED: StateInfo(
            sets=_BEFORE_INSTALLATION,
            badge=_PLANNING,
            school_label=_("Installation planned"),
            school_next=_("The installation date is being fixed."),
            school_next_on=_("Installation on %(day)s."),
            staff_next=_("Installation to date."),
            staff_next_on=_("Installation on %(day)s."),
        ),
        S.ACTIVE: StateInfo(
            sets=frozenset({SCHOOL_REQUEST}),
            badge="text-bg-success",
            school_label=_("Connected"),
            school_next=_(
                "The pupil follows lessons with the class. Tell us when the kit is no longer needed."
            ),
            staff_next=_("Connected."),
        ),
        S.PAUSED: StateInfo(
            sets=frozenset({SCHOOL_REQUEST}),
            badge="text-bg-warning",
            school_label=_("Paused"),
            school_next=_(
                "The connection is paused. The ClassContact team resumes it when the pupil is back."
            ),
            staff_next=_("Paused: resume when the pupil is back."),
        ),
        S.END_REQUESTED: StateInfo(
            badge=_ENDING,
            staff_action=True,
            school_label=_("Kit to collect"),
            school_next=_("The ClassContact team will plan the collection of the kit."),
            staff_next=_("Plan the retrieval."),
        ),
        S.RETRIEVAL_PLANNED: StateInfo(
            badge=_ENDING,
            school_label=_("Collection planned"),
            school_next=_("The collection date is being fixed."),
            school_next_on=_("Collection of the kit on %(day)s."),
            staff_next=_("Retrieval to date."),
            staff_next_on=_("Retrieval on %(day)s."),
        ),
        S.KIT_RETURNED: StateInfo(
            badge=_ENDING,
            staff_action=True,
            school_label=_("Kit returned"),
            school_next=_("The kit is back and being checked; the case will then close."),
            staff_next=_("Close the case."),
        ),
        S.CLOSED: StateInfo(
            badge="text-bg-secondary",
            closed=True,
            school_label=_("Closed"),
            school_next=_("Nothing more to do."),
        ),
        S.WITHDRAWN: StateInfo(
            badge="text-bg-secondary",
            closed=True,
            school_label=_("Withdrawn"),
            school_next=_("Nothing more to do."),
        ),
    },
)

#: States after which nothing more happens to a case.
CLOSED_STATES = CASE_STATES.closed_states
OPEN_STATES = CASE_STATES.open_states
#: States in which the next move belongs to staff (shown under "needs my action").
STAFF_ACTION_STATES = CASE_STATES.staff_action_states

#: The only state changes allowed; each one is owned by one service in ``cases.services``.
TRANSITIONS: dict[str, frozenset[str]] = {
    S.DRAFT: frozenset({S.SUBMITTED}),
    S.SUBMITTED: frozenset({S.UNDER_REVIEW}),
    S.UNDER_REVIEW: frozenset({S.ELIGIBLE, S.INELIGIBLE}),
    S.ELIGIBLE: frozenset({S.KIT_ASSIGNED}),
    S.KIT_ASSIGNED: frozenset({S.DOCUMENTS_SENT}),
    S.DOCUMENTS_SENT: frozenset({S.DOCUMENTS_SIGNED}),
    S.DOCUMENTS_SIGNED: frozenset({S.INSTALLATION_PLANNED}),
    S.INSTALLATION_PLANNED: frozenset({S.ACTIVE}),
    S.ACTIVE: frozenset({S.END_REQUESTED, S.PAUSED}),
    S.PAUSED: frozenset({S.ACTIVE}),
    S.END_REQUESTED: frozenset({S.RETRIEVAL_PLANNED}),
    S.RETRIEVAL_PLANNED: frozenset({S.KIT_RETURNED}),
    S.KIT_RETURNED: frozenset({S.CLOSED}),
    S.INELIGIBLE: frozenset(),
    S.CLOSED: frozenset(),
    S.WITHDRAWN: frozenset(),
}
# Any open state may be withdrawn (with a reason).
for _state in OPEN_STATES:
    TRANSITIONS[_state] = TRANSITIONS[_state] | {S.WITHDRAWN}
del _state

#: States in which a director may still withdraw the request; once the kit is installed
#: they say instead that it is no longer needed, so that it is retrieved.
DIRECTOR_WITHDRAW_STATES = CASE_STATES.states_in(DIRECTOR_WITHDRAW)
#: States in which a presentation to the teaching team or the classmates' letter may be asked.
SCHOOL_REQUEST_STATES = CASE_STATES.states_in(SCHOOL_REQUEST)
