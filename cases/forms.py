"""Forms of the connection cases: validation only; the services do the writing."""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import HTML, Column, Div, Fieldset, Layout, Row
from django import forms
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from classcontact.storage import FileContentValidator
from schools.models import Language, MembershipRole, Region, School, User

from .models import CERTIFICATE_MAX_BYTES, CERTIFICATE_TYPES, CaseStatus, ConnectionCase, ReasonCategory
from .selectors import BOARD_SORTS, CLOSED, DEFAULT_SORT, OPEN, BoardFilters, programme_years
from .services import CaseRequestData, GuardianData, request_missing

ERROR_REQUIRED_TO_SEND = _("Needed to send the request.")
ERROR_END_BEFORE_START = _("The end of the absence cannot be before its start.")
ERROR_BIRTH_IN_FUTURE = _("The date of birth cannot be in the future.")
ERROR_CLASS_TWICE = _("Choose a class in the list or add a new one, not both.")
ERROR_END_OR_UNKNOWN = _("Give the expected end, or tick that it is not known yet.")
ERROR_TEACHERS = _("Name at least one teacher of the class.")
#: How the form words a missing field when "needed to send the request" says too little.
COMPLETION_MESSAGES = {"teacher_names": ERROR_TEACHERS, "absence_end": ERROR_END_OR_UNKNOWN}
ERROR_DECISION_REASON = _("Tell the school why the pupil is not eligible.")
ERROR_CHECKLIST = _("Every rule of the checklist must be met to declare the case eligible.")

CERTIFICATE_ATTACHED = _("A certificate is attached to this draft. Choose a new file to replace it.")
HOME_HINT = _("Where the home side of the kit is set up.")
FIRST_GUARDIAN = _("First parent or guardian")
SECOND_GUARDIAN = _("Second parent or guardian (only if two sign)")

DATE_WIDGET = {"widget": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}
INTERNET_CHOICES = [("yes", _("Yes")), ("no", _("No")), ("unknown", _("I don't know"))]
GUARDIAN_FIELDS = ("first_name", "last_name", "email", "phone", "language")


def _date_field(label, **kwargs) -> forms.DateField:
    return forms.DateField(label=label, required=False, **DATE_WIDGET, **kwargs)


def _guardian_fields(n: int) -> Div:
    """The fields of the first or second parent or guardian, in the request form's layout."""
    return Div(
        Row(
            Column(f"guardian{n}_first_name", css_class="col-md-6"),
            Column(f"guardian{n}_last_name", css_class="col-md-6"),
        ),
        Row(
            Column(f"guardian{n}_email", css_class="col-md-5"),
            Column(f"guardian{n}_phone", css_class="col-md-4"),
            Column(f"guardian{n}_language", css_class="col-md-3"),
        ),
        css_id=f"guardian-{n}",
    )


