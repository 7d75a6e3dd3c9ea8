"""The programme's side of an application: the inspector's inbox and opinion, invitations,
and the list the adviser and the commission filter and search."""

from dataclasses import dataclass

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from classcontact.homes import home_lines
from classcontact.paging import paginate

from .. import roles, services
from ..access import access_application_for_opinion, access_reviewed_application
from ..forms import ApplicationFilterForm, InviteForm, OpinionForm
from ..models import APPLICATION_STATES, Application, ApplicationStatus, ClassLevel, Opinion, Origin
from ..models.applications import UNNAMED_CLASS
from ..selectors import (
    application_list,
    inspector_inbox,
    open_campaigns,
    schools_invitable_by,
    timeline,
)
from .common import ERROR_FORM, attempt, post_only, programme_page


@programme_page
def home(request: HttpRequest) -> HttpResponse:
    """The first page of the programme's people: what waits for them, each line one click
    from its first item (a school's member goes to the school's applications)."""
    if not roles.has_programme_role(request.user):
        return redirect("classrooms:list")
    return render(request, "classrooms/home.html", {"lines": home_lines(request.user)})


@programme_page
def inbox(request: HttpRequest) -> HttpResponse:
    """An inspector's applications: those waiting for an opinion first, oldest first."""
    if not roles.is_inspector(request.user):
        raise Http404
    waiting, others = inspector_inbox(request.user)
    page = Paginator(others, settings.PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "classrooms/inbox.html", {"waiting": waiting, "page_obj": page})


@programme_page
def review_list(request: HttpRequest) -> HttpResponse:
    """All applications the person follows, with filters and search."""
    user = request.user
    if not (roles.follows_all(user) or roles.is_resource_teacher(user) or roles.is_inspector(user)):
        raise Http404
    form = ApplicationFilterForm(request.GET or None)
    # Counted up to a cap: a broad filter costs what a narrow one does.
    page = paginate(request, application_list(user=user, filters=form.filters()))
    context = {"form": form, "page_obj": page, "rows": list_rows(page)}
    return render(request, "classrooms/review_list.html", context)


@dataclass(frozen=True)
class ListRow:
    """A line of the list, its labels read once for the page: ``get_FOO_display`` hashes
    every choice at each call, and ``{% url %}`` resolves the pattern at each row."""

    application: Application
    url: str
    class_label: str
    origin_label: str
    opinion_label: str
    status_label: str
    badge: str


CHOICES = (ClassLevel, Opinion, ApplicationStatus)


def list_rows(applications) -> list[ListRow]:
    levels, opinions, states = ({value: str(label) for value, label in c.choices} for c in CHOICES)
    origins = {Origin.INVITED: _("Invited"), Origin.SPONTANEOUS: _("By itself")}
    prefix = reverse("classrooms:review_list")
    rows = []
    for application in applications:
        class_label = " · ".join(
            part for part in (application.class_name, levels.get(application.level, "")) if part
        )
        rows.append(
            ListRow(
                application=application,
                url=f"{prefix}{application.public_id}/",
                class_label=class_label or str(UNNAMED_CLASS),
                origin_label=origins.get(application.origin, ""),
                opinion_label=opinions.get(application.opinion, ""),
                status_label=states.get(application.status, application.status),
                badge=APPLICATION_STATES.badge(application.status),
            )
        )
    return rows


def _review(request: HttpRequest, application, *, status: int = 200, opinion_form=None) -> HttpResponse:
    user = request.user
    may_give_opinion = (
        application.status == ApplicationStatus.SUBMITTED
        and roles.is_inspector(user)
        and application.school.inspection_district is not None
        and application.school.inspection_district.inspector_id == user.pk
    )
    context = {
        "application": application,
        "timeline": timeline(application, public_only=False),
        "opinion_form": opinion_form or (OpinionForm() if may_give_opinion else None),
        "proposals": list(application.proposals.select_related("session", "trimester", "kit_type"))
        if roles.reads_sessions(user)
        else [],
    }
    return render(request, "classrooms/application_review.html", context, status=status)


@programme_page
def review(request: HttpRequest, application_id) -> HttpResponse:
    application = access_reviewed_application(request.user, application_id, for_page=True)
    return _review(request, application)


@programme_page
@post_only("classrooms:review", "application_id")
def give_opinion(request: HttpRequest, application_id) -> HttpResponse:
    application = access_application_for_opinion(request.user, application_id)
    form = OpinionForm(request.POST)
    if not form.is_valid():
        application = access_reviewed_application(request.user, application_id, for_page=True)
        return _review(request, application, status=400, opinion_form=form)
    data = form.cleaned_data
    attempt(
        request,
        lambda: services.application_give_opinion(
            application=application,
            by=request.user,
            opinion=data["opinion"],
            comment=data["comment"],
            shared=data["shared"],
        ),
        _("Your opinion is recorded; the application goes on to the adviser."),
    )
    return redirect("classrooms:review", application_id=application.public_id)


@programme_page
def invite(request: HttpRequest) -> HttpResponse:
    """An inspector, an adviser or a resource teacher invites a school to apply, saying why."""
    schools = schools_invitable_by(request.user).order_by("name")
    if not (
        roles.is_inspector(request.user)
        or roles.is_adviser(request.user)
        or roles.is_resource_teacher(request.user)
    ):
        raise Http404
    form_kwargs = {"campaigns": open_campaigns(), "schools": schools}
    status = 200
    if request.method == "POST":
        form = InviteForm(request.POST, **form_kwargs)
        if form.is_valid():
            data = form.cleaned_data
            if attempt(
                request,
                lambda: services.application_invite(
                    campaign=data["campaign"],
                    school=data["school"],
                    by=request.user,
                    reason=data["reason"],
                    b2i_rate=data["b2i_rate"],
                ),
                _("The school is invited: its director received an e-mail with the application to complete."),
            ):
                return redirect("classrooms:home")
        else:
            messages.error(request, ERROR_FORM)
        status = 400
    else:
        form = InviteForm(**form_kwargs)
    return render(request, "classrooms/invite.html", {"form": form}, status=status)
