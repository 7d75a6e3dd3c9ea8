from django.contrib import admin
from django.http import Http404
from simple_history.admin import SimpleHistoryAdmin

from .models import YearlyCounter


@admin.register(YearlyCounter)
class YearlyCounterAdmin(admin.ModelAdmin):
    list_display = ["scope", "year", "last_value"]
    list_filter = ["scope"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class HistoryAdmin(SimpleHistoryAdmin):
    """The admin of every domain model: django-simple-history's pages, and a 404 (not a
    server error) for a version address that is not a number."""

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        if not str(version_id).isdigit():
            raise Http404
        return super().history_form_view(request, object_id, version_id, extra_context=extra_context)
