"""Reads of the school directory, always scoped to what a user may see."""

from django.db.models import QuerySet

from .models import Membership, MembershipRole, School, StaffRole


def user_is_staff_member(user) -> bool:
    return bool(user.is_authenticated and user.is_active and user.is_staff)


def user_staff_roles(user) -> set[str]:
    if not user_is_staff_member(user):
        return set()
    if user.is_superuser:
        return {StaffRole.COORDINATOR.value}
    cached = getattr(user, "_staff_roles_cache", None)
    if cached is None:
        cached = set(user.groups.filter(name__in=StaffRole.values).values_list("name", flat=True))
        user._staff_roles_cache = cached
    return cached


def user_has_staff_role(user, *roles: str) -> bool:
    return bool(user_staff_roles(user) & set(roles))


def schools_visible_to(user) -> QuerySet[School]:
    """Staff see every school; anyone else sees the schools they belong to."""
    if user_is_staff_member(user):
        return School.objects.all()
    if not user.is_authenticated:
        return School.objects.none()
    return School.objects.filter(memberships__user=user).distinct()


def schools_managed_by(user) -> QuerySet[School]:
    """Schools where the user is the director or the director's delegate."""
    if not user.is_authenticated:
        return School.objects.none()
    return School.objects.filter(
        memberships__user=user,
        memberships__role__in=[MembershipRole.DIRECTOR, MembershipRole.DELEGATE],
    ).distinct()


def memberships_of(user) -> QuerySet[Membership]:
    if not user.is_authenticated:
        return Membership.objects.none()
    return Membership.objects.filter(user=user).select_related("school")
