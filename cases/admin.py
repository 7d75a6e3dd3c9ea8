from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.core.exceptions import FieldDoesNotExist
from django.db.models.constants import LOOKUP_SEP
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from classcontact.admin import HistoryAdmin
from classcontact.admin_lists import IndexedSearchMixin, QuickRowsMixin, RelatedSearch, year_filter
from classcontact.paging import AdminPaginator
from schools.models import School

from .models import CaseEvent, ConnectionCase, Guardian, HealthDataAccess, HealthField
from .selectors import programme_years, user_can_read_health_data
from .services import health_read_record


class GuardianInline(admin.TabularInline):
    model = Guardian
    extra = 0
    fields = ["position", "first_name", "last_name", "email", "phone", "language"]


class CaseEventInline(admin.TabularInline):
    model = CaseEvent
    extra = 0
    fields = ["at", "actor", "kind", "to_status", "message", "is_public"]
    readonly_fields = fields
    can_delete = False
    ordering = ["at", "pk"]

    def has_add_permission(self, request, obj=None):
        return False


HEALTH_FIELDS = [HealthField.REASON_CATEGORY.value, HealthField.CERTIFICATE.value]


def lookup_reaches_health_data(model, lookup: str) -> bool:
    """Whether an admin filter lookup reads a case's health field, here or through relations."""
    for part in lookup.split(LOOKUP_SEP):
        try:
            field = model._meta.get_field(part)
        except FieldDoesNotExist:
            return False
        if model is ConnectionCase and part in HEALTH_FIELDS:
            return True
        if not field.is_relation or field.related_model is None:
            return False
        model = field.related_model
    return False


# The state, the number and what the state machine records change only through the
# services (the staff case pages), so that every change is checked and in the timeline.
# Retention: written by the case's data protection page and the daily purge only.
RETENTION_FIELDS = [
    "legal_hold_reason",
    "legal_hold_at",
    "legal_hold_by",
    "purged_at",
    "documents_purged_at",
]
STATE_FIELDS = [
    *RETENTION_FIELDS,
    "public_id",
    "number",
    "status",
    "status_changed_at",
    "programme_year",
    "submitted_at",
    "closed_at",
    "check_school_in_fwb",
    "check_medical_reason",
    "eligibility_decision",
    "eligibility_reason",
    "decided_at",
    "decided_by",
    "certificate_file",
    "certificate_deleted_at",
    "end_requested_at",
    "presentation_requested_at",
    "presentation_handled_at",
    "classmates_letter_requested_at",
    "classmates_letter_handled_at",
    "planned_date",
    "last_day_of_use",
    "withdrawal_reason",
    "internal_notes",
    "created_by",
    "created_at",
]


class ProgrammeYearFilter(admin.SimpleListFilter):
    """The recent programme years, listed without reading the cases."""

    title = _("programme year")
    parameter_name = "programme_year"

    def lookups(self, request, model_admin):
        return [(year, year) for year in programme_years()]

    def queryset(self, request, queryset):
        return queryset.filter(programme_year=self.value()) if self.value() else queryset


