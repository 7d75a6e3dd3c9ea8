"""A class's evaluation: the B2i figures and the teacher's evaluation (the school), the
municipality's outcome and the check of the B2i figures (its resource teacher); the files."""

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from classcontact.storage import private_download

from .. import services
from ..access_followup import (
    access_class_for_resource_teacher,
    access_class_for_school,
    access_followed_class,
    access_production,
)
from ..selectors_followup import followup_of
from .common import attempt, post_only, programme_page
from .followup import post_form

LETTERS = {"municipality": "letter_municipality", "parents": "letter_parents"}


@programme_page
@post_only("classrooms:followup", "application_id")
def b2i(request: HttpRequest, application_id) -> HttpResponse:
    return post_form(
        request,
        application_id,
        fetch=access_class_for_school,
        form_name="b2i_form",
        call=lambda application, data: services.evaluation_record_b2i(
            application=application, by=request.user, **data
        ),
        success=_("The B2i figures are recorded."),
    )


@programme_page
@post_only("classrooms:followup", "application_id")
def b2i_check(request: HttpRequest, application_id) -> HttpResponse:
    application = access_class_for_resource_teacher(request.user, application_id)
    attempt(
        request,
        lambda: services.evaluation_check_b2i(application=application, by=request.user),
        _("The B2i figures are checked."),
    )
    return redirect("classrooms:followup", application_id=application.public_id)


@programme_page
@post_only("classrooms:followup", "application_id")
def teacher_evaluation(request: HttpRequest, application_id) -> HttpResponse:
    return post_form(
        request,
        application_id,
        fetch=access_class_for_school,
        form_name="teacher_form",
        call=lambda application, data: services.evaluation_record_teacher(
            application=application, by=request.user, text=data["text"]
        ),
        success=_("The teacher's evaluation is recorded."),
    )


@programme_page
@post_only("classrooms:followup", "application_id")
def municipality(request: HttpRequest, application_id) -> HttpResponse:
    return post_form(
        request,
        application_id,
        fetch=access_class_for_resource_teacher,
        form_name="municipality_form",
        call=lambda application, data: services.municipality_record(
            application=application, by=request.user, **data
        ),
        success=_("The municipality's outcome is recorded."),
    )


@programme_page
@require_GET
def letter_download(request: HttpRequest, application_id, audience: str) -> HttpResponse:
    if audience not in LETTERS:
        raise Http404
    application = access_followed_class(request.user, application_id)
    followup = followup_of(application)
    filename = f"invitation-{audience}-{application.number or application.pk}.pdf"
    return private_download(getattr(followup, LETTERS[audience]), filename=filename, inline=True)


@programme_page
@require_GET
def production_download(request: HttpRequest, production_id: int) -> HttpResponse:
    production = access_production(request.user, production_id)
    if not production.file:
        raise Http404
    return private_download(production.file, filename=production.filename or None, inline=True)
