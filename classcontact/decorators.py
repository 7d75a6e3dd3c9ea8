from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import render


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


def anonymous_not_found(template: str):
    """A view whose anonymous visitors get the ``template`` 404 page (with a way to log in), as any
    outsider does; the view itself raises 404 for the logged-in outsiders."""

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return render(request, template, {"next": request.get_full_path()}, status=404)
            return view(request, *args, **kwargs)

        wrapper.anonymous_gets_404 = True  # read by the URL walk test
        return wrapper

    return decorator
