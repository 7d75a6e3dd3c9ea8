"""What every page of the kit logistics shares: the staff-only gate and the pages of a list."""

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest

from classcontact.paging import paginate
from schools.selectors import user_is_staff_member


def staff_page(view):
    """Staff only; anyone else gets the 404 an unknown address gets (login first when anonymous)."""

    @login_required
    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs):
        if not user_is_staff_member(request.user):
            raise Http404
        return view(request, *args, **kwargs)

    return wrapper


__all__ = ["paginate", "staff_page"]
