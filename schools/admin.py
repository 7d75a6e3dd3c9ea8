from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from .models import (
    Calendar,
    Holiday,
    Invitation,
    Membership,
    School,
    SchoolClass,
    SchoolYear,
    Trimester,
    User,
)


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(User)
class UserAdmin(SimpleHistoryAdmin, BaseUserAdmin):
    ordering = ["email"]
    list_display = ["email", "first_name", "last_name", "is_staff", "is_active", "last_login"]
    list_filter = ["is_staff", "is_active", "groups", "language"]
    search_fields = ["email", "first_name", "last_name"]
    inlines = [MembershipInline]
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        (_("Person"), {"fields": ("first_name", "last_name", "phone", "language")}),
        (_("Access"), {"fields": ("is_active", "is_staff", "is_superuser", "groups")}),
        (_("Dates"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = ((None, {"classes": ("wide",), "fields": ("email", "password1", "password2")}),)


class SchoolClassInline(admin.TabularInline):
    model = SchoolClass
    extra = 0
    fields = ["name", "level", "school_year"]


@admin.register(School)
class SchoolAdmin(SimpleHistoryAdmin):
    list_display = ["name", "official_number", "city", "region", "network", "in_fwb", "is_active"]
    list_filter = ["region", "network", "in_fwb", "eligible_mobile_classroom", "is_active", "calendar"]
    search_fields = ["name", "official_number", "city", "postcode", "district"]
    inlines = [SchoolClassInline, MembershipInline]


@admin.register(Membership)
class MembershipAdmin(SimpleHistoryAdmin):
    list_display = ["user", "school", "role", "created_at"]
    list_filter = ["role"]
    search_fields = ["user__email", "user__last_name", "school__name", "school__official_number"]
    autocomplete_fields = ["user", "school"]


@admin.register(SchoolClass)
class SchoolClassAdmin(SimpleHistoryAdmin):
    list_display = ["name", "school", "level", "school_year"]
    search_fields = ["name", "school__name"]
    list_filter = ["school_year"]
    autocomplete_fields = ["school", "teachers"]


@admin.register(Invitation)
class InvitationAdmin(SimpleHistoryAdmin):
    list_display = ["email", "school", "role", "created_at", "expires_at", "accepted_at"]
    list_filter = ["role", ("accepted_at", admin.EmptyFieldListFilter)]
    search_fields = ["email", "school__name"]
    readonly_fields = ["accepted_at", "accepted_by", "invited_by", "created_at"]
    exclude = ["token_hash"]

    def has_add_permission(self, request):
        # Invitations are sent from the school page, so that the e-mail with its link goes out.
        return False


class TrimesterInline(admin.TabularInline):
    model = Trimester
    extra = 0


@admin.register(SchoolYear)
class SchoolYearAdmin(SimpleHistoryAdmin):
    list_display = ["label", "calendar", "start", "end"]
    list_filter = ["calendar"]
    inlines = [TrimesterInline]


class HolidayInline(admin.TabularInline):
    model = Holiday
    extra = 0


@admin.register(Calendar)
class CalendarAdmin(SimpleHistoryAdmin):
    list_display = ["name", "code", "kind", "is_default"]
    list_filter = ["kind"]
    search_fields = ["name", "code"]
    inlines = [HolidayInline]


@admin.register(Holiday)
class HolidayAdmin(SimpleHistoryAdmin):
    list_display = ["name", "calendar", "start", "end"]
    list_filter = ["calendar"]
    search_fields = ["name"]
    date_hierarchy = "start"
