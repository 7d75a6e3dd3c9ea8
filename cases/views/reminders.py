"""A case's reminders for staff: sent and planned, and silencing them for this case."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from schools.reminders import reminders_of, reminders_resume, reminders_silence, subject_of

from ..access import access_case_for_staff
from .common import case_page
from .staff import _require_coordinator


@case_page
def staff_case_reminders(request: HttpRequest, case_id) -> HttpResponse:
    case = access_case_for_staff(request.user, case_id)
    context = {"case": case, **reminders_of(subject_of(case))}
    return render(request, "cases/case_reminders.html", context)


@case_page
@require_POST
def staff_case_reminders_silence(request: HttpRequest, case_id) -> HttpResponse:
    case = access_case_for_staff(request.user, case_id)
    _require_coordinator(request.user)
    if request.POST.get("silence") == "on":
        reminders_silence(subject=subject_of(case), by=request.user)
        messages.success(request, _("No more reminders about this case until you resume them."))
    else:
        reminders_resume(subject=subject_of(case), by=request.user)
        messages.success(request, _("Reminders about this case resume."))
    return redirect("cases:staff_reminders", case_id=case.public_id)
