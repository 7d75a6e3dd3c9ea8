"""What the loans admin modules share: the forms of the actions, and the read-only base."""

from django import forms
from django.contrib import admin, messages
from django.http import HttpResponse
from django.template.response import TemplateResponse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from classcontact.admin import HistoryAdmin

from .. import services

ACTION_TEMPLATE = "loans/admin/action_form.html"


class ProblemForm(forms.Form):
    problem = forms.CharField(label=_("Problem"), widget=forms.Textarea(attrs={"rows": 3, "cols": 60}))
    workshop = forms.CharField(label=_("Workshop"), required=False, max_length=120)


class NoteForm(forms.Form):
    notes = forms.CharField(
        label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 3, "cols": 60})
    )


def run_action(model_admin, request, queryset, *, title: str, form_class, apply) -> HttpResponse | None:
    """An admin action that first asks for details (a problem, notes), then applies a service
    to each selected object and reports each refusal by name."""
    form = form_class(request.POST if "apply" in request.POST else None)
    if "apply" in request.POST and form.is_valid():
        done, refused = 0, []
        for obj in queryset:
            try:
                apply(obj, form.cleaned_data)
            except services.KitError as error:
                refused.append(f"{obj}: {error.message}")
            else:
                done += 1
        if done:
            model_admin.message_user(request, gettext("%(count)s done.") % {"count": done}, messages.SUCCESS)
        for line in refused:
            model_admin.message_user(request, line, messages.ERROR)
        return None
    context = {
        **model_admin.admin_site.each_context(request),
        "opts": model_admin.opts,
        "title": title,
        "form": form,
        "objects": queryset,
        "action": request.POST.get("action"),
        "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
    }
    return TemplateResponse(request, ACTION_TEMPLATE, context)


class ReadOnlyAdmin(HistoryAdmin):
    """Listed and searchable here; changed only through the portal's pages and services."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class IsNullFilter(admin.SimpleListFilter):
    """A list filter with two choices: ``field`` is empty, or it is set."""

    field = ""
    #: (value in the address, label, whether the field is empty)
    options: tuple[tuple[str, str, bool], ...] = ()

    def lookups(self, request, model_admin):
        return [(value, label) for value, label, _empty in self.options]

    def queryset(self, request, queryset):
        for value, _label, empty in self.options:
            if self.value() == value:
                return queryset.filter(**{f"{self.field}__isnull": empty})
        return queryset
