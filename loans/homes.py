"""The kit logistics' lines on staff home pages (classcontact.homes)."""

from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from classcontact.homes import WorkLine, work_line
from schools.models import StaffRole
from schools.selectors import user_has_staff_role

from .models import Loan, LoanStatus, Visit, VisitKind, VisitStatus


def staff_lines(user) -> list[WorkLine]:
    """Kits brought back by a retrieval visit and not yet checked in (coordinators, read-only staff)."""
    if not user_has_staff_role(user, StaffRole.COORDINATOR, StaffRole.READ_ONLY):
        return []
    retrieved = Visit.objects.filter(loan=OuterRef("pk"), kind=VisitKind.RETRIEVAL, status=VisitStatus.DONE)
    loans = (
        Loan.objects.filter(status=LoanStatus.LENT)
        .filter(Exists(retrieved))
        .select_related("kit")
        .only("pk", "kit__code")
        .order_by("start", "pk")
    )
    return [
        work_line(
            loans,
            key="kits-to-check-in",
            label=_("Kits back from a retrieval, to check in"),
            url=lambda loan: reverse("loans:loan_check_in", args=[loan.pk]),
            action=lambda loan: _("Check in kit %(code)s") % {"code": loan.kit.code},
            list_url=reverse("loans:loan_list") + "?status=" + LoanStatus.LENT,
        )
    ]
