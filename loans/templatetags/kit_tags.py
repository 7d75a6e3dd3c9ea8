"""Template helpers for kits, loans and visits: state badges and the case's kit panel."""

from django import template

from schools.selectors import user_is_staff_member

from ..kit_selectors import case_kit_panel as select_case_kit_panel
from ..kit_selectors import user_manages_inventory, user_plans_visits
from ..models import InventoryState, LoanStatus, ReferralStatus, VisitStatus

register = template.Library()

BADGES = {
    InventoryState.AVAILABLE: "text-bg-success",
    InventoryState.RESERVED: "text-bg-info",
    InventoryState.LENT: "text-bg-primary",
    InventoryState.IN_REPAIR: "text-bg-warning",
    InventoryState.LOST: "text-bg-danger",
    InventoryState.RETIRED: "text-bg-secondary",
    LoanStatus.RETURNED: "text-bg-secondary",
    LoanStatus.CANCELLED: "text-bg-light border",
    VisitStatus.PLANNED: "text-bg-info",
    VisitStatus.DONE: "text-bg-success",
    VisitStatus.CANCELLED: "text-bg-light border",
    ReferralStatus.REFERRED: "text-bg-info",
    ReferralStatus.IN_PROGRESS: "text-bg-primary",
    ReferralStatus.FIXED: "text-bg-success",
    ReferralStatus.NOT_POSSIBLE: "text-bg-danger",
}


@register.filter
def kit_badge(state: str) -> str:
    """Bootstrap classes of a kit, item, loan, visit or referral state."""
    return BADGES.get(state, "text-bg-secondary")


@register.inclusion_tag("loans/kits/partials/case_panel.html", takes_context=True)
def case_kit_panel(context, case):
    """The kit, visits and referrals of a case (3 queries); staff also get the actions::

    {% load kit_tags %}{% case_kit_panel case %}
    """
    user = context["request"].user
    return {
        "staff": user_is_staff_member(user),
        "case": case,
        "panel": select_case_kit_panel(case),
        "can_plan": user_plans_visits(user),
        "can_check_in": user_manages_inventory(user),
        "request": context["request"],
    }
