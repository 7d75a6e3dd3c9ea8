"""Finding and reserving kits (availability, a kit type's calendar) and a kit's own page."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from classcontact.decorators import staff_required
from classcontact.export_views import export_download
from schools.selectors import managed_school_ids, user_is_staff_member

from .. import services
from ..access import access_kit, access_kit_for_inventory, access_kit_room
from ..exports import KITS
from ..forms import AvailabilityForm, CalendarForm, RoomForm, SwapForm
from ..models import KitType
from ..selectors import (
    FREE_KITS_COUNT_CAP,
    calendar_weeks,
    kit_loans,
    kit_missing_components,
    kit_repairs,
    kit_timeline,
    kit_type_calendar_kits,
    kit_type_calendar_rows,
    kit_types,
    kits_free_between,
    user_manages_inventory,
)
from .common import paginate, staff_page

# --- finding and reserving kits --------------------------------------------------------------------


@staff_page
def availability(request: HttpRequest) -> HttpResponse:
    """Which kits of a type are free from A to B, nearest first."""
    form = AvailabilityForm(request.GET or None, initial={"start": timezone.localdate()})
    page = None
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        kits = kits_free_between(
            kit_type=data["kit_type"], start=data["start"], end=data["end"], region=data["region"]
        )
        page = paginate(request, kits, cap=FREE_KITS_COUNT_CAP)
    status = 400 if form.is_bound and form.errors else 200
    return render(request, "loans/kit_availability.html", {"form": form, "page_obj": page}, status=status)


@staff_page
def kit_type_calendar(request: HttpRequest, kit_type_id: int) -> HttpResponse:
    """Every kit of a type over the coming months, one cell per week."""
    kit_type = get_object_or_404(KitType, pk=kit_type_id)
    form = CalendarForm(request.GET or None)
    first_day, months, region = form.values()
    weeks = calendar_weeks(first_day, weeks=round(months * 52 / 12))
    page = paginate(request, kit_type_calendar_kits(kit_type, region=region))
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


@staff_required
def availability_export(request: HttpRequest, fmt: str) -> HttpResponse:
    """The kits the availability search finds, as CSV or XLSX (staff who may view kits)."""
    return export_download(request, KITS, fmt)
