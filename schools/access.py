"""The only way a view fetches a school-scoped object: outsiders get a 404, never data."""

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from .models import School, StaffRole
from .selectors import schools_managed_by, schools_visible_to, user_has_staff_role, user_is_staff_member


def access_school(user, school_id: int) -> School:
    """A school the user may see: staff see every school, members see their own."""
    return get_object_or_404(schools_visible_to(user), pk=school_id)


def user_can_manage_school(user, school: School) -> bool:
    """Coordinators manage every school; directors and delegates manage their own."""
    if user_is_staff_member(user):
        return user_has_staff_role(user, StaffRole.COORDINATOR)
    return schools_managed_by(user).filter(pk=school.pk).exists()


def access_managed_school(user, school_id: int) -> School:
    """A school the user may manage (invite people to).

    Members who do not manage the school and people of other schools get a 404; staff who
    are not coordinators see the school anyway, so they get a 403.
    """
    if user_is_staff_member(user):
        school = get_object_or_404(School, pk=school_id)
        if not user_has_staff_role(user, StaffRole.COORDINATOR):
            raise PermissionDenied
        return school
    return get_object_or_404(schools_managed_by(user), pk=school_id)


def require_staff(user) -> None:
    if not user_is_staff_member(user):
        raise PermissionDenied


def lockout_username(request, credentials: dict | None = None) -> str | None:
    """The name django-axes counts failed logins under: the e-mail address in lower case.

    Without it, "Ann@x.org" and "ann@x.org" would be two separate counters, and changing the
    case of one letter would reset the count. Used by the portal's and the admin's login.
    """
    source = credentials if credentials else getattr(request, "POST", {})
    username = (source or {}).get(settings.AXES_USERNAME_FORM_FIELD)
    return username.strip().lower() if isinstance(username, str) else username