@admin.register(ConnectionCase)
class ConnectionCaseAdmin(QuickRowsMixin, IndexedSearchMixin, HistoryAdmin):
    list_display = ["number", "pupil_last_name", "pupil_first_name", "school", "status", "submitted_at"]
    # Neither a date hierarchy nor a list of the years in the table: both read every case.
    list_filter = [
        "status",
        ProgrammeYearFilter,
        year_filter("submitted_at", _("submitted")),
        "school__region",
        "home_has_internet",
        "guardian_count",
    ]
    search_fields = [
        "number",
        "pupil_last_name",
        "pupil_first_name",
        "school__name",
        "school__official_number",
    ]
    search_own = ("number__icontains", "pupil_last_name__icontains", "pupil_first_name__icontains")
    # A school by part of its name or by its whole official number (as on the staff board):
    # both on an index, where part of a number would read every school.
    search_related = (RelatedSearch("school", School, "pk", ("name__icontains", "official_number__iexact")),)
    list_select_related = ["school"]
    # The columns the rows read (list_display and __str__): a case has some fifty.
    list_only = ["number", "pupil_first_name", "pupil_last_name", "school", "status", "submitted_at"]
    show_full_result_count = False
    paginator = AdminPaginator
    autocomplete_fields = ["school", "coordinator", "teachers"]
    raw_id_fields = ["school_class"]
    readonly_fields = STATE_FIELDS
    inlines = [GuardianInline, CaseEventInline]
    fieldsets = (
        (
            None,
            {
                "fields": (
                    "number",
                    "public_id",
                    "status",
                    "status_changed_at",
                    "programme_year",
                    "coordinator",
                )
            },
        ),
        (_("School"), {"fields": ("school", "school_class", "teachers", "teacher_names")}),
        (_("Pupil"), {"fields": ("pupil_first_name", "pupil_last_name", "pupil_birth_date")}),
        (
            _("Absence (health-related: reads are logged)"),
            {
                "fields": (
                    "absence_start",
                    "absence_end",
                    "absence_end_unknown",
                    "reason_category",
                    "certificate_file",
                    "certificate_deleted_at",
                )
            },
        ),
        (_("Home"), {"fields": ("home_street", "home_postcode", "home_city", "home_has_internet")}),
        (_("Parents"), {"fields": ("guardian_count", "guardians_agree", "school_note")}),
        (
            _("Eligibility"),
            {
                "fields": (
                    "check_school_in_fwb",
                    "check_medical_reason",
                    "eligibility_decision",
                    "eligibility_reason",
                    "decided_at",
                    "decided_by",
                )
            },
        ),
        (
            _("Follow-up"),
            {
                "fields": (
                    "planned_date",
                    "last_day_of_use",
                    "end_requested_at",
                    "presentation_requested_at",
                    "presentation_handled_at",
                    "classmates_letter_requested_at",
                    "classmates_letter_handled_at",
                    "withdrawal_reason",
                    "internal_notes",
                )
            },
        ),
        (_("Record"), {"fields": ("created_by", "created_at", "submitted_at", "closed_at")}),
        (_("Retention"), {"fields": RETENTION_FIELDS}),
    )

    @admin.display(description=_("medical certificate"))
    def certificate_file(self, obj):
        if not obj.certificate:
            return "—"
        url = reverse("cases:staff_certificate", kwargs={"case_id": obj.public_id})
        return format_html('<a href="{}">{}</a>', url, _("Download (the read is logged)"))

    def has_add_permission(self, request):
        # Requests start from the school's form, so that the timeline and e-mails follow.
        return False

    def get_exclude(self, request, obj=None):
        return [] if user_can_read_health_data(request.user) else list(HEALTH_FIELDS)

    def get_fieldsets(self, request, obj=None):
        if user_can_read_health_data(request.user):
            return self.fieldsets
        hidden = {*HEALTH_FIELDS, "certificate_file"}
        return [
            (name, {**options, "fields": [f for f in options["fields"] if f not in hidden]})
            for name, options in self.fieldsets
        ]

    def lookup_allowed(self, lookup, value, request=None):
        # Django lets any lookup on the model's own fields through an address
        # ("?reason_category=illness"): that would let anyone sort cases by health reason.
        if lookup_reaches_health_data(self.model, lookup) and not user_can_read_health_data(request.user):
            return False
        return super().lookup_allowed(lookup, value, request)

    def set_history_delta_changes(self, request, historical_records, foreign_keys_are_objs=True):
        """The changes between versions, without the health fields for staff who may not read them."""
        if user_can_read_health_data(request.user):
            return super().set_history_delta_changes(request, historical_records, foreign_keys_are_objs)
        previous = None
        for current in historical_records:
            if previous is not None:
                delta = previous.diff_against(
                    current, excluded_fields=HEALTH_FIELDS, foreign_keys_are_objs=foreign_keys_are_objs
                )
                helper = self.get_historical_record_context_helper(request, previous)
                previous.history_delta_changes = helper.context_for_delta_changes(delta)
            previous = current

    def _log_health_read(self, request, object_id, context: str) -> None:
        if not user_can_read_health_data(request.user):
            return
        case = self.get_object(request, unquote(object_id))
        if case is not None:
            health_read_record(
                user=request.user, case=case, field=HealthField.REASON_CATEGORY, context=context
            )

    def change_view(self, request, object_id, form_url="", extra_context=None):
        if request.method == "GET":
            self._log_health_read(request, object_id, "admin")
        return super().change_view(request, object_id, form_url, extra_context)

    def history_view(self, request, object_id, extra_context=None):
        self._log_health_read(request, object_id, "admin history")
        return super().history_view(request, object_id, extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        response = super().history_form_view(request, object_id, version_id, extra_context)
        self._log_health_read(request, object_id, "admin history version")
        return response


@admin.register(CaseEvent)
class CaseEventAdmin(admin.ModelAdmin):
    list_display = ["at", "case", "kind", "actor", "is_public"]
    search_fields = ["case__number", "message"]
    list_select_related = ["case", "actor"]
    list_filter = ["kind", "is_public", year_filter("at", _("year"))]
    show_full_result_count = False
    paginator = AdminPaginator

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(HealthDataAccess)
class HealthDataAccessAdmin(admin.ModelAdmin):
    list_display = ["at", "user", "case", "field", "context"]
    list_filter = ["field"]
    search_fields = ["case__number", "user__email"]
    list_select_related = ["case", "user"]
    date_hierarchy = "at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
