"""Loans in the admin: to look them up. A loan is reserved, handed over, returned or
cancelled from the staff pages, whose services check the kit and the dates."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from classcontact.admin_lists import IndexedSearchMixin, QuickRowsMixin, RelatedSearch, year_filter
from classcontact.paging import AdminPaginator
from schools.models import School

from ..models import Item, Kit, Loan
from .common import ReadOnlyAdmin


@admin.register(Loan)
class LoanAdmin(QuickRowsMixin, IndexedSearchMixin, ReadOnlyAdmin):
    list_display = ["kit", "purpose", "school", "reference", "start", "end", "status"]
    # Not a date hierarchy: it reads every loan to list the years.
    list_filter = ["status", "purpose", "kit__kit_type", year_filter("start", _("first day"))]
    search_fields = ["kit__code", "reference", "school__name", "=kit__items__serial_number"]
    search_own = ("reference__icontains",)
    search_related = (
        RelatedSearch("kit", Kit, "pk", ("code__icontains",)),
        RelatedSearch("school", School, "pk", ("name__icontains",)),
        RelatedSearch("kit", Item, "kit_id", ("serial_number__iexact",)),
    )
    list_select_related = ["kit", "school"]
    show_full_result_count = False
    paginator = AdminPaginator
