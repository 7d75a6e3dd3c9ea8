"""A class after the decision: its follow-up page (school, inspector, programme staff and its
resource teacher), the forms each of them posts, and a resource teacher's classes."""

from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from .. import roles, services
from ..access_followup import (
    access_class_for_resource_teacher,
    access_class_for_school,
    access_class_to_assign,
    access_followed_class,
)
from ..forms_followup import (
    AssignForm,
    B2iForm,
    MunicipalityForm,
    NoteForm,
    PresentationPlanForm,
    PresentationRecordForm,
    ProductionForm,
    TeacherEvaluationForm,
)
from ..models import ApplicationStatus
from ..selectors import member_school_ids, school_state_label, timeline
from ..selectors_followup import classes_of_resource_teacher, followup_of
from ..services.evaluation import EVALUATION_STATES
from ..services.followup import PRESENTATION_PLAN_STATES, PRESENTATION_RECORD_STATES, PRODUCTION_STATES
from .common import ERROR_FORM, attempt, post_only, programme_page

A = ApplicationStatus
FORMS = {
    "assign_form": AssignForm,
    "note_form": NoteForm,
    "plan_form": PresentationPlanForm,
    "record_form": PresentationRecordForm,
    "production_form": ProductionForm,
    "b2i_form": B2iForm,
    "teacher_form": TeacherEvaluationForm,
    "municipality_form": MunicipalityForm,
}


@programme_page
def my_classes(request: HttpRequest) -> HttpResponse:
    """A resource teacher's classes, those of the coming trimesters first."""
    if not roles.is_resource_teacher(request.user):
        raise Http404
    page = Paginator(classes_of_resource_teacher(request.user), settings.PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(request, "classrooms/followup/my_classes.html", {"page_obj": page})


def _may(user, application, followup) -> dict[str, bool]:
    """Which forms the person may use on this class now."""
    status = application.status
    is_school = application.school_id in member_school_ids(user)
    is_teacher = followup.resource_teacher_id is not None and followup.resource_teacher_id == user.pk
    return {
        "is_school": is_school,
        "is_teacher": is_teacher,
        "sees_notes": is_teacher or roles.has_programme_role(user),
        "assign_form": roles.is_adviser(user),
        "note_form": is_teacher,
        "plan_form": is_school and status in PRESENTATION_PLAN_STATES,
        "record_form": is_school and status in PRESENTATION_RECORD_STATES,
        "production_form": is_school and status in PRODUCTION_STATES,
        "b2i_form": is_school and status in EVALUATION_STATES,
        "teacher_form": is_school and status in EVALUATION_STATES,
        "municipality_form": is_teacher and status in EVALUATION_STATES,
        "b2i_check": is_teacher and followup.b2i_in and followup.b2i_checked_at is None,
    }


def _initial(followup) -> dict[str, dict]:
    return {
        "assign_form": {"teacher": followup.resource_teacher_id},
        "plan_form": {
            "on": followup.presentation_on,
            "place": followup.presentation_place,
            "invitees": followup.invitees,
        },
        "record_form": {
            "shown": followup.presentation_shown,
            "attendance": followup.presentation_attendance,
            "visitors": followup.presentation_visitors,
        },
        "b2i_form": {"assessed": followup.pupils_assessed, "validated": followup.pupils_validated},
        "teacher_form": {"text": followup.teacher_evaluation},
        "municipality_form": {
            "contacted_on": followup.municipality_contacted_on,
            "notes": followup.municipality_contact_notes,
            "plan_started": {True: "yes", False: "no"}.get(followup.equipment_plan),
            "plan_on": followup.equipment_plan_on,
            "description": followup.equipment_plan_description,
            "amount": followup.equipment_plan_amount,
        },
    }


def _page(request: HttpRequest, application_id, *, status: int = 200, bound=None) -> HttpResponse:
    application = access_followed_class(request.user, application_id, for_page=True)
    followup = followup_of(application)
    may = _may(request.user, application, followup)
    initial = _initial(followup)
    forms = {
        name: (bound[1] if bound and bound[0] == name else form_class(initial=initial.get(name)))
        for name, form_class in FORMS.items()
        if may[name]
    }
    context = {
        "application": application,
        "followup": followup,
        "state_label": school_state_label(application),
        "may": may,
        "open_plan": followup.presentation_on is None,
        "open_record": followup.presented_at is None,
        "notes": list(application.followup_notes.all()) if may["sees_notes"] else [],
        "productions": list(application.productions.all()),
        "timeline": timeline(application, public_only=not roles.has_programme_role(request.user)),
        **forms,
    }
    return render(request, "classrooms/followup/detail.html", context, status=status)


@programme_page
def followup_detail(request: HttpRequest, application_id) -> HttpResponse:
    return _page(request, application_id)


def post_form(
    request: HttpRequest,
    application_id,
    *,
    fetch: Callable,
    form_name: str,
    call: Callable,
    success: str,
) -> HttpResponse:
    """Bind one form of the page, call its service; a refusal shows the page again with the data."""
    application = fetch(request.user, application_id)
    form = FORMS[form_name](request.POST, request.FILES)
    if form.is_valid():
        if attempt(request, lambda: call(application, form.cleaned_data), success):
            return redirect("classrooms:followup", application_id=application.public_id)
    else:
        messages.error(request, ERROR_FORM)
    return _page(request, application.public_id, status=400, bound=(form_name, form))


@programme_page
@post_only("classrooms:followup", "application_id")
def assign(request: HttpRequest, application_id) -> HttpResponse:
    return post_form(
        request,
        application_id,
        fetch=access_class_to_assign,
        form_name="assign_form",
        call=lambda application, data: services.followup_assign_teacher(
            application=application, by=request.user, teacher=data["teacher"]
        ),
        success=_("The resource teacher is assigned to the class."),
    )


@programme_page
@post_only("classrooms:followup", "application_id")
def note_add(request: HttpRequest, application_id) -> HttpResponse:
    return post_form(
        request,
        application_id,
        fetch=access_class_for_resource_teacher,
        form_name="note_form",
        call=lambda application, data: services.followup_add_note(
            application=application, by=request.user, **data
        ),
        success=_("The note is recorded."),
    )


@programme_page
@post_only("classrooms:followup", "application_id")
def presentation_plan(request: HttpRequest, application_id) -> HttpResponse:
    return post_form(
        request,
        application_id,
        fetch=access_class_for_school,
        form_name="plan_form",
        call=lambda application, data: services.presentation_plan(
            application=application, by=request.user, **data
        ),
        success=_("The presentation day is saved. The invitation letters are being made."),
    )


@programme_page
@post_only("classrooms:followup", "application_id")
def presentation_record(request: HttpRequest, application_id) -> HttpResponse:
    return post_form(
        request,
        application_id,
        fetch=access_class_for_school,
        form_name="record_form",
        call=lambda application, data: services.presentation_record(
            application=application, by=request.user, **data
        ),
        success=_("The presentation day is recorded."),
    )


@programme_page
@post_only("classrooms:followup", "application_id")
def production_add(request: HttpRequest, application_id) -> HttpResponse:
    return post_form(
        request,
        application_id,
        fetch=access_class_for_school,
        form_name="production_form",
        call=lambda application, data: services.production_add(
            application=application,
            by=request.user,
            title=data["title"],
            upload=data["file"],
            link=data["link"],
            consent=data["consent"],
        ),
        success=_("The production is added."),
    )
