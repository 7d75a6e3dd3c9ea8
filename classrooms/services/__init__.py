"""Writes of the mobile classroom programme. One function owns each state change.

Every function locks what it changes, checks the change against the transition table,
writes the change and its timeline event in one transaction, and hands e-mails and PDFs
to the workers once that transaction has committed.
"""

from .applications import (
    APPLICATION_FIELDS,
    ApplicationData,
    application_invite,
    application_save_draft,
    application_submit,
    application_withdraw,
    attachment_add,
    attachment_remove,
    missing_fields,
)
from .commission import (
    ERROR_PROPOSAL_INCOMPLETE,
    ERROR_RANK_TAKEN,
    ERROR_SESSION_NOT_OPEN,
    ERROR_TRIMESTER_AND_KIT,
    ERROR_TRIMESTER_FULL,
    proposal_record,
    session_add_applications,
    session_create,
    session_record_presence,
    session_remove_application,
    session_send_proposals,
    session_store_minutes,
)
from .common import (
    ERROR_CAMPAIGN_CLOSED,
    ERROR_DIRECTOR_ONLY,
    ERROR_INCOMPLETE,
    ERROR_NOT_ALLOWED,
    ERROR_NOT_DRAFT,
    ERROR_REASON_REQUIRED,
    ClassroomError,
    notifications_off,
)
from .decision import ERROR_ALREADY_DECIDED, ERROR_NOT_SENT, proposal_decide, session_decide_all
from .deployment import (
    ClassroomHolder,
    deployment_visit_plan,
    deployments_start_due,
    placement_create,
    placement_move,
)
from .review import application_give_opinion
from .training import (
    SessionFull,
    training_cancel,
    training_record_attendance,
    training_register,
    training_session_create,
)

__all__ = [
    "APPLICATION_FIELDS",
    "ApplicationData",
    "ClassroomError",
    "ERROR_ALREADY_DECIDED",
    "ERROR_CAMPAIGN_CLOSED",
    "ERROR_DIRECTOR_ONLY",
    "ERROR_INCOMPLETE",
    "ERROR_NOT_ALLOWED",
    "ERROR_NOT_DRAFT",
    "ERROR_NOT_SENT",
    "ERROR_PROPOSAL_INCOMPLETE",
    "ERROR_RANK_TAKEN",
    "ERROR_REASON_REQUIRED",
    "ERROR_SESSION_NOT_OPEN",
    "ERROR_TRIMESTER_AND_KIT",
    "ERROR_TRIMESTER_FULL",
    "ClassroomHolder",
    "SessionFull",
    "application_give_opinion",
    "deployment_visit_plan",
    "deployments_start_due",
    "placement_create",
    "placement_move",
    "training_cancel",
    "training_record_attendance",
    "training_register",
    "training_session_create",
    "application_invite",
    "application_save_draft",
    "application_submit",
    "application_withdraw",
    "attachment_add",
    "attachment_remove",
    "missing_fields",
    "notifications_off",
    "proposal_decide",
    "proposal_record",
    "session_add_applications",
    "session_create",
    "session_decide_all",
    "session_record_presence",
    "session_remove_application",
    "session_send_proposals",
    "session_store_minutes",
]
