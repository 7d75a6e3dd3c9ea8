from django.contrib import admin

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
