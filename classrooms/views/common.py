"""What the programme's pages share: the 404 for anonymous visitors, and refusals as messages."""

from collections.abc import Callable
from functools import wraps

from django.contrib import messages
from django.http import HttpRequest
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy

from classcontact.workflow import InvalidTransition

from ..models import ApplicationStatus
from ..services import ClassroomError

ERROR_MOVED_ON = gettext_lazy(
    "This is not possible any more: the application is now “%(state)s”. The page shows where it stands."
)
ERROR_FORM = gettext_lazy("Please correct the highlighted fields.")


def programme_page(view):
    """Anonymous visitors get a 404 page (with a way to log in), as any outsider does."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return render(request, "classrooms/not_found.html", {"next": request.get_full_path()}, status=404)
        return view(request, *args, **kwargs)

    wrapper.anonymous_gets_404 = True  # read by the URL walk test
    return wrapper


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
