"""Who sees which kits, loans, visits, referrals and schools."""

from django.db.models import Exists, OuterRef, Q, QuerySet

from schools.models import School, StaffRole
from schools.selectors import managed_school_ids, user_has_staff_role, user_is_staff_member

from ..models import InternetReferral, Kit, Loan, LoanStatus, Visit

OPEN_LOAN_STATES = (LoanStatus.RESERVED, LoanStatus.LENT)


# --- who sees what -----------------------------------------------------------------------------


def user_sees_all_visits(user) -> bool:
    """Coordinators, helpdesk and read-only staff see every visit; a technician only their own."""
    return user_has_staff_role(user, StaffRole.COORDINATOR, StaffRole.HELPDESK_AGENT, StaffRole.READ_ONLY)


def user_manages_inventory(user) -> bool:
    """Technicians and coordinators move kits, check them in and log repairs."""
    return user_has_staff_role(user, StaffRole.COORDINATOR, StaffRole.TECHNICIAN)


def user_plans_visits(user) -> bool:
    return user_has_staff_role(user, StaffRole.COORDINATOR)


def kits_visible_to(user) -> QuerySet[Kit]:
    """Staff see every kit; directors the kits at their schools or booked for them."""
    if user_is_staff_member(user):
        return Kit.objects.all()
    school_ids = managed_school_ids(user)
    if not school_ids:
        return Kit.objects.none()
    booked = Loan.objects.filter(kit=OuterRef("pk"), school_id__in=school_ids, status__in=OPEN_LOAN_STATES)
    return Kit.objects.filter(Q(school_id__in=school_ids) | Exists(booked))


def loans_visible_to(user) -> QuerySet[Loan]:
    if user_is_staff_member(user):
        return Loan.objects.all()
    school_ids = managed_school_ids(user)
    if not school_ids:
        return Loan.objects.none()
    return Loan.objects.filter(school_id__in=school_ids)


def visits_visible_to(user) -> QuerySet[Visit]:
    """Coordinators (and read-only staff) every visit, technicians theirs, directors their schools'."""
    if user_is_staff_member(user):
        if user_sees_all_visits(user):
            return Visit.objects.all()
        return Visit.objects.filter(technician=user)
    school_ids = managed_school_ids(user)
    if not school_ids:
        return Visit.objects.none()
    return Visit.objects.filter(school_id__in=school_ids)


def referrals_visible_to(user) -> QuerySet[InternetReferral]:
    if user_is_staff_member(user):
        return InternetReferral.objects.all()
    school_ids = managed_school_ids(user)
    if not school_ids:
        return InternetReferral.objects.none()
    return InternetReferral.objects.filter(school_id__in=school_ids)


def schools_with_kits_for(user) -> QuerySet[School]:
    """The schools whose kits, loans and visits the user may follow (directors: their own)."""
    if user_is_staff_member(user):
        return School.objects.all()
    return School.objects.filter(pk__in=managed_school_ids(user))
