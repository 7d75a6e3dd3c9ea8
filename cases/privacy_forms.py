"""Forms of a case's data protection page: the legal hold and the access report's filters."""

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from .models import HealthField


class LegalHoldForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for the legal hold"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=1000,
        help_text=_("For example a court's request or a dispute; kept in the case's history."),
    )


class AccessFilterForm(forms.Form):
    who = forms.CharField(label=_("Who (e-mail)"), required=False, max_length=254)
    field = forms.ChoiceField(label=_("What"), required=False)
    start = forms.DateField(label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label=_("Until"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["field"].choices = [("", _("Everything")), *HealthField.choices]

    def filter(self, reads: QuerySet) -> QuerySet:
        """The reads matching the filters (all of them while the form is not valid)."""
        if not self.is_valid():
            return reads
        data = self.cleaned_data
        if data["who"]:
            reads = reads.filter(user__email__icontains=data["who"].strip())
        if data["field"]:
            reads = reads.filter(field=data["field"])
        if data["start"]:
            reads = reads.filter(at__date__gte=data["start"])
        if data["end"]:
            reads = reads.filter(at__date__lte=data["end"])
        return reads
