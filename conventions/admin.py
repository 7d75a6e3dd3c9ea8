"""Documents in the admin: to look things up. Wording, documents, files, signatures and links
are written by the portal's pages and services only, so they are read-only here."""

from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from classcontact.admin import HistoryAdmin
from classcontact.paging import AdminPaginator

from .models import Document, DocumentFile, SchoolConsent, Signature, SigningLink, TemplateVersion


class ReadOnlyAdmin(HistoryAdmin):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False
    show_change_link = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(TemplateVersion)
class TemplateVersionAdmin(ReadOnlyAdmin):
    list_display = ["kind", "language", "number", "title", "created_at", "created_by"]
    list_filter = ["kind", "language"]
    search_fields = ["title", "clauses"]


class DocumentFileInline(ReadOnlyInline):
    model = DocumentFile
    fields = ["variant", "sha256", "size", "created_at"]
    readonly_fields = fields


class SignatureInline(ReadOnlyInline):
    model = Signature
    fields = [
        "role",
        "signer_name",
        "status",
        "sent_at",
        "first_opened_at",
        "signed_at",
        "typed_name",
        "ip_address",
    ]
    readonly_fields = fields


@admin.register(Document)
class DocumentAdmin(ReadOnlyAdmin):
    list_display = ["kind", "case", "slot", "language", "status", "created_at", "signed_at"]
    list_filter = ["kind", "status", "language"]
    search_fields = ["case__number", "case__pupil_last_name", "case__school__name", "public_id"]
    list_select_related = ["case"]
    show_full_result_count = False
    paginator = AdminPaginator
    inlines = [DocumentFileInline, SignatureInline]
    exclude = ["content"]


@admin.register(DocumentFile)
class DocumentFileAdmin(ReadOnlyAdmin):
    list_display = ["document", "variant", "sha256", "size", "created_at"]
    list_filter = ["variant"]
    search_fields = ["sha256", "document__case__number"]
    list_select_related = ["document", "document__case"]
    # The file is private (no URL): it is downloaded from the document's page.
    fields = ["document", "variant", "sha256", "size", "created_at", "document_page"]
    readonly_fields = ["document_page"]

    @admin.display(description=_("download"))
    def document_page(self, obj) -> str:
        return format_html(
            '<a href="{}">{}</a>',
            reverse("conventions:detail", kwargs={"document_id": obj.document.public_id}),
            gettext("Document page (downloads)"),
        )


@admin.register(SigningLink)
class SigningLinkAdmin(ReadOnlyAdmin):
    list_display = [
        "purpose",
        "guardian",
        "sent_to",
        "created_at",
        "expires_at",
        "first_opened_at",
        "used_at",
        "revoked_at",
    ]
    list_filter = ["purpose"]
    search_fields = ["sent_to", "guardian__case__number"]
    exclude = ["token_hash"]
    list_select_related = ["guardian"]


@admin.register(SchoolConsent)
class SchoolConsentAdmin(HistoryAdmin):
    """A consent given on paper or by phone may be recorded here; the newest one is in force."""

    list_display = ["school", "consents", "decided_on", "recorded_at", "recorded_by", "document"]
    list_filter = ["consents"]
    search_fields = ["school__name", "school__official_number"]
    autocomplete_fields = ["school"]
    readonly_fields = ["recorded_at", "recorded_by", "document"]
    list_select_related = ["school", "recorded_by", "document"]

    def save_model(self, request, obj, form, change):
        if not change:
            obj.recorded_by = request.user
        super().save_model(request, obj, form, change)
