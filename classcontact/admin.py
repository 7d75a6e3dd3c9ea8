from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from post_office import models as post_office_models
from simple_history.admin import SimpleHistoryAdmin

from .models import YearlyCounter

ERROR_REVERT_REFUSED = _(
    "An old version cannot be restored here: its state changes only through the staff pages, "
    "which check each change and record it."
)


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


def has_state_machine(model) -> bool:
    """Whether the model's state changes through a table of allowed transitions."""
    return getattr(model, "TRANSITIONS", None) is not None


class HistoryAdmin(SimpleHistoryAdmin):
    """The admin of every domain model: django-simple-history's pages, and a 404 (not a
    server error) for a version address that is not a number.

    Restoring an old version ("revert") saves every field of that version, read-only ones
    included, so it is refused for a model with a state machine (``TRANSITIONS``, or
    ``state_machine = True`` on the admin): its states change only through the services.
    """

    state_machine: bool | None = None

    def revert_allowed(self, request, obj=None) -> bool:
        state_machine = (
            self.state_machine if self.state_machine is not None else has_state_machine(self.model)
        )
        return not state_machine and self.has_change_permission(request, obj)

    def revert_disabled(self, request, obj=None):
        return super().revert_disabled(request, obj) or not self.revert_allowed(request, obj)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        if not str(version_id).isdigit():
            raise Http404
        if request.method == "POST" and not self.revert_allowed(
            request, self.get_object(request, unquote(object_id))
        ):
            raise PermissionDenied(ERROR_REVERT_REFUSED)
        return super().history_form_view(request, object_id, version_id, extra_context=extra_context)


# The mail queue: read in the admin; sending again goes through the outgoing-mail page, which
# hands the mail to the outbox (post_office's own admin would requeue it for a command that
# this portal does not run). Templates live in templates/emails, not in the database.
for _model in (post_office_models.Email, post_office_models.Log, post_office_models.EmailTemplate):
    if admin.site.is_registered(_model):
        admin.site.unregister(_model)
if admin.site.is_registered(post_office_models.Attachment):
    admin.site.unregister(post_office_models.Attachment)


class MailAttemptInline(admin.TabularInline):
    model = post_office_models.Log
    fields = ["date", "status", "exception_type", "message"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(post_office_models.Email)
class QueuedMailAdmin(admin.ModelAdmin):
    list_display = ["created", "to", "subject", "status", "last_updated"]
    list_filter = ["status"]
    search_fields = ["to", "subject"]
    fields = ["created", "from_email", "to", "subject", "status", "message", "last_updated"]
    readonly_fields = fields
    inlines = [MailAttemptInline]
    change_form_template = "admin/change_form.html"  # post_office's own links to its resend page
    change_list_template = "admin/change_list.html"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
