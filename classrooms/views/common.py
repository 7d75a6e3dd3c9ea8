"""What the programme's pages share: the 404 for anonymous visitors, and refusals as messages."""

from collections.abc import Callable
from functools import wraps

from django.contrib import messages
from django.http import HttpRequest
from django.shortcuts import redirect
from django.utils.translation import gettext_lazy

from classcontact.decorators import anonymous_not_found
from classcontact.workflow import InvalidTransition

from ..models import ApplicationStatus
from ..services import ClassroomError

ERROR_MOVED_ON = gettext_lazy(
    "This is not possible any more: the application is now “%(state)s”. The page shows where it stands."
)
ERROR_FORM = gettext_lazy("Please correct the highlighted fields.")


#: Anonymous visitors get a 404 page with a way to log in; views raise 404 for outsiders.
programme_page = anonymous_not_found("classrooms/not_found.html")


def post_only(back: str, key: str):
    """A form of a page posts here; anything else (a reload, the language switch) goes back to it."""

    def decorate(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if request.method != "POST":
                return redirect(back, **{key: kwargs[key]})
            return view(request, *args, **kwargs)

        return wrapper

    return decorate


def attempt(request: HttpRequest, call: Callable[[], object], success: str) -> bool:
    """Run a service; a refusal becomes an error message instead of an error page."""
    try:
        call()
    except ClassroomError as error:
        messages.error(request, error.message)
        return False
    except InvalidTransition as error:
        messages.error(request, ERROR_MOVED_ON % {"state": ApplicationStatus(error.current).label})
        return False
    messages.success(request, success)
    return True
