"""Pages of kits, loans and visits. Thin: fetch through ``kit_access``, bind a form, call one
service, turn a domain error into a message, redirect."""

from functools import wraps

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from schools.selectors import managed_school_ids, user_is_staff_member

from . import services as services
from .access import (
    access_feed,
    access_kit,
    access_kit_for_inventory,
    access_kit_room,
    access_loan,
    access_loan_for_inventory,
    access_referral,
    access_school_kits,
    access_visit,
    access_visit_for_planner,
    access_visit_for_technician,
    require_planner,
)
from .forms import (
    AvailabilityForm,
    CalendarForm,
    CheckInForm,
    ClassLoanForm,
    LoanFilterForm,
    ReferralCreateForm,
    ReferralUpdateForm,
    RoomForm,
    SwapForm,
    VisitCancelForm,
    VisitCompleteForm,
    VisitFilterForm,
    VisitPlanForm,
    VisitRescheduleForm,
)
from .holders import holder_staff_url
from .ical import visits_to_ical
from .models import Kit, KitType, LoanStatus, VisitKind, VisitStatus
from .selectors import (
    LoanFilters,
    VisitFilters,
    calendar_weeks,
    feed_for_token,
    feed_visits,
    feeds_of,
    kit_loans,
    kit_missing_components,
    kit_repairs,
    kit_timeline,
    kit_type_calendar_kits,
    kit_type_calendar_rows,
    kit_types,
    kits_free_between,
    loan_items,
    schools_with_kits_for,
    technician_agenda,
    user_manages_inventory,
    user_plans_visits,
)
from .selectors import (
    loan_list as select_loans,
)
from .selectors import (
    school_overview as select_school_overview,
)
from .selectors import (
    visit_list as select_visits,
)


def staff_page(view):
    """Staff only; anyone else gets the 404 an unknown address gets (login first when anonymous)."""

    @login_required
    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs):
        if not user_is_staff_member(request.user):
            raise Http404
        return view(request, *args, **kwargs)

    return wrapper


def _page(request: HttpRequest, queryset, size: int | None = None):
    return Paginator(queryset, size or settings.PAGE_SIZE).get_page(request.GET.get("page"))


# --- finding and reserving kits --------------------------------------------------------------------


@staff_page
def availability(request: HttpRequest) -> HttpResponse:
    """Which kits of a type are free from A to B, nearest first."""
    form = AvailabilityForm(request.GET or None)
    page = None
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        kits = kits_free_between(
            kit_type=data["kit_type"], start=data["start"], end=data["end"], region=data["region"]
        )
        page = _page(request, kits)
    status = 400 if form.is_bound and form.errors else 200
    return render(request, "loans/kit_availability.html", {"form": form, "page_obj": page}, status=status)


@staff_page
def kit_type_calendar(request: HttpRequest, kit_type_id: int) -> HttpResponse:
    """Every kit of a type over the coming months, one cell per week."""
    kit_type = get_object_or_404(KitType, pk=kit_type_id)
    form = CalendarForm(request.GET or None)
    first_day, months, region = form.values()
    weeks = calendar_weeks(first_day, weeks=round(months * 52 / 12))
    page = _page(request, kit_type_calendar_kits(kit_type, region=region))
    rows = kit_type_calendar_rows(list(page.object_list), weeks=weeks)
    month_heads = []
    for week_start, _week_end in weeks:
        label = week_start.replace(day=1)
        if month_heads and month_heads[-1][0] == label:
            month_heads[-1][1] += 1
        else:
            month_heads.append([label, 1])
    context = {
        "kit_type": kit_type,
        "kit_types": kit_types(),
        "form": form,
        "weeks": weeks,
        "month_heads": month_heads,
        "rows": rows,
        "page_obj": page,
        "today": timezone.localdate(),
    }
    return render(request, "loans/kit_calendar.html", context)


# --- kits --------------------------------------------------------------------------------------


@login_required
def kit_detail(request: HttpRequest, kit_id: int) -> HttpResponse:
    """A kit's items, loans, repairs and timeline of every movement and check."""
    kit = access_kit(request.user, kit_id)
    staff = user_is_staff_member(request.user)
    can_move = (staff and user_manages_inventory(request.user)) or (
        not staff and kit.school_id in managed_school_ids(request.user)
    )
    context = {
        "kit": kit,
        "items": list(kit.items.all()),
        "missing": kit_missing_components(kit) if staff else [],
        "loans": kit_loans(kit)
        if staff
        else [loan for loan in kit_loans(kit) if loan.school_id in managed_school_ids(request.user)],
        "repairs": kit_repairs(kit) if staff else [],
        "events": kit_timeline(kit) if staff else [],
        "room_form": RoomForm(initial={"room": kit.room}) if can_move and kit.school_id else None,
        "swap_form": SwapForm(kit=kit) if staff and user_manages_inventory(request.user) else None,
        "staff": staff,
    }
    return render(request, "loans/kit_detail.html", context)


