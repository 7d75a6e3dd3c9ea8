"""The only way a view fetches a kit, a loan, a visit or a feed: anyone else gets a 404."""

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404

from schools.models import School
from schools.selectors import managed_school_ids, user_is_staff_member

from .models import CalendarFeed, InternetReferral, Kit, Loan, Visit
from .selectors import (
    kit_for_page,
    kits_visible_to,
    loan_for_checkin,
    loans_visible_to,
    referrals_visible_to,
    schools_with_kits_for,
    user_manages_inventory,
    user_plans_visits,
    visit_for_page,
    visits_visible_to,
)


def _first(queryset, pk):
    found = queryset.filter(pk=pk).first()
    if found is None:
        raise Http404
    return found


def access_kit(user, kit_id: int) -> Kit:
    """A kit the user may see: staff any, directors the kits at or booked for their schools."""
    if not user.is_authenticated:
        raise Http404
    return _first(kit_for_page(kits_visible_to(user)), kit_id)


def access_kit_room(user, kit_id: int) -> Kit:
    """A kit whose room the user may change: a director of the school it is at, or a technician.

    Other staff may see the kit but not move it (403).
    """
    if not user.is_authenticated:
        raise Http404
    if user_is_staff_member(user):
        kit = _first(Kit.objects.all(), kit_id)
        if not user_manages_inventory(user):
            raise PermissionDenied
        return kit
    return _first(Kit.objects.filter(school_id__in=managed_school_ids(user)), kit_id)


def access_kit_for_inventory(user, kit_id: int) -> Kit:
    """A kit for technicians and coordinators (swaps, repairs); other staff 403, others 404."""
    if not user_is_staff_member(user):
        raise Http404
    kit = _first(kit_for_page(Kit.objects.all()), kit_id)
    if not user_manages_inventory(user):
        raise PermissionDenied
    return kit


def access_loan(user, loan_id: int) -> Loan:
    if not user.is_authenticated:
        raise Http404
    return _first(loan_for_checkin(loans_visible_to(user)), loan_id)


def access_loan_for_inventory(user, loan_id: int) -> Loan:
    """A loan to hand over or check in: technicians and coordinators only."""
    if not user_is_staff_member(user):
        raise Http404
    loan = _first(loan_for_checkin(Loan.objects.all()), loan_id)
    if not user_manages_inventory(user):
        raise PermissionDenied
    return loan


def require_planner(user) -> None:
    if not user_is_staff_member(user):
        raise Http404
    if not user_plans_visits(user):
        raise PermissionDenied


def access_visit(user, visit_id: int) -> Visit:
    """A visit the user may see: coordinators any, technicians theirs, directors their schools'."""
    if not user.is_authenticated:
        raise Http404
    return _first(visit_for_page(visits_visible_to(user)), visit_id)


def access_visit_for_technician(user, visit_id: int) -> Visit:
    """A visit the user may mark done or refer on: its technician, or a coordinator."""
    if not user_is_staff_member(user):
        raise Http404
    visit = access_visit(user, visit_id)
    if visit.technician_id != user.pk and not user_plans_visits(user):
        raise PermissionDenied
    return visit


def access_visit_for_planner(user, visit_id: int) -> Visit:
    """A visit to move or cancel: coordinators only."""
    require_planner(user)
    return access_visit(user, visit_id)


def access_referral(user, referral_id: int, *, for_change: bool = False) -> InternetReferral:
    if not user.is_authenticated:
        raise Http404
    referral = _first(referrals_visible_to(user).select_related("school", "visit"), referral_id)
    if for_change and not user_is_staff_member(user):
        raise Http404
    if for_change and not user_manages_inventory(user):
        raise PermissionDenied
    return referral


def access_school_kits(user, school_id: int) -> School:
    """A school whose kits, loans and visits the user follows: staff any, directors their own."""
    if not user.is_authenticated:
        raise Http404
    return _first(schools_with_kits_for(user), school_id)


def access_feed(user, feed_id: int) -> CalendarFeed:
    """A feed the user may revoke: their own, or their school's (directors); coordinators any."""
    if not user.is_authenticated:
        raise Http404
    feeds = CalendarFeed.objects.all()
    if not user_plans_visits(user):
        feeds = feeds.filter(Q(user=user) | Q(school_id__in=managed_school_ids(user)))
    return _first(feeds, feed_id)
