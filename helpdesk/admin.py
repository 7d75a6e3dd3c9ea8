from django.contrib import admin

from cases.models import ConnectionCase
from classcontact.admin import HistoryAdmin
from classcontact.admin_lists import IndexedSearchMixin, QuickRowsMixin, RelatedSearch
from classcontact.paging import AdminPaginator
from loans.models import Kit
from schools.models import School

from .models import CannedReply, HelpArticle, Target, Ticket, TicketMessage


@admin.register(HelpArticle)
class HelpArticleAdmin(HistoryAdmin):
    list_display = ["title", "published", "updated_at"]
    list_filter = ["published"]
    search_fields = ["title", "body"]


@admin.register(CannedReply)
class CannedReplyAdmin(HistoryAdmin):
    list_display = ["title", "is_active"]
    list_filter = ["is_active"]
    search_fields = ["title", "body"]


@admin.register(Target)
class TargetAdmin(HistoryAdmin):
    list_display = ["category", "priority", "first_response_hours", "resolution_hours"]
    list_filter = ["category", "priority"]
    list_editable = ["first_response_hours", "resolution_hours"]


class ReadOnlyMixin:
    """Tickets change only through the helpdesk pages, which check transitions and send mails."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ReadOnlyAdmin(ReadOnlyMixin, HistoryAdmin):
    pass


@admin.register(Ticket)
class TicketAdmin(QuickRowsMixin, IndexedSearchMixin, ReadOnlyAdmin):
    state_machine = True  # its transitions are the module's TRANSITIONS table
    list_display = [
        "reference",
        "subject",
        "school",
        "category",
        "priority",
        "status",
        "assignee",
        "created_at",
    ]
    list_filter = ["status", "category", "priority"]
    search_fields = ["reference", "subject", "school__name", "=kit__code", "=case__number"]
    search_own = ("reference__icontains", "subject__icontains")
    search_related = (
        RelatedSearch("school", School, "pk", ("name__icontains",)),
        RelatedSearch("kit", Kit, "pk", ("code__iexact",)),
        RelatedSearch("case", ConnectionCase, "pk", ("number__iexact",)),
    )
    list_select_related = ["school", "assignee"]
    # The columns the rows read (list_display and __str__): not the description.
    list_only = ["reference", "subject", "school", "category", "priority", "status", "assignee", "created_at"]
    show_full_result_count = False
    paginator = AdminPaginator


@admin.register(TicketMessage)
class TicketMessageAdmin(ReadOnlyAdmin):
    list_display = ["ticket", "visibility", "author", "created_at"]
    list_filter = ["visibility"]
    list_select_related = ["ticket", "author"]
    search_fields = ["ticket__reference"]
    show_full_result_count = False
    paginator = AdminPaginator
