from django import forms
from django.conf import settings
from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from classcontact.admin import HistoryAdmin
from classcontact.import_jobs import import_job_start
from classcontact.storage import ERROR_FILE_EMPTY, ERROR_FILE_TOO_LARGE

from .calendar_import import CalendarImportError, calendars_import_check
from .imports import REQUIRED_COLUMNS, ImportFileError, schools_import_check
from .models import (
    Calendar,
    District,
    Holiday,
    Invitation,
    Membership,
    School,
    SchoolClass,
    SchoolYear,
    Trimester,
    User,
)

ERROR_PASSWORD_OF_ANOTHER = _(
    "Only a superuser sets another person's password: send them the password reset link instead."
)


class UploadForm(forms.Form):
    """A file to import (IMPORT_MAX_BYTES at most), and a dry-run switch."""

    file = forms.FileField(label=_("File"), error_messages={"empty": ERROR_FILE_EMPTY})
    dry_run = forms.BooleanField(
        label=_("Dry run"),
        required=False,
        help_text=_("Check the file and show what would change, without saving anything."),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        limit = settings.IMPORT_MAX_BYTES
        if upload.size == 0:
            raise forms.ValidationError(ERROR_FILE_EMPTY, code="empty")
        if upload.size > limit:
            raise forms.ValidationError(
                ERROR_FILE_TOO_LARGE, code="too_large", params={"limit": max(limit // (1024 * 1024), 1)}
            )
        return upload


class SchoolImportForm(UploadForm):
    file = forms.FileField(
        label=_("CSV file"),
        error_messages={"empty": ERROR_FILE_EMPTY},
        help_text=_("UTF-8 or Windows-1252, separated by ';' or ','."),
        widget=forms.FileInput(attrs={"accept": ".csv,text/csv,text/plain"}),
    )


class CalendarImportForm(UploadForm):
    file = forms.FileField(
        label=_("iCalendar file (.ics)"),
        error_messages={"empty": ERROR_FILE_EMPTY},
        widget=forms.FileInput(attrs={"accept": ".ics,text/calendar"}),
    )


def _read_upload(form: UploadForm) -> bytes:
    upload = form.cleaned_data["file"]
    upload.seek(0)
    return upload.read()


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(User)
class UserAdmin(HistoryAdmin, BaseUserAdmin):
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

    # Who may act as staff, and with which rights, is for superusers to decide: a coordinator
    # invites and deactivates people, but promotes nobody (themselves included).
    PROMOTION_FIELDS = ["is_staff", "is_superuser", "groups", "user_permissions"]

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if request.user.is_superuser:
            return fields
        fields += self.PROMOTION_FIELDS
        if obj is not None and (obj.is_staff or obj.is_superuser):
            # A staff account's address receives its password resets: changing it would
            # hand the account over.
            fields.append("email")
            if not obj.is_active:
                fields.append("is_active")  # reopening a staff account gives its rights back
        return fields

    def user_change_password(self, request, id, form_url=""):
        if not request.user.is_superuser and str(request.user.pk) != unquote(id):
            raise PermissionDenied(ERROR_PASSWORD_OF_ANOTHER)
        return super().user_change_password(request, id, form_url)

    def revert_allowed(self, request, obj=None) -> bool:
        # An old version carries its staff flags and password: only superusers restore one.
        return request.user.is_superuser and super().revert_allowed(request, obj)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        # An old version's form links to "../password/", which lands here: send it to the
        # real password page.
        if version_id == "password":
            return redirect("admin:auth_user_password_change", unquote(object_id))
        return super().history_form_view(request, object_id, version_id, extra_context=extra_context)


class SchoolClassInline(admin.TabularInline):
    model = SchoolClass
    extra = 0
    fields = ["name", "level", "school_year"]


@admin.register(School)
class SchoolAdmin(HistoryAdmin):
    list_display = ["name", "official_number", "city", "region", "network", "in_fwb", "is_active"]
    list_filter = ["region", "network", "in_fwb", "eligible_mobile_classroom", "is_active", "calendar"]
    autocomplete_fields = ["inspection_district"]
    search_fields = ["name", "official_number", "city", "postcode", "district"]
    date_hierarchy = "created_at"
    inlines = [SchoolClassInline, MembershipInline]

    def get_urls(self):
        # Before the default URLs: their "<path:object_id>/" would swallow "import/".
        return [
            path("import/", self.admin_site.admin_view(self.import_view), name="schools_school_import"),
            *super().get_urls(),
        ]

    def has_import_permission(self, request: HttpRequest) -> bool:
        return self.has_add_permission(request) and self.has_change_permission(request)

    def changelist_view(self, request, extra_context=None):
        extra_context = {**(extra_context or {}), "can_import": self.has_import_permission(request)}
        return super().changelist_view(request, extra_context)

    def import_view(self, request: HttpRequest) -> HttpResponse:
        if not self.has_import_permission(request):
            raise PermissionDenied
        form = SchoolImportForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            try:
                schools_import_check(data=_read_upload(form))
            except ImportFileError as error:
                form.add_error("file", error.message)
            else:
                # A worker imports the file (50,000 rows take a minute): its page shows the progress.
                job = import_job_start(
                    kind="schools",
                    upload=form.cleaned_data["file"],
                    user=request.user,
                    dry_run=form.cleaned_data["dry_run"],
                )
                return redirect("import_job", job_id=job.public_id)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": gettext("Import schools from CSV"),
            "form": form,
            "required_columns": REQUIRED_COLUMNS,
        }
        return TemplateResponse(request, "admin/schools/school/import_csv.html", context)


@admin.register(District)
class DistrictAdmin(HistoryAdmin):
    list_display = ["name", "department", "code", "inspector"]
    list_filter = ["department"]
    search_fields = ["name", "code", "department"]
    autocomplete_fields = ["inspector"]
    filter_horizontal = ["resource_teachers"]


@admin.register(Membership)
class MembershipAdmin(HistoryAdmin):
    list_display = ["user", "school", "role", "created_at"]
    list_filter = ["role"]
    date_hierarchy = "created_at"
    search_fields = ["user__email", "user__last_name", "school__name", "school__official_number"]
    autocomplete_fields = ["user", "school"]


@admin.register(SchoolClass)
class SchoolClassAdmin(HistoryAdmin):
    list_display = ["name", "school", "level", "school_year"]
    search_fields = ["name", "school__name"]
    list_filter = ["school_year"]
    autocomplete_fields = ["school", "teachers"]


@admin.register(Invitation)
class InvitationAdmin(HistoryAdmin):
    list_display = ["email", "school", "role", "created_at", "expires_at", "accepted_at"]
    list_filter = ["role", ("accepted_at", admin.EmptyFieldListFilter)]
    search_fields = ["email", "school__name"]
    date_hierarchy = "created_at"
    readonly_fields = ["accepted_at", "accepted_by", "invited_by", "created_at"]
    exclude = ["token_hash"]

    def has_add_permission(self, request):
        # Invitations are sent from the school page, so that the e-mail with its link goes out.
        return False


class TrimesterInline(admin.TabularInline):
    model = Trimester
    extra = 0


@admin.register(SchoolYear)
class SchoolYearAdmin(HistoryAdmin):
    list_display = ["label", "calendar", "start", "end"]
    list_filter = ["calendar"]
    date_hierarchy = "start"
    inlines = [TrimesterInline]


class HolidayInline(admin.TabularInline):
    model = Holiday
    extra = 0


@admin.register(Calendar)
class CalendarAdmin(HistoryAdmin):
    list_display = ["name", "code", "kind", "is_default"]
    list_filter = ["kind"]
    search_fields = ["name", "code"]
    inlines = [HolidayInline]

    def get_urls(self):
        return [
            path(
                "<path:object_id>/import-ics/",
                self.admin_site.admin_view(self.import_ics_view),
                name="schools_calendar_import_ics",
            ),
            *super().get_urls(),
        ]

    def import_ics_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        calendar = self.get_object(request, unquote(object_id))
        if calendar is None:
            raise Http404
        if not self.has_change_permission(request, calendar):
            raise PermissionDenied
        form = CalendarImportForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            try:
                calendars_import_check(data=_read_upload(form))
            except CalendarImportError as error:
                form.add_error("file", error.message)
            else:
                job = import_job_start(
                    kind="calendar",
                    upload=form.cleaned_data["file"],
                    user=request.user,
                    dry_run=form.cleaned_data["dry_run"],
                    params={"calendar_id": calendar.pk},
                )
                return redirect("import_job", job_id=job.public_id)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "original": calendar,
            "title": gettext("Import an iCalendar file into %(calendar)s") % {"calendar": calendar},
            "form": form,
        }
        return TemplateResponse(request, "admin/schools/calendar/import_ics.html", context)


@admin.register(Holiday)
class HolidayAdmin(HistoryAdmin):
    list_display = ["name", "calendar", "start", "end"]
    list_filter = ["calendar"]
    search_fields = ["name"]
    date_hierarchy = "start"
