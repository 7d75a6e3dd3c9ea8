"""Reads of the helpdesk, always scoped to what a user may see.

One module per concern: who sees what, links to cases and kits, targets, the queue and
school lists, articles, the desk itself.
"""

from .articles import (
    STOP_WORDS,
    articles_search,
    articles_similar,
)
from .conversation import conversation
from .dashboard import (
    HelpdeskFigures,
    TargetCounts,
    helpdesk_figures,
)
from .desk import (
    HelpdeskStatus,
    helpdesk_staff,
    helpdesk_status,
)
from .links import (
    OPEN_LOAN_STATES,
    LinkChoice,
    case_label,
    kit_case_ids,
    link_choices,
    linkable_cases,
    linkable_kits,
    open_case_loans,
    pupil_short_name,
)
from .lists import (
    CASE_NUMBER_RE,
    KIT_CODE_MAX_LENGTH,
    REFERENCE_RE,
    SCHOOL_ID_LIST_LIMIT,
    STATE_ACTIVE,
    STATE_ALL,
    queue_tickets,
    school_ticket_list,
    ticket_history,
)
from .targets import (
    DUE_SOON_HOURS,
    TargetInfo,
    TargetState,
    due_soon_q,
    due_soon_threshold,
    next_due_expression,
    past_target_q,
    running_due,
    ticket_target_state,
    ticket_targets,
    with_target_states,
)
from .visibility import (
    HELPDESK_ROLES,
    articles_visible_to,
    attachments_by_message,
    attachments_visible_to,
    messages_visible_to,
    schools_for_tickets,
    tickets_of_member,
    tickets_visible_to,
    user_works_helpdesk,
)

__all__ = [
    "CASE_NUMBER_RE",
    "DUE_SOON_HOURS",
    "HELPDESK_ROLES",
    "HelpdeskFigures",
    "HelpdeskStatus",
    "KIT_CODE_MAX_LENGTH",
    "LinkChoice",
    "OPEN_LOAN_STATES",
    "REFERENCE_RE",
    "SCHOOL_ID_LIST_LIMIT",
    "STATE_ACTIVE",
    "STATE_ALL",
    "STOP_WORDS",
    "TargetCounts",
    "TargetInfo",
    "TargetState",
    "articles_search",
    "articles_similar",
    "articles_visible_to",
    "attachments_by_message",
    "attachments_visible_to",
    "case_label",
    "conversation",
    "due_soon_q",
    "due_soon_threshold",
    "helpdesk_figures",
    "helpdesk_staff",
    "helpdesk_status",
    "kit_case_ids",
    "link_choices",
    "linkable_cases",
    "linkable_kits",
    "messages_visible_to",
    "next_due_expression",
    "open_case_loans",
    "past_target_q",
    "pupil_short_name",
    "queue_tickets",
    "running_due",
    "school_ticket_list",
    "schools_for_tickets",
    "ticket_history",
    "ticket_target_state",
    "ticket_targets",
    "tickets_of_member",
    "tickets_visible_to",
    "user_works_helpdesk",
    "with_target_states",
]
