"""Forms of the mobile classroom programme: validation only; the services do the writing."""

from django import forms
from django.utils.translation import gettext_lazy as _

from classcontact.storage import FileContentValidator
from loans.models import KitType
from schools.models import District, MembershipRole, ProgrammeRole, School, User

from .models import (
    ATTACHMENT_MAX_BYTES,
    ATTACHMENT_TYPES,
    Application,
    ApplicationStatus,
    Campaign,
    ClassLevel,
    Opinion,
    Origin,
    ProposalOutcome,
)
from .selectors import ApplicationFilters, capacity_by_kit_type
from .services import APPLICATION_FIELDS, ApplicationData

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TEXTAREA = forms.Textarea(attrs={"rows": 3})


class ApplicationForm(forms.ModelForm):
    """The class's application. Anything may stay empty in a draft; sending needs it all."""

    class Meta:
        model = Application
        fields = [*APPLICATION_FIELDS[:4], "teachers", *APPLICATION_FIELDS[4:], "preferred_trimesters"]
        widgets = {
            "teachers": forms.CheckboxSelectMultiple,
            "preferred_trimesters": forms.CheckboxSelectMultiple,
            "teacher_names": forms.Textarea(attrs={"rows": 2}),
            **{
                name: TEXTAREA
                for name in ("objectives", "activities", "b2i_link", "municipality_information", "equipment")
            },
        }
        help_texts = {
            "objectives": _("What the pupils will learn with the mobile classroom."),
            "activities": _(
                "Activities planned with the laptops or tablets, and what the pupils will produce."
            ),
            "municipality_information": _(
                "The director informs the municipality and invites it to see the project."
            ),
        }

    def __init__(self, *args, school: School, campaign: Campaign, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["teachers"].queryset = User.objects.filter(
            memberships__school=school, memberships__role=MembershipRole.TEACHER, is_active=True
        ).order_by("last_name", "first_name")
        self.fields["preferred_trimesters"].queryset = campaign.trimesters.select_related(
            "school_year"
        ).order_by("start")
        for name in self.fields:
            self.fields[name].required = False

    def to_data(self) -> ApplicationData:
        data = self.cleaned_data
        return ApplicationData(
            **{
                name: data[name] if data[name] is not None else (None if name == "pupil_count" else "")
                for name in APPLICATION_FIELDS
            },
            teachers=list(data["teachers"]),
            preferred_trimesters=list(data["preferred_trimesters"]),
        )


class AttachmentForm(forms.Form):
    file = forms.FileField(
        label=_("Add a file"),
        help_text=_(
            "PDF, JPEG or PNG, 5 MB at most (a letter of the municipality, a photo of the equipment…)."
        ),
        validators=[FileContentValidator(ATTACHMENT_TYPES, max_bytes=ATTACHMENT_MAX_BYTES)],
    )


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), widget=TEXTAREA, max_length=2000)


class OpinionForm(forms.Form):
    opinion = forms.ChoiceField(label=_("Opinion"), choices=Opinion.choices, widget=forms.RadioSelect)
    comment = forms.CharField(label=_("Comment"), widget=TEXTAREA, required=False, max_length=4000)
    shared = forms.BooleanField(label=_("The school may read this comment"), required=False)


