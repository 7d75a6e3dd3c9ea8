from axes.helpers import get_cool_off, get_failure_limit
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from classcontact.decorators import staff_required
from classcontact.homes import home_lines
from classcontact.paging import paginate

from . import services
from .access import access_managed_school, access_school, user_can_manage_school
from .forms import EmailAuthenticationForm, InvitationAcceptForm, InvitationForm, SchoolFilterForm
from .models import Invitation, School, StaffRole
from .otp import demo_codes
from .selectors import (
    history_with_changes,
    login_attempts,
    memberships_for_dashboard,
    school_members,
    school_pending_invitations,
    schools_for_staff_list,
    staff_home_figures,
    user_is_staff_member,
    user_staff_roles,
)


class LoginView(auth_views.LoginView):
    """E-mail and password; the portal then speaks the language chosen in the account."""

    form_class = EmailAuthenticationForm
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs):
        # Demo mode only (empty otherwise): each demo staff account's current code.
        return {**super().get_context_data(**kwargs), "demo_codes": demo_codes()}

    def form_valid(self, form):
        response = super().form_valid(form)
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME,
            form.get_user().language,
            max_age=settings.LANGUAGE_COOKIE_AGE,
            path=settings.LANGUAGE_COOKIE_PATH,
            domain=settings.LANGUAGE_COOKIE_DOMAIN,
            secure=settings.LANGUAGE_COOKIE_SECURE,
            httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
            samesite=settings.LANGUAGE_COOKIE_SAMESITE,
        )
        return response


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    """A working reset link proves the mailbox: the new password also lifts a login lock."""

    def form_valid(self, form):
        response = super().form_valid(form)
        services.login_lockouts_clear(email=form.user.email)
        return response


def locked_out(request: HttpRequest, original_response=None, credentials=None) -> HttpResponse:
    """django-axes' answer to a locked login (AXES_LOCKOUT_CALLABLE), with the portal's page."""
    cool_off = get_cool_off(request)
    context = {
        "cooloff_minutes": max(1, round(cool_off.total_seconds() / 60)) if cool_off else None,
        "failure_limit": get_failure_limit(request, credentials),
    }
    return render(request, "registration/locked_out.html", context, status=settings.AXES_HTTP_RESPONSE_CODE)


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    """A director's or teacher's landing page: their school(s), classes and team."""
    if user_is_staff_member(request.user):
        return redirect("staff_home")
    memberships = memberships_for_dashboard(request.user)
    context = {"memberships": memberships, "lines": home_lines(request.user)}
    return render(request, "schools/dashboard.html", context)


def _school_page(request: HttpRequest, school: School, invite_form: InvitationForm, status: int = 200):
    can_manage = user_can_manage_school(request.user, school)
    context = {
        "school": school,
        "members": school_members(school),
        "classes": school.classes.all(),
        "invitations": school_pending_invitations(school) if can_manage else Invitation.objects.none(),
        "can_manage": can_manage,
        "invite_form": invite_form,
    }
    return render(request, "schools/school_detail.html", context, status=status)


@login_required
def school_detail(request: HttpRequest, school_id: int) -> HttpResponse:
    school = access_school(request.user, school_id)
    return _school_page(request, school, InvitationForm())


@login_required
@require_POST
def school_invite(request: HttpRequest, school_id: int) -> HttpResponse:
    school = access_managed_school(request.user, school_id)
    form = InvitationForm(request.POST)
    if form.is_valid():
        try:
            services.invitation_create(
                school=school,
                email=form.cleaned_data["email"],
                role=form.cleaned_data["role"],
                invited_by=request.user,
            )
        except services.InvitationError as error:
            form.add_error("email", error.message)
        else:
            messages.success(
                request, _("An invitation was sent to %(email)s.") % {"email": form.cleaned_data["email"]}
            )
            return redirect("schools:detail", school_id=school.pk)
    return _school_page(request, school, form, status=400)


def _dead_invitation(request: HttpRequest, error: services.InvitationError) -> HttpResponse:
    """The same page for an unknown, expired or used invitation. A live link to a closed
    staff account says so: whoever holds a live link is the person invited."""
    closed = error.message == services.ERROR_ACCOUNT_DEACTIVATED
    context = {"reason": services.ERROR_ACCOUNT_DEACTIVATED if closed else services.ERROR_INVITATION_DEAD}
    return render(request, "registration/invitation_invalid.html", context, status=410)


def invitation_accept(request: HttpRequest, token: str) -> HttpResponse:
    """Public: the invitation link itself is the proof of the e-mail address."""
    try:
        invitation = services.invitation_for_token(token)
    except services.InvitationError as error:
        return _dead_invitation(request, error)
    form = InvitationAcceptForm(
        request.POST or None, email=invitation.email, initial={"language": request.LANGUAGE_CODE}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.invitation_accept(
                token=token,
                first_name=form.cleaned_data["first_name"],
                last_name=form.cleaned_data["last_name"],
                password=form.cleaned_data["password1"],
                language=form.cleaned_data["language"],
            )
        except services.InvitationError as error:
            return _dead_invitation(request, error)
        messages.success(
            request, _("Your account is ready. Log in with your e-mail address and new password.")
        )
        return redirect("login")
    return render(
        request,
        "registration/invitation_accept.html",
        {"form": form, "invitation": invitation},
        status=400 if form.errors else 200,
    )


@staff_required
def staff_home(request: HttpRequest) -> HttpResponse:
    """Each person's work first: technicians land on their visits, helpdesk agents on their
    queue; coordinators and read-only staff on what waits for them, line by line."""
    roles = user_staff_roles(request.user)
    if not roles & {StaffRole.COORDINATOR, StaffRole.READ_ONLY}:
        if StaffRole.TECHNICIAN in roles:
            return redirect("loans:my_visits")
        if StaffRole.HELPDESK_AGENT in roles:
            return redirect("helpdesk:staff_queue")
    context = {**staff_home_figures(), "lines": home_lines(request.user)}
    return render(request, "staff/home.html", context)


@staff_required
def staff_school_list(request: HttpRequest) -> HttpResponse:
    form = SchoolFilterForm(request.GET or None)
    schools = schools_for_staff_list(**form.filters())
    page = paginate(request, schools)
    return render(request, "staff/school_list.html", {"form": form, "page_obj": page})


@staff_required
def staff_school_history(request: HttpRequest, school_id: int) -> HttpResponse:
    school = access_school(request.user, school_id)
    records = history_with_changes(school.history.all())
    return render(request, "staff/school_history.html", {"school": school, "records": records})


@staff_required(roles=(StaffRole.COORDINATOR,))
def staff_lockouts(request: HttpRequest) -> HttpResponse:
    page = Paginator(login_attempts(), settings.PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "staff/lockouts.html",
        {"page_obj": page, "failure_limit": settings.AXES_FAILURE_LIMIT},
    )


@staff_required(roles=(StaffRole.COORDINATOR,))
@require_POST
def staff_lockout_reset(request: HttpRequest, attempt_id: int) -> HttpResponse:
    attempt = get_object_or_404(AccessAttempt, pk=attempt_id)
    services.login_lockout_reset(attempt=attempt, reset_by=request.user)
    messages.success(request, _("%(user)s may log in again.") % {"user": attempt.username})
    return redirect("schools:staff_lockouts")
