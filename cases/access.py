"""The only way a view fetches a case. Anyone who may not see it gets a 404, never data.

A case is found by its random ``public_id``; its human number never opens anything.
"""

from django.core.exceptions import PermissionDenied
from django.http import Http404

from loans.selectors import user_plans_visits
from schools.selectors import user_is_staff_member

from .models import ConnectionCase
from .selectors import (
    case_for_page,
    case_page_people,
    cases_of_director,
    cases_visible_to,
    user_can_read_health_data,
)
from .services import health_read_record


def _get(queryset, case_id, *, for_page: bool = False) -> ConnectionCase:
    # ``get`` reads without the cases' default order (``first`` sorts the one row it finds).
    try:
        case = queryset.get(public_id=case_id)
    except ConnectionCase.DoesNotExist:
        raise Http404 from None
    return case_page_people(case) if for_page else case


def access_case(user, case_id, *, for_page: bool = False) -> ConnectionCase:
    """A case the user may see: staff any, directors and delegates their schools' ones."""
    if not user.is_authenticated:
        raise Http404
    queryset = cases_visible_to(user)
    if for_page:
        queryset = case_for_page(queryset, staff=user_is_staff_member(user))
    return _get(queryset, case_id, for_page=for_page)


def access_case_for_director(user, case_id, *, for_page: bool = False) -> ConnectionCase:
    """A case of a school the user directs or is delegate of (the school's side of a case)."""
    if not user.is_authenticated:
        raise Http404
    queryset = cases_of_director(user)
    if for_page:
        queryset = case_for_page(queryset, staff=False)
    return _get(queryset, case_id, for_page=for_page)


def access_case_for_staff(user, case_id, *, for_page: bool = False) -> ConnectionCase:
    """Any case, for staff only."""
    if not user_is_staff_member(user):
        raise Http404
    queryset = ConnectionCase.objects.all()
    if for_page:
        queryset = case_for_page(queryset, staff=True)
    return _get(queryset, case_id, for_page=for_page)


def access_case_health_data(user, case_id, *, field: str, context: str) -> ConnectionCase:
    """A case whose health-related data the user is about to read; the read is logged.

    Only staff coordinators read it; everyone else gets a 404.
    """
    case = access_case_for_staff(user, case_id)
    if not user_can_read_health_data(user):
        raise Http404
    health_read_record(user=user, case=case, field=field, context=context)
    return case


def access_case_for_planning(user, case_id) -> ConnectionCase:
    """A case for which a coordinator reserves a kit or plans a visit; other staff 403."""
    case = access_case_for_staff(user, case_id)
    if not user_plans_visits(user):
        raise PermissionDenied
    return case