class CaseRequestForm(forms.Form):
    """The school's request. Anything may be left empty in a draft; sending needs it all."""

    pupil_first_name = forms.CharField(label=_("First name"), max_length=100, required=False)
    pupil_last_name = forms.CharField(label=_("Last name"), max_length=100, required=False)
    pupil_birth_date = _date_field(_("Date of birth"))

    school_class = forms.ModelChoiceField(
        label=_("Class"), queryset=None, required=False, empty_label=_("— choose the class —")
    )
    new_class_name = forms.CharField(
        label=_("Or add a class"),
        max_length=60,
        required=False,
        help_text=_("If the class is not in the list, for example 3B or P5."),
    )
    teachers = forms.ModelMultipleChoiceField(
        label=_("Teachers with a portal account"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    teacher_names = forms.CharField(
        label=_("Teachers"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Names and e-mail addresses of the teachers of the class."),
    )

    absence_start = _date_field(_("Absent from"))
    absence_end = _date_field(_("Absent until (expected)"))
    absence_end_unknown = forms.BooleanField(label=_("The end is not known yet"), required=False)
    reason_category = forms.ChoiceField(
        label=_("Reason"),
        choices=ReasonCategory.choices,
        required=False,
        widget=forms.RadioSelect,
        help_text=_("Only the kind of reason. Do not write any diagnosis."),
    )
    certificate = forms.FileField(
        label=_("Medical certificate (optional)"),
        required=False,
        validators=[FileContentValidator(CERTIFICATE_TYPES, max_bytes=CERTIFICATE_MAX_BYTES)],
        widget=forms.FileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png,application/pdf,image/jpeg,image/png"}),
        help_text=_(
            "PDF, JPEG or PNG, at most 5 MB. Only the ClassContact team sees it, and it is deleted "
            "once eligibility is decided."
        ),
    )
    remove_certificate = forms.BooleanField(
        label=_("Remove the certificate sent with this draft"), required=False
    )

    home_street = forms.CharField(label=_("Street and number"), max_length=200, required=False)
    home_postcode = forms.CharField(label=_("Postcode"), max_length=10, required=False)
    home_city = forms.CharField(label=_("City"), max_length=100, required=False)
    home_has_internet = forms.ChoiceField(
        label=_("Is there internet at home?"),
        choices=INTERNET_CHOICES,
        required=False,
        widget=forms.RadioSelect,
    )

    guardian_count = forms.TypedChoiceField(
        label=_("How many parents or guardians will sign?"),
        choices=[(1, _("One")), (2, _("Two"))],
        coerce=int,
        initial=1,
        required=False,
        empty_value=1,
        widget=forms.RadioSelect,
    )
    guardians_agree = forms.BooleanField(
        label=_("The parents or guardians agree to this request and to being contacted by ClassContact."),
        required=False,
    )
    school_note = forms.CharField(
        label=_("Anything else we should know? (optional)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Practical information only, no medical details."),
    )

    def __init__(
        self, *args, school: School, submitting: bool = False, has_certificate: bool = False, **kwargs
    ):
        super().__init__(*args, **kwargs)
        self.school = school
        self.submitting = submitting
        self.has_certificate = has_certificate
        self.fields["school_class"].queryset = school.classes.order_by("name")
        self.fields["school_class"].label_from_instance = lambda c: (
            f"{c.name} · {c.level}" if c.level else c.name
        )
        self.fields["teachers"].queryset = User.objects.filter(
            memberships__school=school, memberships__role=MembershipRole.TEACHER, is_active=True
        ).order_by("last_name", "first_name")
        if not has_certificate:
            del self.fields["remove_certificate"]
        for n in (1, 2):
            self.fields[f"guardian{n}_first_name"] = forms.CharField(
                label=_("First name"), max_length=100, required=False
            )
            self.fields[f"guardian{n}_last_name"] = forms.CharField(
                label=_("Last name"), max_length=100, required=False
            )
            self.fields[f"guardian{n}_email"] = forms.EmailField(
                label=_("E-mail"),
                required=False,
                help_text=_("The engagement to sign is sent to this address."),
            )
            self.fields[f"guardian{n}_phone"] = forms.CharField(
                label=_("Phone"), max_length=40, required=False
            )
            self.fields[f"guardian{n}_language"] = forms.ChoiceField(
                label=_("Language"), choices=Language.choices, initial=Language.FR, required=False
            )
        for name in ("pupil_first_name", "pupil_last_name", "home_street", "home_city"):
            self.fields[name].widget.attrs["autocomplete"] = "off"
        self.helper = self._helper()

    def _certificate_fields(self) -> list:
        if not self.has_certificate:
            return ["certificate"]
        return [
            HTML(format_html('<p class="alert alert-secondary small mb-2">{}</p>', CERTIFICATE_ATTACHED)),
            "certificate",
            "remove_certificate",
        ]

    def _helper(self) -> FormHelper:
        helper = FormHelper()
        helper.form_tag = False
        certificate_fields = self._certificate_fields()
        helper.layout = Layout(
            Fieldset(
                _("The pupil"),
                Row(
                    Column("pupil_first_name", css_class="col-md-5"),
                    Column("pupil_last_name", css_class="col-md-4"),
                    Column("pupil_birth_date", css_class="col-md-3"),
                ),
            ),
            Fieldset(
                _("Class and teachers"),
                Row(
                    Column("school_class", css_class="col-md-6"),
                    Column("new_class_name", css_class="col-md-6"),
                ),
                "teachers",
                "teacher_names",
            ),
            Fieldset(
                _("Absence"),
                Row(
                    Column("absence_start", css_class="col-md-4"),
                    Column("absence_end", css_class="col-md-4"),
                    Column("absence_end_unknown", css_class="col-md-4 pt-md-4"),
                ),
                "reason_category",
                *certificate_fields,
            ),
            Fieldset(
                _("At home"),
                HTML(format_html('<p class="text-muted small">{}</p>', HOME_HINT)),
                "home_street",
                Row(Column("home_postcode", css_class="col-md-4"), Column("home_city", css_class="col-md-8")),
                "home_has_internet",
            ),
            Fieldset(
                _("Parents or guardians"),
                "guardian_count",
                HTML(format_html('<h3 class="h6 mt-2">{}</h3>', FIRST_GUARDIAN)),
                _guardian_fields(1),
                HTML(format_html('<h3 class="h6 mt-2">{}</h3>', SECOND_GUARDIAN)),
                _guardian_fields(2),
            ),
            Fieldset(_("To finish"), "school_note", "guardians_agree"),
        )
        return helper

    def clean(self):
        cleaned = super().clean()
        today = timezone.localdate()
        birth = cleaned.get("pupil_birth_date")
        if birth and birth > today:
            self.add_error("pupil_birth_date", ERROR_BIRTH_IN_FUTURE)
        start, end = cleaned.get("absence_start"), cleaned.get("absence_end")
        if cleaned.get("absence_end_unknown"):
            cleaned["absence_end"] = end = None
        if start and end and end < start:
            self.add_error("absence_end", ERROR_END_BEFORE_START)
        if cleaned.get("school_class") and cleaned.get("new_class_name", "").strip():
            self.add_error("new_class_name", ERROR_CLASS_TWICE)
        if self.submitting:
            self._check_complete(cleaned)
        return cleaned

    def _check_complete(self, cleaned) -> None:
        """Show, on each field, what the service says is still missing (it owns the rule)."""
        for name in request_missing(self._data(cleaned)):
            if name not in self.errors:
                self.add_error(name, COMPLETION_MESSAGES.get(name, ERROR_REQUIRED_TO_SEND))

    def to_data(self) -> CaseRequestData:
        return self._data(self.cleaned_data)

    @staticmethod
    def _data(c: dict) -> CaseRequestData:
        """The request as the form holds it (fields that failed validation count as empty)."""

        def text(name: str) -> str:
            return (c.get(name) or "").strip()

        internet = {"yes": True, "no": False}.get(c.get("home_has_internet") or "")
        guardians = [
            GuardianData(**{part: c.get(f"guardian{n}_{part}") or "" for part in GUARDIAN_FIELDS})
            for n in (1, 2)
        ]
        return CaseRequestData(
            pupil_first_name=text("pupil_first_name"),
            pupil_last_name=text("pupil_last_name"),
            pupil_birth_date=c.get("pupil_birth_date"),
            school_class=c.get("school_class"),
            new_class_name=text("new_class_name"),
            teachers=list(c.get("teachers") or []),
            teacher_names=text("teacher_names"),
            absence_start=c.get("absence_start"),
            absence_end=c.get("absence_end"),
            absence_end_unknown=bool(c.get("absence_end_unknown")),
            reason_category=c.get("reason_category") or "",
            certificate=c.get("certificate") or None,
            remove_certificate=c.get("remove_certificate", False),
            home_street=text("home_street"),
            home_postcode=text("home_postcode"),
            home_city=text("home_city"),
            home_has_internet=internet,
            guardian_count=c.get("guardian_count") or 1,
            guardians=guardians,
            guardians_agree=bool(c.get("guardians_agree")),
            school_note=text("school_note"),
        )

    @staticmethod
    def initial_for(case: ConnectionCase) -> dict:
        """The form's values for a saved draft."""
        initial = {
            name: getattr(case, name)
            for name in (
                "pupil_first_name",
                "pupil_last_name",
                "pupil_birth_date",
                "teacher_names",
                "absence_start",
                "absence_end",
                "absence_end_unknown",
                "reason_category",
                "home_street",
                "home_postcode",
                "home_city",
                "guardian_count",
                "guardians_agree",
                "school_note",
            )
        }
        initial["school_class"] = case.school_class_id
        initial["teachers"] = [t.pk for t in case.teachers.all()]
        initial["home_has_internet"] = {True: "yes", False: "no"}.get(case.home_has_internet, "")
        for guardian in case.guardians.all():
            for part in GUARDIAN_FIELDS:
                initial[f"guardian{guardian.position}_{part}"] = getattr(guardian, part)
        return initial


class ReasonForm(forms.Form):
    prefix = "withdraw"

    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}), max_length=2000)


