"""A school's side: a director's way in and the overview of a school's kits, loans and visits."""

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from schools.selectors import user_is_staff_member

from ..access import access_school_kits
from ..selectors import school_overview as select_school_overview
from ..selectors import schools_with_kits_for, user_manages_inventory, user_plans_visits

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
