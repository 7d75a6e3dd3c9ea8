"""What the case pages share: the 404 for anonymous visitors, and a refusal turned into a message."""

from collections.abc import Callable

from django.contrib import messages
from django.http import HttpRequest
from django.utils.translation import gettext_lazy

from classcontact.decorators import anonymous_not_found
from classcontact.workflow import InvalidTransition

from .. import services
from ..models import CaseStatus

ERROR_MOVED_ON = gettext_lazy(
    "This is not possible any more: the case is now “%(state)s”. The page shows where it stands."
)
ERROR_FORM = gettext_lazy("Please correct the highlighted fields.")


#: Anonymous visitors get a 404 page with a way to log in; views raise 404 for outsiders.
case_page = anonymous_not_found("cases/not_found.html")


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