@login_required
@require_POST
def kit_room(request: HttpRequest, kit_id: int) -> HttpResponse:
    """The school (its director) or a technician says which room the kit is in now."""
    kit = access_kit_room(request.user, kit_id)
    form = RoomForm(request.POST)
    if form.is_valid():
        services.kit_change_room(kit=kit, room=form.cleaned_data["room"], by=request.user)
        messages.success(request, _("The room of kit %(code)s is saved.") % {"code": kit.code})
    else:
        messages.error(request, _("The room name is too long."))
    if request.POST.get("back") == "school" and kit.school_id:
        return redirect("loans:school_overview", school_id=kit.school_id)
    return redirect("loans:kit_detail", kit_id=kit.pk)


@login_required
@require_POST
def kit_swap(request: HttpRequest, kit_id: int) -> HttpResponse:
    """Replace one item of a kit by another (repair, replacement)."""
    kit = access_kit_for_inventory(request.user, kit_id)
    form = SwapForm(request.POST, kit=kit)
    if form.is_valid():
        data = form.cleaned_data
        try:
            incoming = services.kit_item_swap(
                kit=kit,
                out_item=data["out_item"],
                in_serial=data["in_serial"],
                out_to=data["out_to"],
                problem=data["problem"],
                by=request.user,
            )
        except services.KitError as error:
            messages.error(request, error.message)
        else:
            messages.success(
                request, _("%(item)s is now in kit %(code)s.") % {"item": incoming, "code": kit.code}
            )
    else:
        messages.error(request, _("Choose the item taken out and give the serial number of the item put in."))
    return redirect("loans:kit_detail", kit_id=kit.pk)


# --- loans -------------------------------------------------------------------------------------


@login_required
def loan_list(request: HttpRequest) -> HttpResponse:
    if not user_is_staff_member(request.user) and not managed_school_ids(request.user):
        raise Http404
    form = LoanFilterForm(request.GET or None)
    loans = select_loans(user=request.user, filters=LoanFilters(**form.filters()))
    return render(request, "loans/loan_list.html", {"form": form, "page_obj": _page(request, loans)})


@login_required
def loan_detail(request: HttpRequest, loan_id: int) -> HttpResponse:
    loan = access_loan(request.user, loan_id)
    staff = user_is_staff_member(request.user)
    context = {
        "loan": loan,
        "items": loan_items(loan) if loan.is_open else [],
        "checks": list(loan.checks.select_related("item", "checked_by"))
        if loan.status == LoanStatus.RETURNED
        else [],
        "can_manage": staff and user_manages_inventory(request.user),
        "can_cancel": staff and user_plans_visits(request.user) and loan.status == LoanStatus.RESERVED,
        "holder_url": holder_staff_url(loan) if staff else None,
    }
    return render(request, "loans/loan_detail.html", context)