class NoteForm(forms.Form):
    prefix = "note"

    note = forms.CharField(
        label=_("Note (optional)"), required=False, widget=forms.Textarea(attrs={"rows": 2}), max_length=2000
    )


class EndRequestForm(forms.Form):
    prefix = "end"

    last_day = forms.DateField(label=_("Last day the kit is used"), **DATE_WIDGET)
    note = forms.CharField(
        label=_("Note (optional)"), required=False, widget=forms.Textarea(attrs={"rows": 2}), max_length=2000
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["last_day"].initial = timezone.localdate()


class StaffEndRequestForm(EndRequestForm):
    for_parent = forms.BooleanField(
        label=_("A parent asked for it (by phone or e-mail)"), required=False, initial=True
    )


class EligibilityForm(forms.Form):
    prefix = "eligibility"

    school_in_fwb = forms.BooleanField(
        label=_("The pupil is enrolled in a school of the Fédération Wallonie-Bruxelles"), required=False
    )
    medical_reason = forms.BooleanField(
        label=_("The pupil cannot attend school for a medical reason (physical or psychological)"),
        required=False,
    )
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[("eligible", _("Eligible")), ("ineligible", _("Not eligible"))],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label=_("Reason for the decision"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        help_text=_("The school reads it. No medical details."),
    )

    def clean(self):
        cleaned = super().clean()
        decision = cleaned.get("decision")
        if decision == "ineligible" and not cleaned.get("reason", "").strip():
            self.add_error("reason", ERROR_DECISION_REASON)
        if decision == "eligible" and not (cleaned.get("school_in_fwb") and cleaned.get("medical_reason")):
            self.add_error("decision", ERROR_CHECKLIST)
        return cleaned


class InternalNotesForm(forms.Form):
    prefix = "notes"

    notes = forms.CharField(
        label=_("Internal notes"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Seen by the ClassContact team only."),
    )


class BoardFilterForm(forms.Form):
    q = forms.CharField(
        label=_("Search"),
        required=False,
        widget=forms.TextInput(attrs={"placeholder": _("Pupil, school or case number"), "type": "search"}),
    )
    state = forms.ChoiceField(label=_("State"), required=False)
    school = forms.CharField(
        label=_("School"),
        required=False,
        widget=forms.TextInput(attrs={"placeholder": _("Name or official number")}),
    )
    region = forms.ChoiceField(label=_("Region"), required=False)
    programme_year = forms.RegexField(
        label=_("Programme year"), regex=r"^\d{4}-\d{4}$", required=False, widget=forms.Select
    )
    needs_action = forms.BooleanField(label=_("Needs my action"), required=False)
    sort = forms.ChoiceField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["state"].choices = [
            ("", _("All states")),
            (OPEN, _("Open cases")),
            (CLOSED, _("Closed cases")),
            *[(value, label) for value, label in CaseStatus.choices if value != CaseStatus.DRAFT],
        ]
        self.fields["region"].choices = [("", _("All regions")), *Region.choices]
        self.fields["programme_year"].widget.choices = [
            ("", _("All years")),
            *[(y, y) for y in programme_years()],
        ]
        self.fields["sort"].choices = [(key, key) for key in BOARD_SORTS]

    def filters(self) -> BoardFilters:
        """The filters asked for; a value that makes no sense is ignored, not an error page."""
        if not self.is_bound:
            return BoardFilters()
        self.is_valid()
        c = self.cleaned_data
        return BoardFilters(
            q=c.get("q", "").strip()[:100],
            state=c.get("state", ""),
            school=c.get("school", "").strip()[:100],
            region=c.get("region", ""),
            programme_year=c.get("programme_year", ""),
            needs_action=c.get("needs_action", False),
            sort=c.get("sort") or DEFAULT_SORT,
        )
