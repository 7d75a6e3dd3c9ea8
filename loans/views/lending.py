"""Loans: the list, a loan's page, booking a kit for a class, check-in, hand-over, cancelling."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from classcontact.decorators import staff_required
from classcontact.export_views import export_download
from schools.selectors import managed_school_ids, user_is_staff_member

from .. import services
from ..access import access_loan, access_loan_for_inventory, access_school_kits, require_planner
from ..exports import LOANS
from ..forms import CheckInForm, ClassLoanForm, LoanFilterForm
from ..holders import holder_description, holder_staff_url
from ..models import Kit, LoanStatus
from ..selectors import LoanFilters, loan_items, user_manages_inventory, user_plans_visits
from ..selectors import loan_list as select_loans
from .common import paginate

# --- loans -------------------------------------------------------------------------------------


@login_required
def loan_list(request: HttpRequest) -> HttpResponse:
    if not user_is_staff_member(request.user) and not managed_school_ids(request.user):
        raise Http404
    form = LoanFilterForm(request.GET or None)
    loans = select_loans(user=request.user, filters=LoanFilters(**form.filters()))
    return render(request, "loans/loan_list.html", {"form": form, "page_obj": paginate(request, loans)})


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
        "holder_description": holder_description(loan),
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


@staff_required
def loan_list_export(request: HttpRequest, fmt: str) -> HttpResponse:
    """The loans with the list's filters, as CSV or XLSX (staff who may view loans)."""
    return export_download(request, LOANS, fmt)
