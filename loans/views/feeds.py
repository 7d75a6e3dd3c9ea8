"""Calendar feeds of visits: managed with a login, read by calendar apps with the token alone."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from schools.selectors import managed_school_ids, user_is_staff_member

from .. import services
from ..access import access_feed, access_school_kits
from ..ical import visits_to_ical
from ..selectors import feed_for_token, feed_visits, feeds_of, schools_with_kits_for, user_manages_inventory

# --- calendar feeds ----------------------------------------------------------------------------


def _feed_url(request: HttpRequest, token: str) -> str:
    return request.build_absolute_uri(reverse("loans:feed_ical", kwargs={"token": token}))


def _feed_page(request: HttpRequest, *, new_url: str = "", status: int = 200) -> HttpResponse:
    user = request.user
    context = {
        "feeds": list(feeds_of(user)),
        "can_have_own": user_is_staff_member(user) and user_manages_inventory(user),
        "schools": list(schools_with_kits_for(user).order_by("name"))
        if not user_is_staff_member(user)
        else [],
        "new_url": new_url,
    }
    return render(request, "loans/feed_list.html", context, status=status)


@login_required
def feed_list(request: HttpRequest) -> HttpResponse:
    """Private calendar addresses of visits: a technician's own, a director's school's."""
    if not user_is_staff_member(request.user) and not managed_school_ids(request.user):
        raise Http404
    return _feed_page(request)


@login_required
@require_POST
def feed_create(request: HttpRequest) -> HttpResponse:
    """Make a new address (the old one stops working); it is shown once, on this answer."""
    user = request.user
    school_id = request.POST.get("school")
    if school_id:
        if not str(school_id).isdigit():
            raise Http404
        school = access_school_kits(user, int(school_id))
        if user_is_staff_member(user):
            raise PermissionDenied
        feed, token = services.feed_create_for_school(school=school, by=user)
    else:
        if not (user_is_staff_member(user) and user_manages_inventory(user)):
            raise Http404
        feed, token = services.feed_create_for_technician(technician=user, by=user)
    response = _feed_page(request, new_url=_feed_url(request, token))
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_POST
def feed_revoke(request: HttpRequest, feed_id: int) -> HttpResponse:
    feed = access_feed(request.user, feed_id)
    services.feed_revoke(feed=feed, by=request.user)
    messages.success(request, _("The calendar address no longer works."))
    return redirect("loans:feed_list")


@never_cache
@require_GET
def feed_ical(request: HttpRequest, token: str) -> HttpResponse:
    """Public by token: the visits of a technician or a school, for calendar apps."""
    feed = feed_for_token(token)
    if feed is None:
        raise Http404
    services.feed_mark_read(feed=feed)
    if feed.user_id:
        name = _("ClassContact visits – %(name)s") % {"name": feed.user}
    else:
        name = _("ClassContact visits – %(name)s") % {"name": feed.school.name}
    body = visits_to_ical(feed_visits(feed), name=name, for_technician=bool(feed.user_id))
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="classcontact-visits.ics"'
    response["X-Robots-Tag"] = "noindex"
    return response
