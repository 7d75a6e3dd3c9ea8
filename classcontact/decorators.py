from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied


def staff_required(view=None, *, roles: tuple[str, ...] = ()):
    """Logged-in staff only (optionally with one of ``roles``); others get a 403 page."""

    def decorator(func):
        @login_required
        @wraps(func)
        def wrapper(request, *args, **kwargs):
            from schools.selectors import user_has_staff_role, user_is_staff_member

            if not user_is_staff_member(request.user):
                raise PermissionDenied
            if roles and not user_has_staff_role(request.user, *roles):
                raise PermissionDenied
            return func(request, *args, **kwargs)

        return wrapper

    return decorator(view) if view is not None else decorator