@login_required
def loan_check_in(request: HttpRequest, loan_id: int) -> HttpResponse:
    """The kit is back: each item is checked (present, works, damage, note) and the loan closes."""
    loan = access_loan_for_inventory(request.user, loan_id)
    if loan.status != LoanStatus.LENT:
        messages.error(request, _("Only a kit that is out can be checked in."))
        return redirect("loans:loan_detail", loan_id=loan.pk)
    items = loan_items(loan)
    form = CheckInForm(request.POST or None, items=items, initial={"returned_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            services.loan_check_in(
                loan=loan,
                by=request.user,
                lines=form.lines(),
                returned_on=form.cleaned_data["returned_on"],
                notes=form.cleaned_data["notes"],
            )
        except services.KitError as error:
            form.add_error(None, error.message)
        else:
            messages.success(
                request, _("Kit %(code)s is checked in and the loan is closed.") % {"code": loan.kit.code}
            )
            return redirect("loans:loan_detail", loan_id=loan.pk)
    status = 400 if form.errors else 200
    return render(request, "loans/loan_check_in.html", {"loan": loan, "form": form}, status=status)


@login_required
@require_POST
def loan_hand_over(request: HttpRequest, loan_id: int) -> HttpResponse:
    """A class's kit leaves the depot (a case's kit is handed over at its installation)."""
    loan = access_loan_for_inventory(request.user, loan_id)
    try:
        services.loan_hand_over(loan=loan, by=request.user)
    except services.KitError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Kit %(code)s is handed over.") % {"code": loan.kit.code})
    return redirect("loans:loan_detail", loan_id=loan.pk)


@login_required
@require_POST
def loan_cancel(request: HttpRequest, loan_id: int) -> HttpResponse:
    require_planner(request.user)
    loan = access_loan(request.user, loan_id)
    try:
        services.loan_cancel(loan=loan, by=request.user, reason=request.POST.get("reason", ""))
    except services.KitError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The booking is cancelled; its dates are free again."))
    return redirect("loans:loan_detail", loan_id=loan.pk)


# --- a school's side ---------------------------------------------------------------------------


@login_required
def my_schools(request: HttpRequest) -> HttpResponse:
    """A director's way in: straight to their school's kits when they direct one school."""
    if user_is_staff_member(request.user):
        return redirect("loans:loan_list")
    schools = list(schools_with_kits_for(request.user).order_by("name"))
    if not schools:
        raise Http404
    if len(schools) == 1:
        return redirect("loans:school_overview", school_id=schools[0].pk)
    return render(request, "loans/school_choose.html", {"schools": schools})


@login_required
def school_overview(request: HttpRequest, school_id: int) -> HttpResponse:
    """The kits at a school (and their rooms), its loans, visits and internet referrals."""
    school = access_school_kits(request.user, school_id)
    staff = user_is_staff_member(request.user)
    overview = select_school_overview(school)
    context = {
        "school": school,
        "overview": overview,
        "staff": staff,
        "can_move": (not staff) or user_manages_inventory(request.user),
        "can_plan": staff and user_plans_visits(request.user),
    }
    return render(request, "loans/school_overview.html", context)


@login_required
def class_loan_new(request: HttpRequest, school_id: int) -> HttpResponse:
    """A coordinator books a kit for a class of the school over a trimester."""
    require_planner(request.user)
    school = access_school_kits(request.user, school_id)
    form = ClassLoanForm(request.POST or None, school=school)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        kit = Kit.objects.filter(code__iexact=data["kit_code"]).first()
        if kit is None:
            form.add_error("kit_code", _("No kit has this code."))
        else:
            try:
                loan = services.loan_create_for_class(
                    kit=kit, school_class=data["school_class"], trimester=data["trimester"], by=request.user
                )
            except services.KitError as error:
                form.add_error("kit_code", error.message)
            else:
                messages.success(request, _("Kit %(code)s is booked for the class.") % {"code": kit.code})
                return redirect("loans:loan_detail", loan_id=loan.pk)
    status = 400 if form.errors else 200
    return render(request, "loans/class_loan_form.html", {"form": form, "school": school}, status=status)


@login_required
def school_visit_new(request: HttpRequest, school_id: int) -> HttpResponse:
    """A coordinator plans a visit at a school outside a case (presentation, training, evaluation)."""
    require_planner(request.user)
    school = access_school_kits(request.user, school_id)
    kinds = [VisitKind.TEAM_PRESENTATION, VisitKind.TRAINING, VisitKind.INTERNET_EVALUATION]
    form = VisitPlanForm(request.POST or None, kinds=kinds, initial={"duration_minutes": 90})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.visit_plan(
                kind=data["kind"],
                school=school,
                starts_at=data["starts_at"],
                duration_minutes=data["duration_minutes"],
                technician=data["technician"],
                address=data["address"],
                notes=data["notes"],
                by=request.user,
            )
        except services.KitError as error:
            form.add_error(None, error.message)
        else:
            messages.success(
                request, _("The visit is planned; the technician and the school are told by e-mail.")
            )
            return redirect("loans:school_overview", school_id=school.pk)
    status = 400 if form.errors else 200
    return render(request, "loans/visit_form.html", {"form": form, "school": school}, status=status)


# --- visits ------------------------------------------------------------------------------------


@login_required
def visit_list(request: HttpRequest) -> HttpResponse:
    if not user_is_staff_member(request.user) and not managed_school_ids(request.user):
        raise Http404
    form = VisitFilterForm(request.GET or None)
    visits = select_visits(user=request.user, filters=VisitFilters(**form.filters()))
    return render(request, "loans/visit_list.html", {"form": form, "page_obj": _page(request, visits)})


@staff_page
def my_visits(request: HttpRequest) -> HttpResponse:
    """A technician's visits on a phone: late, today, this week, later."""
    agenda = technician_agenda(request.user)
    return render(request, "loans/visit_mine.html", {"agenda": agenda})


def _visit_page(request: HttpRequest, visit, *, complete_form=None, referral_form=None, status: int = 200):
    user = request.user
    staff = user_is_staff_member(user)
    may_act = staff and (visit.technician_id == user.pk or user_plans_visits(user))
    if complete_form is None and may_act and visit.status == VisitStatus.PLANNED:
        complete_form = VisitCompleteForm(visit=visit)
    if (
        referral_form is None
        and may_act
        and visit.kind == VisitKind.INTERNET_EVALUATION
        and visit.status == VisitStatus.DONE
    ):
        referral_form = ReferralCreateForm(initial={"referred_on": timezone.localdate()})
    context = {
        "visit": visit,
        "staff": staff,
        "complete_form": complete_form,
        "referral_form": referral_form,
        "referrals": list(visit.referrals.all()),
        "can_plan": staff and user_plans_visits(user) and visit.status == VisitStatus.PLANNED,
        "cancel_form": VisitCancelForm() if staff and user_plans_visits(user) else None,
        "holder_url": holder_staff_url(visit) if staff else None,
    }
    return render(request, "loans/visit_detail.html", context, status=status)


@login_required
def visit_detail(request: HttpRequest, visit_id: int) -> HttpResponse:
    visit = access_visit(request.user, visit_id)
    return _visit_page(request, visit)


@login_required
@require_POST
def visit_complete(request: HttpRequest, visit_id: int) -> HttpResponse:
    """The technician marks the visit done with its checklist (on a phone, on site)."""
    visit = access_visit_for_technician(request.user, visit_id)
    form = VisitCompleteForm(request.POST, visit=visit)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.visit_complete(
                visit=visit,
                by=request.user,
                outcome=data["outcome"],
                checklist=form.checklist(),
                notes=data["notes"],
                training_given=data.get("training_given", False),
                user_guide_handed_over=data.get("user_guide_handed_over", False),
                room=data.get("room", ""),
            )
        except services.KitError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("The visit is marked done."))
            return redirect("loans:visit_detail", visit_id=visit.pk)
    return _visit_page(request, visit, complete_form=form, status=400)


