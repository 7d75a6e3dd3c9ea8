"""What the case pages share: the 404 for anonymous visitors, and a refusal turned into a message."""

from collections.abc import Callable
from functools import wraps

from django.contrib import messages
from django.http import HttpRequest
from django.shortcuts import render
from django.utils.translation import gettext_lazy

from classcontact.workflow import InvalidTransition

from .. import services
from ..models import CaseStatus

ERROR_MOVED_ON = gettext_lazy(
    "This is not possible any more: the case is now “%(state)s”. The page shows where it stands."
)
ERROR_FORM = gettext_lazy("Please correct the highlighted fields.")


def case_page(view):
    """Anonymous visitors get a 404 page (with a way to log in); views raise 404 for outsiders."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return render(request, "cases/not_found.html", {"next": request.get_full_path()}, status=404)
        return view(request, *args, **kwargs)

    wrapper.anonymous_gets_404 = True  # read by the URL walk test
    return wrapper


def attempt(request: HttpRequest, call: Callable[[], object], success: str) -> bool:
    """Run a service; a refusal becomes an error message instead of an error page."""
    try:
        call()
    except services.CaseError as error:
        messages.error(request, error.message)
        return False
    except InvalidTransition as error:
        messages.error(request, ERROR_MOVED_ON % {"state": CaseStatus(error.current).label})
        return False
    messages.success(request, success)
    return True
