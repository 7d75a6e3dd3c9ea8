"""Loans in the admin: to look them up. A loan is reserved, handed over, returned or
cancelled from the staff pages, whose services check the kit and the dates."""

from django.contrib import admin

from ..models import Loan
from .common import ReadOnlyAdmin


@admin.register(Loan)
class LoanAdmin(ReadOnlyAdmin):
    list_display = ["kit", "purpose", "school", "reference", "start", "end", "status"]
    list_filter = ["status", "purpose", "kit__kit_type"]
    search_fields = ["kit__code", "reference", "school__name", "=kit__items__serial_number"]
    list_select_related = ["kit", "school"]
    date_hierarchy = "start"
    show_full_result_count = False
