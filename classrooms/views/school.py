"""The school's side: its applications, the application form with its files, sending, withdrawal."""

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from classcontact.storage import private_download

from .. import roles, services
from ..access import access_attachment, access_school_application, access_school_application_to_manage
from ..forms import ApplicationForm, AttachmentForm, ReasonForm
from ..models import SCHOOL_WITHDRAW_STATES, Application, ApplicationStatus
from ..selectors import (
    applications_of_member,
    open_campaigns,
    school_next_step,
    school_state_label,
    schools_applying,
    timeline,
)
from .common import ERROR_FORM, attempt, post_only, programme_page

A = ApplicationStatus


@programme_page
def application_list(request: HttpRequest) -> HttpResponse:
    """The applications of the person's schools, in plain words, with what happens next."""
    schools = list(schools_applying(request.user))
    applications = applications_of_member(request.user)
    if not schools and not applications.exists():
        raise Http404
    applications = applications.select_related("school", "campaign").order_by("-status_changed_at", "-id")
    page = Paginator(applications, settings.PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [(a, school_state_label(a), school_next_step(a)) for a in page]
    context = {"page_obj": page, "rows": rows, "schools": schools, "campaigns": list(open_campaigns())}
    return render(request, "classrooms/application_list.html", context)


@programme_page
def application_new(request: HttpRequest, school_id: int, campaign_id: int) -> HttpResponse:
    school = get_object_or_404(schools_applying(request.user), pk=school_id)
    campaign = get_object_or_404(open_campaigns(), pk=campaign_id)
    return _application_form(request, school=school, campaign=campaign, application=None)


@programme_page
def application_edit(request: HttpRequest, application_id) -> HttpResponse:
    application = access_school_application(request.user, application_id)
    if application.status != A.DRAFT:
        messages.info(request, services.ERROR_NOT_DRAFT)
        return redirect("classrooms:detail", application_id=application.public_id)
    return _application_form(
        request, school=application.school, campaign=application.campaign, application=application
    )


def _application_form(
    request: HttpRequest, *, school, campaign, application: Application | None
) -> HttpResponse:
    status = 200
    form_kwargs = {"school": school, "campaign": campaign, "instance": application}
    if request.method == "POST":
        form = ApplicationForm(request.POST, **form_kwargs)
        if form.is_valid():
            saved = _save(request, form, school=school, campaign=campaign, application=application)
            if saved is not None:
                return _after_save(request, saved)
            status = 400
        else:
            messages.error(request, ERROR_FORM)
            status = 400
    else:
        form = ApplicationForm(**form_kwargs)
    context = {
        "form": form,
        "school": school,
        "campaign": campaign,
        "application": application,
        "attachment_form": AttachmentForm(),
        "can_submit": roles.manages_school(request.user, school.pk),
        "missing": services.missing_fields(application) if application else [],
    }
    return render(request, "classrooms/application_form.html", context, status=status)


def _save(request, form, *, school, campaign, application) -> Application | None:
    try:
        return services.application_save_draft(
            by=request.user, data=form.to_data(), school=school, campaign=campaign, application=application
        )
    except services.ClassroomError as error:
        messages.error(request, error.message)
        return None


def _after_save(request: HttpRequest, application: Application) -> HttpResponse:
    if request.POST.get("action") != "submit":
        messages.success(request, _("Draft saved. You can finish it later from “Mobile classroom”."))
        return redirect("classrooms:edit", application_id=application.public_id)
    if attempt(
        request,
        lambda: services.application_submit(application=application, by=request.user),
        _("The application is sent to the inspector of your district."),
    ):
        return redirect("classrooms:detail", application_id=application.public_id)
    return redirect("classrooms:edit", application_id=application.public_id)


def _detail(request: HttpRequest, application: Application, *, status: int = 200, **forms) -> HttpResponse:
    manages = roles.manages_school(request.user, application.school_id)
    context = {
        "application": application,
        "state_label": school_state_label(application),
        "next_step": school_next_step(application),
        "timeline": timeline(application, public_only=True),
        "can_edit": application.status == A.DRAFT,
        "can_withdraw": manages and application.status in SCHOOL_WITHDRAW_STATES,
        "withdraw_form": forms.get("withdraw_form") or ReasonForm(),
    }
    return render(request, "classrooms/application_detail.html", context, status=status)


@programme_page
def application_detail(request: HttpRequest, application_id) -> HttpResponse:
    application = access_school_application(request.user, application_id, for_page=True)
    return _detail(request, application)


@programme_page
@post_only("classrooms:detail", "application_id")
def application_submit(request: HttpRequest, application_id) -> HttpResponse:
    application = access_school_application_to_manage(request.user, application_id)
    if not attempt(
        request,
        lambda: services.application_submit(application=application, by=request.user),
        _("The application is sent to the inspector of your district."),
    ):
        return redirect("classrooms:edit", application_id=application.public_id)
    return redirect("classrooms:detail", application_id=application.public_id)


@programme_page
@post_only("classrooms:detail", "application_id")
def application_withdraw(request: HttpRequest, application_id) -> HttpResponse:
    application = access_school_application_to_manage(request.user, application_id)
    form = ReasonForm(request.POST)
    if not form.is_valid():
        application = access_school_application(request.user, application_id, for_page=True)
        return _detail(request, application, status=400, withdraw_form=form)
    attempt(
        request,
        lambda: services.application_withdraw(
            application=application, by=request.user, reason=form.cleaned_data["reason"]
        ),
        _("The application is withdrawn."),
    )
    return redirect("classrooms:detail", application_id=application.public_id)


@programme_page
@post_only("classrooms:edit", "application_id")
def attachment_add(request: HttpRequest, application_id) -> HttpResponse:
    application = access_school_application(request.user, application_id)
    form = AttachmentForm(request.POST, request.FILES)
    if not form.is_valid():
        for error in form.errors.get("file", []):
            messages.error(request, error)
        return redirect("classrooms:edit", application_id=application.public_id)
    attempt(
        request,
        lambda: services.attachment_add(
            application=application, by=request.user, upload=form.cleaned_data["file"]
        ),
        _("The file is added to the application."),
    )
    return redirect("classrooms:edit", application_id=application.public_id)


@programme_page
@require_POST
def attachment_remove(request: HttpRequest, attachment_id: int) -> HttpResponse:
    attachment = access_attachment(request.user, attachment_id)
    if attachment.application.school_id not in [s.pk for s in schools_applying(request.user)]:
        raise Http404
    application_id = attachment.application.public_id
    attempt(
        request,
        lambda: services.attachment_remove(attachment=attachment, by=request.user),
        _("The file is removed."),
    )
    return redirect("classrooms:edit", application_id=application_id)


@programme_page
@require_GET
def attachment_download(request: HttpRequest, attachment_id: int) -> HttpResponse:
    attachment = access_attachment(request.user, attachment_id)
    return private_download(attachment.file, filename=attachment.filename)
