"""Template helpers for kits, loans and visits: state badges."""

from django import template

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
