"""The only way a view fetches a school-scoped object: outsiders get a 404, never data."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from .models import School
from .selectors import schools_managed_by, schools_visible_to, user_is_staff_member


def access_school(user, school_id: int) -> School:
    return get_object_or_404(schools_visible_to(user), pk=school_id)


def access_managed_school(user, school_id: int) -> School:
    """A school the user directs (or is delegate of); staff may act for any school."""
    if user_is_staff_member(user):
        return get_object_or_404(School, pk=school_id)
    return get_object_or_404(schools_managed_by(user), pk=school_id)


def require_staff(user) -> None:
    if not user_is_staff_member(user):
        raise PermissionDenied
