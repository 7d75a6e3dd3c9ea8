"""Forms of the deployment plan and the training sessions: validation only, the services decide."""

from django import forms
from django.utils.translation import gettext_lazy as _

from loans.forms import DATE_WIDGET, TIME_WIDGET, _clean_when
from loans.models import Kit, KitType, Programme
from schools.models import Trimester, User

from .models import Campaign
from .selectors_deployment import PlanFilters

#: The owner filter's value for the kits the programme owns (their owner is left empty).
PROGRAMME_OWNER = "-"


class KitChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Kit) -> str:
        return f"{obj.code} · {obj.kit_type.name} · {obj.owner_display}"


class PlacementForm(forms.Form):
    kit = KitChoiceField(
        label=_("Kit"),
        queryset=Kit.objects.none(),
        help_text=_("Free kits of a mobile classroom type over the trimester."),
    )
    notes = forms.CharField(
        label=_("Notes"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, kits, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kit"].queryset = kits


class PlanFilterForm(forms.Form):
    """Which kits a page of the plan shows; all of them when nothing is chosen."""

    kit_type = forms.ChoiceField(label=_("Kit type"), required=False)
    owner = forms.ChoiceField(label=_("Owner"), required=False)
    code = forms.CharField(label=_("Kit code"), required=False, max_length=30)
    free_only = forms.BooleanField(label=_("Only kits with a free trimester"), required=False)

    def __init__(self, *args, owners: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        types = KitType.objects.filter(programme=Programme.MOBILE_CLASSROOM).order_by("name")
        self.fields["kit_type"].choices = [
            ("", _("All")),
            *((str(pk), name) for pk, name in types.values_list("pk", "name")),
        ]
        self.fields["owner"].choices = [
            ("", _("All")),
            (PROGRAMME_OWNER, _("The programme")),
            *((owner, owner) for owner in owners),
        ]
        for field in self.fields.values():
            is_select = isinstance(field.widget, forms.Select)
            field.widget.attrs["class"] = "form-select" if is_select else "form-control"
        self.fields["free_only"].widget.attrs["class"] = "form-check-input"

    def filters(self) -> PlanFilters:
        if not self.is_valid():
            return PlanFilters()
        data = self.cleaned_data
        owner = {"": None, PROGRAMME_OWNER: ""}.get(data["owner"], data["owner"])
        return PlanFilters(
            kit_type=int(data["kit_type"]) if data["kit_type"] else None,
            owner=owner,
            code=data["code"].strip(),
            free_only=data["free_only"],
        )


class TrimesterChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Trimester) -> str:
        return str(obj)


class MoveForm(forms.Form):
    trimester = TrimesterChoiceField(label=_("Trimester"), queryset=Trimester.objects.none())
    kit = KitChoiceField(
        label=_("Kit"),
        queryset=Kit.objects.none(),
        help_text=_("Kits of a mobile classroom type that can be lent."),
    )
    reason = forms.CharField(label=_("Reason"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, campaign: Campaign, kits, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["trimester"].queryset = campaign.trimesters.select_related("school_year").order_by(
            "start"
        )
        self.fields["kit"].queryset = kits


class TrainingSessionForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=160)
    trimester = TrimesterChoiceField(label=_("Trimester prepared"), queryset=Trimester.objects.none())
    day = forms.DateField(label=_("Date"), widget=DATE_WIDGET)
    time = forms.TimeField(label=_("Time"), widget=TIME_WIDGET)
    duration_minutes = forms.IntegerField(
        label=_("Duration (minutes)"), min_value=30, max_value=600, initial=180
    )
    place = forms.CharField(label=_("Place"), max_length=200)
    trainer = forms.ModelChoiceField(label=_("Trainer"), queryset=User.objects.none())
    seats = forms.IntegerField(label=_("Seats"), min_value=1, max_value=500, initial=12)

    def __init__(self, *args, campaign: Campaign, trainers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["trimester"].queryset = campaign.trimesters.select_related("school_year").order_by(
            "start"
        )
        self.fields["trainer"].queryset = trainers

    def clean(self):
        return _clean_when(self, super().clean())
