"""The connection programme's lines on people's home pages (classcontact.homes)."""

from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _

from classcontact.homes import WorkLine, work_line
from schools.models import StaffRole
from schools.selectors import managed_school_ids, user_has_staff_role

from .models import KIT_IN_USE, TO_REVIEW, VISIT_TO_PLAN, ConnectionCase
from .states import CaseStatus

S = CaseStatus


def _board(**filters) -> str:
    return f"{reverse('cases:staff_board')}?{urlencode(filters)}"


def _staff_page(case) -> str:
    return reverse("cases:staff_detail", args=[case.public_id])


def _logistics_page(case) -> str:
    return reverse("cases:case_logistics", args=[case.public_id])


def staff_lines(user) -> list[WorkLine]:
    """What waits for the coordinators (read-only staff see the same lines)."""
    if not user_has_staff_role(user, StaffRole.COORDINATOR, StaffRole.READ_ONLY):
        return []
    cases = ConnectionCase.objects.only("public_id", "number", "pupil_first_name", "pupil_last_name")
    oldest = cases.order_by("status_changed_at", "pk")
    today = timezone.localdate()
    return [
        work_line(
            oldest.filter(status__in=TO_REVIEW),
            key="cases-to-review",
            label=_("Requests to review"),
            url=_staff_page,
            action=_("Review %(item)s"),
            list_url=_board(state=S.SUBMITTED),
        ),
        work_line(
            oldest.filter(status=S.ELIGIBLE),
            key="cases-without-kit",
            label=_("Eligible cases without a kit"),
            url=lambda case: reverse("cases:case_assign", args=[case.public_id]),
            action=_("Reserve a kit for %(item)s"),
            list_url=_board(state=S.ELIGIBLE),
        ),
        work_line(
            oldest.filter(status__in=VISIT_TO_PLAN),
            key="visits-to-plan",
            label=_("Installations and retrievals to plan"),
            url=_logistics_page,
            action=_("Plan the visit of %(item)s"),
            list_url=_board(needs_action="on"),
        ),
        work_line(
            cases.filter(status__in=KIT_IN_USE, absence_end__lt=today).order_by("absence_end", "pk"),
            key="cases-past-expected-end",
            label=_("Cases whose expected end has passed"),
            url=_staff_page,
            action=_("Check %(item)s"),
            list_url=_board(state=S.ACTIVE, sort="school"),
            urgent=True,
        ),
    ]


def school_lines(user) -> list[WorkLine]:
    """What waits for a school's director: requests to finish, kits that may no longer be needed."""
    school_ids = managed_school_ids(user)
    if not school_ids:
        return []
    cases = ConnectionCase.objects.filter(school_id__in=school_ids).only(
        "public_id", "number", "pupil_first_name", "pupil_last_name"
    )
    today = timezone.localdate()
    return [
        work_line(
            cases.filter(status=S.DRAFT).order_by("created_at", "pk"),
            key="requests-to-finish",
            label=_("Requests to finish and send"),
            url=lambda case: reverse("cases:edit", args=[case.public_id]),
            action=_("Finish the request for %(item)s"),
        ),
        work_line(
            cases.filter(status__in=KIT_IN_USE, absence_end__lt=today).order_by("absence_end", "pk"),
            key="kit-still-needed",
            label=_("The expected end has passed: is the kit still needed?"),
            url=lambda case: reverse("cases:detail", args=[case.public_id]) + "#end-of-need",
            action=_("Answer for %(item)s"),
            urgent=True,
        ),
    ]
