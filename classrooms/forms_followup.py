"""Forms of a class's follow-up and evaluation: validation only; the services do the writing.

Each form has its own prefix: several of them share the follow-up page.
"""

from django import forms
from django.utils.translation import gettext_lazy as _

from classcontact.storage import FileContentValidator

from .models import PRODUCTION_MAX_BYTES, PRODUCTION_TYPES, Invitee, NoteKind
from .selectors_followup import resource_teachers

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TEXTAREA = forms.Textarea(attrs={"rows": 3})
ERROR_VALIDATED_ABOVE = _("There cannot be more pupils validated than pupils assessed.")
ERROR_PRODUCTION_EMPTY = _("Join a file or give a link.")


class AssignForm(forms.Form):
    prefix = "assign"
    teacher = forms.ModelChoiceField(label=_("Resource teacher (ER-TUIC)"), queryset=None)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["teacher"].queryset = resource_teachers()


class NoteForm(forms.Form):
    prefix = "note"
    kind = forms.ChoiceField(label=_("Kind"), choices=NoteKind.choices, widget=forms.RadioSelect)
    on = forms.DateField(label=_("Date"), widget=DATE_WIDGET)
    text = forms.CharField(label=_("Note"), widget=TEXTAREA, max_length=4000)


class PresentationPlanForm(forms.Form):
    prefix = "plan"
    on = forms.DateField(
        label=_("Presentation day"), widget=DATE_WIDGET, help_text=_("The last day of the loan.")
    )
    place = forms.CharField(label=_("Place"), max_length=200)
    invitees = forms.MultipleChoiceField(
        label=_("Invited"), choices=Invitee.choices, widget=forms.CheckboxSelectMultiple, required=False
    )


class PresentationRecordForm(forms.Form):
    prefix = "record"
    shown = forms.CharField(label=_("What the pupils showed"), widget=TEXTAREA, max_length=4000)
    attendance = forms.CharField(
        label=_("Who came"),
        widget=TEXTAREA,
        max_length=2000,
        required=False,
        help_text=_("For example: 30 parents, the deputy mayor, the local newspaper."),
    )
    visitors = forms.IntegerField(label=_("Number of visitors"), min_value=0, max_value=2000, required=False)


class ProductionForm(forms.Form):
    prefix = "production"
    title = forms.CharField(label=_("Title"), max_length=200)
    file = forms.FileField(
        label=_("File"),
        required=False,
        help_text=_("PDF, JPEG or PNG, 20 MB at most."),
        validators=[FileContentValidator(PRODUCTION_TYPES, max_bytes=PRODUCTION_MAX_BYTES)],
    )
    link = forms.URLField(label=_("Or a link"), required=False, assume_scheme="https")
    consent = forms.BooleanField(
        label=_("The school agrees to its publication to promote the programme"),
        required=False,
        help_text=_("With the parents' agreement for any pupil shown."),
    )

    def clean(self):
        cleaned = super().clean()
        if not self.errors and not cleaned.get("file") and not cleaned.get("link"):
            self.add_error("link", ERROR_PRODUCTION_EMPTY)
        return cleaned


class B2iForm(forms.Form):
    prefix = "b2i"
    assessed = forms.IntegerField(
        label=_("Pupils assessed in the B2i competences"), min_value=0, max_value=60
    )
    validated = forms.IntegerField(label=_("Pupils who validated them"), min_value=0, max_value=60)

    def clean(self):
        cleaned = super().clean()
        assessed, validated = cleaned.get("assessed"), cleaned.get("validated")
        if assessed is not None and validated is not None and validated > assessed:
            self.add_error("validated", ERROR_VALIDATED_ABOVE)
        return cleaned


class TeacherEvaluationForm(forms.Form):
    prefix = "teacher"
    text = forms.CharField(
        label=_("The teacher's evaluation"),
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=6000,
        help_text=_("What the mobile classroom brought to the class, what worked, what did not."),
    )


class MunicipalityForm(forms.Form):
    prefix = "municipality"
    contacted_on = forms.DateField(label=_("Municipality contacted on"), widget=DATE_WIDGET, required=False)
    notes = forms.CharField(
        label=_("Contact with the municipality"), widget=TEXTAREA, max_length=4000, required=False
    )
    plan_started = forms.TypedChoiceField(
        label=_("Equipment plan started"),
        choices=[("yes", _("Yes")), ("no", _("No"))],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
    )
    plan_on = forms.DateField(label=_("Started on"), widget=DATE_WIDGET, required=False)
    description = forms.CharField(label=_("Equipment plan"), widget=TEXTAREA, max_length=4000, required=False)
    amount = forms.DecimalField(
        label=_("Amount (€), if known"), required=False, min_value=0, max_digits=10, decimal_places=2
    )
