"""Inventory in the admin: kit types, kits, items, repairs and the kits' timeline.

States never change by editing a field here: the actions (send to repair, mark lost,
retire…) call the same services as the staff pages, so every change is checked and
recorded in the kit's timeline.
"""

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count, IntegerField, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from classcontact.admin import HistoryAdmin
from classcontact.admin_lists import IndexedSearchMixin, QuickRowsMixin, RelatedSearch, year_filter
from classcontact.import_jobs import import_job_start
from classcontact.paging import AdminPaginator
from schools.imports import ImportFileError

from .. import services
from ..imports import REQUIRED_COLUMNS, items_export_csv, items_import_check
from ..models import InventoryState, Item, Kit, KitEvent, KitType, KitTypeComponent, Repair, RepairOutcome
from .common import IsNullFilter, NoteForm, ProblemForm, run_action

STATE_LABELS = dict(InventoryState.choices)


class ItemImportForm(forms.Form):
    file = forms.FileField(
        label=_("CSV file"),
        help_text=_("UTF-8 or Windows-1252, separated by ';' or ','."),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv,text/plain"}),
    )
    dry_run = forms.BooleanField(
        label=_("Dry run"),
        required=False,
        help_text=_("Check the file and show what would change, without saving anything."),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > settings.UPLOAD_MAX_BYTES:
            raise forms.ValidationError(
                _("The file is too large (at most %(limit)s MB)."),
                params={"limit": max(settings.UPLOAD_MAX_BYTES // (1024 * 1024), 1)},
            )
        return upload


class KitTypeComponentInline(admin.TabularInline):
    model = KitTypeComponent
    extra = 0


@admin.register(KitType)
class KitTypeAdmin(HistoryAdmin):
    list_display = ["name", "code", "programme", "kit_count"]
    list_filter = ["programme"]
    search_fields = ["name", "code"]
    prepopulated_fields = {"code": ("name",)}
    inlines = [KitTypeComponentInline]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(kit_count=Count("kits"))

    @admin.display(description=_("kits"), ordering="kit_count")
    def kit_count(self, obj) -> int:
        return obj.kit_count


class ItemInline(admin.TabularInline):
    """The items of a kit; new lines are registered in the kit, states change by actions only."""

    model = Item
    extra = 0
    fields = ["category", "model_name", "serial_number", "state", "purchased_on"]
    readonly_fields = ["state"]
    can_delete = False
    show_change_link = True


class AtSchoolFilter(IsNullFilter):
    title = _("location")
    parameter_name = "where"
    field = "school"
    options = (("depot", _("at the depot"), True), ("school", _("at a school"), False))


@admin.register(Kit)
class KitAdmin(QuickRowsMixin, IndexedSearchMixin, HistoryAdmin):
    list_display = ["code", "kit_type", "state_display", "owner", "region", "school", "room", "item_count"]
    list_filter = ["state", "kit_type", "region", AtSchoolFilter]
    search_fields = ["code", "=items__serial_number"]
    search_own = ("code__icontains",)
    search_related = (RelatedSearch("pk", Item, "kit_id", ("serial_number__iexact",)),)
    search_help_text = _("Kit code, or the exact serial number of one of its items.")
    list_select_related = ["kit_type", "school"]
    show_full_result_count = False
    paginator = AdminPaginator
    readonly_fields = ["state", "state_changed_at", "school", "room", "created_at", "timeline_link"]
    fields = ["code", "kit_type", "owner", "region", "depot", "notes", *readonly_fields]
    inlines = [ItemInline]
    actions = ["send_to_repair", "mark_lost", "mark_found", "retire"]
    list_per_page = 50

    def get_queryset(self, request):
        # A subquery per row shown, not a count grouped over every kit of the table.
        items = Item.objects.filter(kit=OuterRef("pk")).order_by().values("kit").annotate(n=Count("pk"))
        return (
            super()
            .get_queryset(request)
            .annotate(item_count=Coalesce(Subquery(items.values("n"), output_field=IntegerField()), 0))
        )

    @admin.display(description=_("state"), ordering="state")
    def state_display(self, obj) -> str:
        # Not ``get_state_display()``: it builds the choices' dict again for each row.
        return STATE_LABELS.get(obj.state, obj.state)

    @admin.display(description=_("items"), ordering="item_count")
    def item_count(self, obj) -> int:
        return obj.item_count

    @admin.display(description=_("timeline"))
    def timeline_link(self, obj) -> str:
        if not obj.pk:
            return "—"
        return format_html(
            '<a href="{}">{}</a>',
            reverse("loans:kit_detail", args=[obj.pk]),
            gettext("Kit page and timeline"),
        )

    def save_model(self, request, obj, form, change):
        if change:
            obj._history_user = request.user
            # Only what the form changed: the state and ``free_from`` belong to the services.
            obj.save(update_fields=form.changed_data)
            if "kit_type" in form.changed_data:
                # Its loans' days lent move to the new type.
                services.kits_settle_use(Kit.objects.filter(pk=obj.pk))
        else:
            services.kit_register(kit=obj, by=request.user)

    def save_formset(self, request, form, formset, change):
        for item in formset.save(commit=False):
            if item.pk is None:
                item.kit = form.instance
                services.item_register(item=item, by=request.user)
            else:
                item._history_user = request.user
                item.save()

    @admin.action(description=_("Send to repair"), permissions=["change"])
    def send_to_repair(self, request, queryset):
        return run_action(
            self,
            request,
            queryset,
            title=gettext("Send these kits to repair"),
            form_class=ProblemForm,
            apply=lambda kit, data: services.kit_send_to_repair(
                kit=kit, by=request.user, problem=data["problem"], workshop=data["workshop"]
            ),
        )

    @admin.action(description=_("Mark lost"), permissions=["change"])
    def mark_lost(self, request, queryset):
        return run_action(
            self,
            request,
            queryset,
            title=gettext("Mark these kits lost"),
            form_class=NoteForm,
            apply=lambda kit, data: services.kit_mark_lost(kit=kit, by=request.user, notes=data["notes"]),
        )

    @admin.action(description=_("Mark found again"), permissions=["change"])
    def mark_found(self, request, queryset):
        return run_action(
            self,
            request,
            queryset,
            title=gettext("These kits are back"),
            form_class=NoteForm,
            apply=lambda kit, data: services.kit_mark_found(kit=kit, by=request.user, notes=data["notes"]),
        )

    @admin.action(description=_("Retire"), permissions=["change"])
    def retire(self, request, queryset):
        return run_action(
            self,
            request,
            queryset,
            title=gettext("Retire these kits"),
            form_class=NoteForm,
            apply=lambda kit, data: services.kit_retire(kit=kit, by=request.user, notes=data["notes"]),
        )


class ItemAdminForm(forms.ModelForm):
    class Meta:
        model = Item
        fields = ["kit", "category", "model_name", "serial_number", "purchased_on", "notes"]


@admin.register(Item)
class ItemAdmin(QuickRowsMixin, IndexedSearchMixin, HistoryAdmin):
    form = ItemAdminForm
    list_display = ["serial_number", "category", "model_name", "kit", "state"]
    list_filter = ["state", "category", "kit__kit_type", "kit__region"]
    search_fields = ["serial_number", "model_name", "kit__code"]
    search_own = ("serial_number__icontains", "model_name__icontains")
    search_related = (RelatedSearch("kit", Kit, "pk", ("code__icontains",)),)
    search_help_text = _("Serial number, model or kit code.")
    list_select_related = ["kit"]
    autocomplete_fields = ["kit"]
    show_full_result_count = False
    paginator = AdminPaginator
    readonly_fields = ["state", "state_changed_at", "created_at"]
    actions = ["send_to_repair", "mark_lost", "mark_found", "retire", "export_csv"]
    change_list_template = "loans/admin/item_change_list.html"
    list_per_page = 100

    def get_urls(self):
        # Before the default URLs: their "<path:object_id>/" would swallow these.
        return [
            path("import/", self.admin_site.admin_view(self.import_view), name="loans_item_import"),
            path("export/", self.admin_site.admin_view(self.export_view), name="loans_item_export"),
            *super().get_urls(),
        ]

    def save_model(self, request, obj, form, change):
        """A new item is registered; a change of kit goes through the swap services."""
        if not change:
            services.item_register(item=obj, by=request.user)
            return
        new_kit = obj.kit
        previous_kit_id = form.initial.get("kit")
        obj.kit_id = previous_kit_id
        obj._history_user = request.user
        obj.save()
        if (new_kit.pk if new_kit else None) != previous_kit_id:
            try:
                if previous_kit_id is not None:
                    services.kit_item_remove(item=obj, by=request.user, notes=gettext("administration"))
                    obj.refresh_from_db()
                if new_kit is not None:
                    services.kit_item_add(
                        kit=new_kit, item=obj, by=request.user, notes=gettext("administration")
                    )
            except services.KitError as error:
                self.message_user(request, error.message, messages.ERROR)

    def has_import_permission(self, request: HttpRequest) -> bool:
        return self.has_add_permission(request) and self.has_change_permission(request)

    def changelist_view(self, request, extra_context=None):
        extra_context = {**(extra_context or {}), "can_import": self.has_import_permission(request)}
        return super().changelist_view(request, extra_context)

    def _csv_response(self, queryset) -> HttpResponse:
        response = HttpResponse(items_export_csv(queryset), content_type="text/csv; charset=utf-8")
        stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
        response["Content-Disposition"] = f'attachment; filename="items-{stamp}.csv"'
        return response

    @admin.action(description=_("Export to CSV"), permissions=["view"])
    def export_csv(self, request, queryset):
        return self._csv_response(queryset)

    def export_view(self, request: HttpRequest) -> HttpResponse:
        if not self.has_view_permission(request):
            raise PermissionDenied
        return self._csv_response(self.get_queryset(request))

    def import_view(self, request: HttpRequest) -> HttpResponse:
        if not self.has_import_permission(request):
            raise PermissionDenied
        form = ItemImportForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            upload = form.cleaned_data["file"]
            upload.seek(0)
            try:
                items_import_check(data=upload.read())
            except ImportFileError as error:
                form.add_error("file", error.message)
            else:
                # A worker imports the file: its page shows the progress, then the report.
                job = import_job_start(
                    kind="items", upload=upload, user=request.user, dry_run=form.cleaned_data["dry_run"]
                )
                return redirect("import_job", job_id=job.public_id)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": gettext("Import items from CSV"),
            "form": form,
            "required_columns": REQUIRED_COLUMNS,
        }
        return TemplateResponse(request, "loans/admin/item_import.html", context)

    @admin.action(description=_("Send to repair"), permissions=["change"])
    def send_to_repair(self, request, queryset):
        return run_action(
            self,
            request,
            queryset,
            title=gettext("Send these items to repair"),
            form_class=ProblemForm,
            apply=lambda item, data: services.item_send_to_repair(
                item=item, by=request.user, problem=data["problem"], workshop=data["workshop"]
            ),
        )

    @admin.action(description=_("Mark lost"), permissions=["change"])
    def mark_lost(self, request, queryset):
        return run_action(
            self,
            request,
            queryset,
            title=gettext("Mark these items lost"),
            form_class=NoteForm,
            apply=lambda item, data: services.item_mark_lost(item=item, by=request.user, notes=data["notes"]),
        )

    @admin.action(description=_("Mark found again"), permissions=["change"])
    def mark_found(self, request, queryset):
        return run_action(
            self,
            request,
            queryset,
            title=gettext("These items are back"),
            form_class=NoteForm,
            apply=lambda item, data: services.item_mark_found(
                item=item, by=request.user, notes=data["notes"]
            ),
        )

    @admin.action(description=_("Retire"), permissions=["change"])
    def retire(self, request, queryset):
        return run_action(
            self,
            request,
            queryset,
            title=gettext("Retire these items"),
            form_class=NoteForm,
            apply=lambda item, data: services.item_retire(item=item, by=request.user, notes=data["notes"]),
        )


class RepairOpenFilter(IsNullFilter):
    title = _("open")
    parameter_name = "open"
    field = "closed_at"
    options = (("yes", _("open"), True), ("no", _("closed"), False))


@admin.register(Repair)
class RepairAdmin(HistoryAdmin):
    list_display = ["opened_at", "kit", "item", "problem", "workshop", "cost", "closed_at", "outcome"]
    list_filter = [RepairOpenFilter, "outcome", "workshop"]
    search_fields = ["item__serial_number", "kit__code", "workshop", "problem"]
    list_select_related = ["kit", "item"]
    date_hierarchy = "opened_at"
    fields = [
        "kit",
        "item",
        "problem",
        "workshop",
        "cost",
        "notes",
        "opened_at",
        "opened_by",
        "closed_at",
        "closed_by",
        "outcome",
    ]
    readonly_fields = ["kit", "item", "opened_at", "opened_by", "closed_at", "closed_by", "outcome"]
    actions = ["close_repaired", "close_nothing_wrong", "close_beyond_repair"]

    def has_add_permission(self, request):
        # A repair starts with the "send to repair" action of a kit or an item.
        return False

    def save_model(self, request, obj, form, change):
        obj._history_user = request.user
        obj.save()

    def _close(self, request, queryset, outcome):
        return run_action(
            self,
            request,
            queryset.filter(closed_at__isnull=True),
            title=gettext("Close these repairs"),
            form_class=NoteForm,
            apply=lambda repair, data: services.repair_close(
                repair=repair, by=request.user, outcome=outcome, notes=data["notes"]
            ),
        )

    @admin.action(description=_("Close: repaired"), permissions=["change"])
    def close_repaired(self, request, queryset):
        return self._close(request, queryset, RepairOutcome.REPAIRED)

    @admin.action(description=_("Close: nothing wrong found"), permissions=["change"])
    def close_nothing_wrong(self, request, queryset):
        return self._close(request, queryset, RepairOutcome.NOTHING_WRONG)

    @admin.action(description=_("Close: beyond repair (retire)"), permissions=["change"])
    def close_beyond_repair(self, request, queryset):
        return self._close(request, queryset, RepairOutcome.BEYOND_REPAIR)


@admin.register(KitEvent)
class KitEventAdmin(admin.ModelAdmin):
    list_display = ["at", "kind", "kit", "item", "from_state", "to_state", "condition", "actor"]
    list_filter = ["kind", "condition", year_filter("at", _("year"))]
    search_fields = ["kit__code", "item__serial_number"]
    list_select_related = ["kit", "item", "actor"]
    show_full_result_count = False
    paginator = AdminPaginator

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
