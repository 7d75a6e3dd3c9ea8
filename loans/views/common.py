"""What every page of the kit logistics shares: the staff-only gate and the pages of a list."""

from functools import wraps

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest

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


def paginate(request: HttpRequest, queryset, size: int | None = None):
    return Paginator(queryset, size or settings.PAGE_SIZE).get_page(request.GET.get("page"))