class InviteForm(forms.Form):
    campaign = forms.ModelChoiceField(label=_("Campaign"), queryset=Campaign.objects.none())
    school = forms.ModelChoiceField(label=_("School"), queryset=School.objects.none())
    reason = forms.CharField(
        label=_("Why this school is invited"),
        widget=TEXTAREA,
        max_length=2000,
        help_text=_("For example: too little equipment, a low B2i validation rate."),
    )
    b2i_rate = forms.DecimalField(
        label=_("B2i validation rate of the school (%)"),
        required=False,
        min_value=0,
        max_value=100,
        decimal_places=1,
    )

    def __init__(self, *args, campaigns, schools, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["campaign"].queryset = campaigns
        self.fields["school"].queryset = schools


class ApplicationFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, help_text=_("Number, school, city or class."))
    # Plain choices, each read in one query: a model choice would ask again to check the
    # value sent, and read its options through a server-side cursor.
    campaign = forms.ChoiceField(label=_("Campaign"), required=False)
    district = forms.ChoiceField(label=_("District"), required=False)
    state = forms.ChoiceField(
        label=_("State"),
        required=False,
        choices=[("", _("All"))] + [c for c in ApplicationStatus.choices if c[0] != "draft"],
    )
    level = forms.ChoiceField(label=_("Level"), required=False, choices=[("", _("All")), *ClassLevel.choices])
    origin = forms.ChoiceField(
        label=_("Invited or not"), required=False, choices=[("", _("All")), *Origin.choices]
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        campaigns = Campaign.objects.order_by("-opens_on").values_list("pk", "name")
        districts = District.objects.order_by("name").values_list("pk", "name")
        self.fields["campaign"].choices = [("", _("All")), *((str(pk), name) for pk, name in campaigns)]
        self.fields["district"].choices = [("", _("All")), *((str(pk), name) for pk, name in districts)]
        for field in self.fields.values():
            is_select = isinstance(field.widget, forms.Select)
            field.widget.attrs["class"] = "form-select" if is_select else "form-control"

    def filters(self) -> ApplicationFilters:
        if not self.is_valid():
            return ApplicationFilters()
        data = self.cleaned_data
        return ApplicationFilters(
            q=data["q"],
            campaign=data["campaign"],
            district=data["district"],
            state=data["state"],
            level=data["level"],
            origin=data["origin"],
        )


def programme_people(*roles: str):
    return (
        User.objects.filter(groups__name__in=roles, is_active=True)
        .distinct()
        .order_by("last_name", "first_name")
    )


COMMISSION = (ProgrammeRole.COMMISSION_MEMBER, ProgrammeRole.COMMISSION_CHAIR, ProgrammeRole.ADVISER)


class SessionForm(forms.Form):
    campaign = forms.ModelChoiceField(label=_("Campaign"), queryset=Campaign.objects.order_by("-opens_on"))
    held_on = forms.DateField(label=_("Date"), widget=DATE_WIDGET)
    place = forms.CharField(label=_("Place"), required=False, max_length=200)
    chair = forms.ModelChoiceField(label=_("Chair"), queryset=User.objects.none(), required=False)
    members = forms.ModelMultipleChoiceField(
        label=_("Members invited"),
        queryset=User.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["chair"].queryset = programme_people(ProgrammeRole.COMMISSION_CHAIR)
        self.fields["members"].queryset = programme_people(*COMMISSION)


class AgendaForm(forms.Form):
    applications = forms.ModelMultipleChoiceField(
        label=_("Applications with an opinion"),
        queryset=Application.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, queryset, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["applications"].queryset = queryset
        self.fields["applications"].label_from_instance = lambda a: (
            f"{a.number_display} · {a.school.name} · {a.class_display}"
        )


class ProposalOptions:
    """The trimesters and kit types a campaign offers, read once for all the proposal forms of a page."""

    def __init__(self, campaign: Campaign):
        self.trimesters = {
            t.pk: t for t in campaign.trimesters.select_related("school_year").order_by("start")
        }
        kit_type_ids = list(capacity_by_kit_type(campaign))
        self.kit_types = {k.pk: k for k in KitType.objects.filter(pk__in=kit_type_ids).order_by("name")}

    @staticmethod
    def choices(objects: dict) -> list[tuple[str, str]]:
        return [("", "---------")] + [(str(pk), str(obj)) for pk, obj in objects.items()]


class ProposalForm(forms.Form):
    rank = forms.IntegerField(label=_("Rank"), min_value=1, max_value=999)
    outcome = forms.ChoiceField(label=_("Proposal"), choices=ProposalOutcome.choices)
    trimester = forms.ChoiceField(label=_("Trimester"), required=False)
    kit_type = forms.ChoiceField(label=_("Kit type"), required=False)
    reason = forms.CharField(
        label=_("Reason"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, options: ProposalOptions, **kwargs):
        super().__init__(*args, **kwargs)
        self.options = options
        self.fields["trimester"].choices = options.choices(options.trimesters)
        self.fields["kit_type"].choices = options.choices(options.kit_types)

    def clean_trimester(self):
        value = self.cleaned_data["trimester"]
        return self.options.trimesters.get(int(value)) if value else None

    def clean_kit_type(self):
        value = self.cleaned_data["kit_type"]
        return self.options.kit_types.get(int(value)) if value else None


class PresenceForm(forms.Form):
    present = forms.ModelMultipleChoiceField(
        label=_("Members present"),
        queryset=User.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    notes = forms.CharField(label=_("Notes of the session"), required=False, widget=TEXTAREA, max_length=8000)

    def __init__(self, *args, members, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["present"].queryset = members


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[("accept", _("Accept the proposal")), ("refuse", _("Refuse the proposal"))],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label=_("Reason (needed for a refusal; the school reads it)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
