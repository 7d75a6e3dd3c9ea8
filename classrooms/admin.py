"""The programme's reference data in the admin: campaigns are set up here; applications and
sessions are read here (their states change only through the programme's pages)."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from classcontact.admin import HistoryAdmin

from .models import (
    Application,
    ApplicationAttachment,
    ApplicationEvent,
    Campaign,
    ClassFollowUp,
    CommissionSession,
    Proposal,
)


@admin.register(Campaign)
class CampaignAdmin(HistoryAdmin):
    list_display = ["name", "school_year", "opens_on", "closes_on"]
    list_filter = ["school_year__calendar"]
    search_fields = ["name"]
    filter_horizontal = ["trimesters", "kits"]


class EventInline(admin.TabularInline):
    model = ApplicationEvent
    extra = 0
    can_delete = False
    fields = ["at", "actor", "kind", "from_status", "to_status", "message", "is_public"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Application)
class ApplicationAdmin(HistoryAdmin):
    list_display = ["number", "school", "class_name", "level", "campaign", "status", "origin"]
    list_filter = ["status", "campaign", "origin", "level", "opinion"]
    search_fields = ["number", "school__name", "class_name"]
    raw_id_fields = ["school", "teachers", "invited_by", "opinion_by", "created_by"]
    readonly_fields = [
        "number",
        "status",
        "status_changed_at",
        "opinion",
        "opinion_comment",
        "opinion_shared",
        "opinion_by",
        "opinion_at",
        "accepted_trimester",
        "accepted_kit_type",
        "decision_reason",
        "decided_at",
        "submitted_at",
    ]
    inlines = [EventInline]


@admin.register(ApplicationAttachment)
class ApplicationAttachmentAdmin(admin.ModelAdmin):
    list_display = ["filename", "application", "size", "created_at"]
    readonly_fields = ["application", "stored_as", "filename", "size", "uploaded_by", "created_at"]
    exclude = ["file"]

    def has_add_permission(self, request):
        return False

    @admin.display(description=_("stored as"))
    def stored_as(self, obj) -> str:
        # Private files have no address: they are downloaded from the application's page.
        return obj.file.name


@admin.register(ApplicationEvent)
class ApplicationEventAdmin(admin.ModelAdmin):
    list_display = ["application", "at", "kind", "actor"]
    list_filter = ["kind"]
    readonly_fields = [
        "application",
        "at",
        "actor",
        "kind",
        "from_status",
        "to_status",
        "message",
        "is_public",
        "notified_at",
    ]

    def has_add_permission(self, request):
        return False


class ProposalInline(admin.TabularInline):
    model = Proposal
    extra = 0
    fields = ["application", "rank", "outcome", "trimester", "kit_type", "decision"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(CommissionSession)
class CommissionSessionAdmin(HistoryAdmin):
    list_display = ["__str__", "campaign", "status", "chair"]
    list_filter = ["status", "campaign"]
    raw_id_fields = ["chair", "members", "present", "created_by"]
    readonly_fields = ["status", "status_changed_at", "minutes_file", "minutes_sha256", "minutes_rendered_at"]
    exclude = ["minutes"]
    inlines = [ProposalInline]

    @admin.display(description=_("minutes"))
    def minutes_file(self, obj) -> str:
        # Private files have no address: the session's page downloads them.
        return obj.minutes.name or "—"


@admin.register(Proposal)
class ProposalAdmin(HistoryAdmin):
    list_display = ["session", "application", "rank", "outcome", "decision"]
    list_filter = ["outcome", "decision"]
    readonly_fields = [
        "session",
        "application",
        "rank",
        "outcome",
        "trimester",
        "kit_type",
        "reason",
        "decision",
        "decision_reason",
        "decided_by",
        "decided_at",
    ]

    def has_add_permission(self, request):
        return False


from . import admin_training  # noqa: E402, F401 - the training sessions' admin


@admin.register(ClassFollowUp)
class ClassFollowUpAdmin(HistoryAdmin):
    """Read here; the follow-up and evaluation are written on the programme's pages."""

    list_display = ["application", "resource_teacher", "presentation_on", "equipment_plan", "evaluated_at"]
    list_select_related = ["application", "resource_teacher"]
    search_fields = ["application__number", "application__school__name"]
    raw_id_fields = ["application", "resource_teacher", "b2i_checked_by"]

    def get_readonly_fields(self, request, obj=None):
        return [field.name for field in self.model._meta.fields]

    def has_add_permission(self, request):
        return False