@login_required
def visit_reschedule(request: HttpRequest, visit_id: int) -> HttpResponse:
    visit = access_visit_for_planner(request.user, visit_id)
    local = timezone.localtime(visit.starts_at)
    initial = {
        "day": local.date(),
        "time": local.time().replace(second=0, microsecond=0),
        "duration_minutes": visit.duration_minutes,
        "technician": visit.technician_id,
    }
    form = VisitRescheduleForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.visit_reschedule(
                visit=visit,
                starts_at=data["starts_at"],
                technician=data["technician"],
                duration_minutes=data["duration_minutes"],
                by=request.user,
            )
        except services.KitError as error:
            form.add_error(None, error.message)
        else:
            messages.success(
                request, _("The visit is moved; the technician and the school are told by e-mail.")
            )
            return redirect("loans:visit_detail", visit_id=visit.pk)
    status = 400 if form.errors else 200
    return render(request, "loans/visit_reschedule.html", {"form": form, "visit": visit}, status=status)


@login_required
@require_POST
def visit_cancel(request: HttpRequest, visit_id: int) -> HttpResponse:
    visit = access_visit_for_planner(request.user, visit_id)
    form = VisitCancelForm(request.POST)
    if not form.is_valid():
        messages.error(request, services.ERROR_REASON_REQUIRED)
        return redirect("loans:visit_detail", visit_id=visit.pk)
    try:
        services.visit_cancel(visit=visit, by=request.user, reason=form.cleaned_data["reason"])
    except services.KitError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The visit is cancelled."))
    return redirect("loans:visit_detail", visit_id=visit.pk)


@login_required
@require_POST
def referral_create(request: HttpRequest, visit_id: int) -> HttpResponse:
    """An internet evaluation ends in a referral to the partner internet provider."""
    visit = access_visit_for_technician(request.user, visit_id)
    form = ReferralCreateForm(request.POST)
    if form.is_valid():
        try:
            referral = services.referral_create(visit=visit, by=request.user, **form.cleaned_data)
        except services.KitError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("The referral to the internet provider is recorded."))
            return redirect("loans:referral_detail", referral_id=referral.pk)
    return _visit_page(request, visit, referral_form=form, status=400)


@login_required
def referral_detail(request: HttpRequest, referral_id: int) -> HttpResponse:
    """Follow a referral: the provider's reference, its state, the outcome, the date fixed."""
    referral = access_referral(request.user, referral_id, for_change=request.method == "POST")
    staff = user_is_staff_member(request.user)
    form = None
    if staff and user_manages_inventory(request.user):
        initial = {
            "status": referral.status,
            "provider_reference": referral.provider_reference,
            "outcome": referral.outcome,
            "fixed_on": referral.fixed_on,
        }
        form = ReferralUpdateForm(request.POST or None, initial=initial)
        if request.method == "POST" and form.is_valid():
            try:
                services.referral_update(referral=referral, by=request.user, **form.cleaned_data)
            except services.KitError as error:
                form.add_error(None, error.message)
            else:
                messages.success(request, _("The referral is updated."))
                return redirect("loans:referral_detail", referral_id=referral.pk)
    elif request.method == "POST":
        raise PermissionDenied
    status = 400 if form is not None and form.errors else 200
    return render(request, "loans/referral_detail.html", {"referral": referral, "form": form}, status=status)


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
