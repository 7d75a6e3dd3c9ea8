"""Visits, internet referrals and calendar feeds in the admin: to look them up. Visits are
planned, done or cancelled from the staff pages, which mail the school and keep the feeds."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from .. import services
from ..models import CalendarFeed, InternetReferral, Visit
from .common import ReadOnlyAdmin


@admin.register(Visit)
class VisitAdmin(ReadOnlyAdmin):
    list_display = ["starts_at", "kind", "school", "technician", "status", "outcome"]
    list_filter = ["status", "kind", "outcome"]
    search_fields = ["school__name", "reference", "technician__email", "address"]
    list_select_related = ["school", "technician"]
    date_hierarchy = "starts_at"
    show_full_result_count = False


@admin.register(InternetReferral)
class InternetReferralAdmin(ReadOnlyAdmin):
    list_display = ["referred_on", "school", "reference", "provider_reference", "status", "fixed_on"]
    list_filter = ["status"]
    search_fields = ["provider_reference", "school__name", "reference"]
    list_select_related = ["school"]


@admin.register(CalendarFeed)
class CalendarFeedAdmin(ReadOnlyAdmin):
    list_display = ["__str__", "created_by", "created_at", "revoked_at", "last_used_at"]
    list_select_related = ["user", "school", "created_by"]
    list_filter = [("revoked_at", admin.EmptyFieldListFilter)]
    exclude = ["token_hash"]
    actions = ["revoke"]

    @admin.action(description=_("Revoke (the address stops working)"), permissions=["view"])
    def revoke(self, request, queryset):
        if not request.user.has_perm("loans.change_calendarfeed"):
            raise PermissionDenied
        for feed in queryset:
            services.feed_revoke(feed=feed, by=request.user)
        self.message_user(request, gettext("Revoked."), messages.SUCCESS)
