"""Training sessions in the admin: read here, with their registrations; they are planned, and
teachers register, on the programme's pages (the seats are the database's to guard)."""

from django.contrib import admin

from classcontact.admin import HistoryAdmin

from .models import TrainingRegistration, TrainingSession


class RegistrationInline(admin.TabularInline):
    model = TrainingRegistration
    extra = 0
    can_delete = False
    fields = ["teacher", "application", "status", "seat", "attended", "created_at", "cancelled_at"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(TrainingSession)
class TrainingSessionAdmin(HistoryAdmin):
    list_display = ["title", "starts_at", "campaign", "trimester", "trainer", "seats"]
    list_filter = ["campaign"]
    search_fields = ["title", "place"]
    raw_id_fields = ["trainer"]
    inlines = [RegistrationInline]

    def get_readonly_fields(self, request, obj=None):
        # The seats are copied on each registration: they are set once, on the programme's page.
        return ["campaign", "trimester", "seats"]

    def has_add_permission(self, request):
        return False
