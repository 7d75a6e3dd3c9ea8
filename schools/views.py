from axes.models import AccessAttempt
from axes.utils import reset
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count, Prefetch, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from classcontact.decorators import staff_required

from . import services
from .access import access_managed_school, access_school
from .forms import EmailAuthenticationForm, InvitationAcceptForm, InvitationForm, SchoolFilterForm
from .models import Invitation, Membership, School, StaffRole
from .selectors import memberships_of, user_is_staff_member


class LoginView(auth_views.LoginView):
    form_class = EmailAuthenticationForm
    redirect_authenticated_user = True


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    """A director's or teacher's landing page: their school(s), classes and team."""
    memberships = list(
        memberships_of(request.user).prefetch_related(
            Prefetch(
                "school__memberships",
                queryset=Membership.objects.select_related("user").order_by("role", "user__last_name"),
            ),
            "school__classes",
        )
    )
    return render(request, "schools/dashboard.html", {"memberships": memberships})


@login_required
def school_detail(request: HttpRequest, school_id: int) -> HttpResponse:
    school = access_school(request.user, school_id)
    can_manage = (
        user_is_staff_member(request.user)
        or school.memberships.filter(user=request.user, role__in=services.MANAGER_ROLES).exists()
    )
    context = {
        "school": school,
        "members": school.memberships.select_related("user").order_by("role", "user__last_name"),
        "classes": school.classes.all(),
        "invitations": school.invitations.filter(accepted_at__isnull=True)
        if can_manage
        else Invitation.objects.none(),
        "can_manage": can_manage,
        "invite_form": InvitationForm(),
    }
    return render(request, "schools/school_detail.html", context)


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
    context = {
        "school": school,
        "members": school.memberships.select_related("user"),
        "classes": school.classes.all(),
        "invitations": school.invitations.filter(accepted_at__isnull=True),
        "can_manage": True,
        "invite_form": form,
    }
    return render(request, "schools/school_detail.html", context, status=400)


def invitation_accept(request: HttpRequest, token: str) -> HttpResponse:
    try:
        invitation = services.invitation_for_token(token)
    except services.InvitationError as error:
        return render(request, "registration/invitation_invalid.html", {"reason": error.message}, status=410)
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
            return render(
                request, "registration/invitation_invalid.html", {"reason": error.message}, status=410
            )
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
    context = {
        "school_count": School.objects.count(),
        "director_count": Membership.objects.filter(role__in=services.MANAGER_ROLES).count(),
        "pending_invitations": Invitation.objects.filter(accepted_at__isnull=True).count(),
        "locked_logins": AccessAttempt.objects.filter(
            failures_since_start__gte=settings.AXES_FAILURE_LIMIT
        ).count(),
    }
    return render(request, "staff/home.html", context)


@staff_required
def staff_school_list(request: HttpRequest) -> HttpResponse:
    form = SchoolFilterForm(request.GET or None)
    schools = School.objects.select_related("calendar").annotate(
        member_count=Count("memberships", distinct=True)
    )
    if form.is_valid():
        query = form.cleaned_data["q"].strip()
        if query:
            schools = schools.filter(
                Q(name__icontains=query) | Q(official_number__iexact=query) | Q(city__icontains=query)
            )
        if form.cleaned_data["region"]:
            schools = schools.filter(region=form.cleaned_data["region"])
        if form.cleaned_data["in_fwb"]:
            schools = schools.filter(in_fwb=form.cleaned_data["in_fwb"] == "yes")
    page = Paginator(schools.order_by("name", "pk"), settings.PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "staff/school_list.html", {"form": form, "page_obj": page})


@staff_required
def staff_school_history(request: HttpRequest, school_id: int) -> HttpResponse:
    school = get_object_or_404(School, pk=school_id)
    records = school.history.select_related("history_user").order_by("-history_date")[:200]
    return render(request, "staff/school_history.html", {"school": school, "records": records})


@staff_required(roles=(StaffRole.COORDINATOR,))
def staff_lockouts(request: HttpRequest) -> HttpResponse:
    attempts = AccessAttempt.objects.order_by("-attempt_time")
    page = Paginator(attempts, settings.PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "staff/lockouts.html",
        {"page_obj": page, "failure_limit": settings.AXES_FAILURE_LIMIT},
    )


@staff_required(roles=(StaffRole.COORDINATOR,))
@require_POST
def staff_lockout_reset(request: HttpRequest, attempt_id: int) -> HttpResponse:
    attempt = get_object_or_404(AccessAttempt, pk=attempt_id)
    reset(username=attempt.username, ip=attempt.ip_address)
    messages.success(request, _("%(user)s may log in again.") % {"user": attempt.username})
    return redirect("schools:staff_lockouts")
