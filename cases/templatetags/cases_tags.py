"""Template helpers for cases: plain-word states, badges, the dashboard block, sorting links."""

from django import template

from loans.selectors import KitPanel, holder_kit_panel, user_manages_inventory, user_plans_visits
from schools.selectors import user_is_staff_member

from ..selectors import dashboard_cases, school_next_step, school_state_label, user_can_request_cases
from ..states import CaseStatus

register = template.Library()

#: States in which no visit is planned any more: the kit is back or the case is over.
NO_VISIT_STATES = frozenset({CaseStatus.KIT_RETURNED, CaseStatus.CLOSED, CaseStatus.WITHDRAWN})


@register.filter
def school_state(case) -> str:
    return school_state_label(case)


@register.filter
def next_step(case) -> str:
    return school_next_step(case)


@register.simple_tag(takes_context=True)
def manages_cases(context) -> bool:
    """Does the person on the page direct a school (and so may ask for connections)?"""
    request = context.get("request")
    return bool(request and user_can_request_cases(request.user))


@register.simple_tag(takes_context=True)
def school_cases(context, school) -> list:
    """A school's recent cases for the dashboard; one query for all the person's schools."""
    request = context["request"]
    grouped = getattr(request, "_loans_dashboard_cases", None)
    if grouped is None:
        grouped = dashboard_cases(request.user)
        request._loans_dashboard_cases = grouped
    return grouped.get(school.pk, [])


@register.simple_tag(takes_context=True)
def sort_query(context, key: str) -> str:
    """The query string that sorts by ``key``, or by ``-key`` when already sorted by it."""
    request = context["request"]
    current = request.GET.get("sort") or "updated"
    params = request.GET.copy()
    params["sort"] = f"-{key}" if current == key else key
    params.pop("page", None)
    return params.urlencode()


@register.simple_tag(takes_context=True)
def sort_indicator(context, key: str) -> str:
    current = context["request"].GET.get("sort") or "updated"
    if current == key:
        return "▲" if key in ("number", "pupil", "school", "state") else "▼"
    if current == f"-{key}":
        return "▼" if key in ("number", "pupil", "school", "state") else "▲"
    return ""


@register.simple_tag(takes_context=True)
def aria_sort(context, key: str) -> str:
    """``ascending`` or ``descending`` for the column the board is sorted by, else ``none``."""
    arrow = sort_indicator(context, key)
    return {"▲": "ascending", "▼": "descending"}.get(arrow, "none")


@register.inclusion_tag("cases/partials/kit_panel.html", takes_context=True)
def case_kit_panel(context, case):
    """The kit, visits and referrals of a case (3 queries); staff also get the actions::

    {% load cases_tags %}{% case_kit_panel case %}
    """
    user = context["request"].user
    return {
        "staff": user_is_staff_member(user),
        "case": case,
        # A case no kit was reserved nor visit planned for has none to read.
        "panel": holder_kit_panel(case)
        if case.logistics_started
        else KitPanel(loans=[], visits=[], referrals=[]),
        # Once the kit is back there is nothing left to visit.
        "can_plan": user_plans_visits(user) and case.status not in NO_VISIT_STATES,
        "can_check_in": user_manages_inventory(user),
        "request": context["request"],
    }
