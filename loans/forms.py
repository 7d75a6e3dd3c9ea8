"""Forms of kits, loans and visits: validation only, the services decide."""

import datetime

from django import forms
from django.contrib.auth.models import Group
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from schools.models import Region, SchoolClass, StaffRole, Trimester, User

from .models import (
    Item,
    KitType,
    LoanStatus,
    ReferralStatus,
    VisitKind,
    VisitOutcome,
    VisitStatus,
    checklist_for,
)
from .selectors import kit_types
from .services import ERROR_EARLY_NEEDS_REASON, CheckLine, SwapOut, visit_is_early

ERROR_END_BEFORE_START = _("The last day cannot be before the first day.")
ERROR_PERIOD_TOO_LONG = _("Search at most two years ahead.")
ERROR_IN_PAST = _("Choose a date and time to come.")

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TIME_WIDGET = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")


def technicians():
    """Staff who may be sent on a visit: technicians and coordinators."""
    groups = Group.objects.filter(name__in=[StaffRole.TECHNICIAN, StaffRole.COORDINATOR])
    return (
        User.objects.filter(is_active=True, is_staff=True, groups__in=groups)
        .distinct()
        .order_by("last_name", "first_name", "email")
    )


def _clean_when(form: forms.Form, cleaned: dict) -> dict:
    """Join the date and time fields into an aware ``starts_at``, refused in the past."""
    day, time = cleaned.get("day"), cleaned.get("time")
    if day and time:
        starts_at = timezone.make_aware(datetime.datetime.combine(day, time))
        if starts_at < timezone.now():
            form.add_error("day", ERROR_IN_PAST)
        cleaned["starts_at"] = starts_at
    return cleaned


class KitTypeChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: KitType) -> str:
        return obj.name


class AvailabilityForm(forms.Form):
    """Which kits of this type are free from A to B (B empty: open-ended)."""

    kit_type = KitTypeChoiceField(label=_("Kit type"), queryset=KitType.objects.none(), empty_label=None)
    start = forms.DateField(label=_("From"), widget=DATE_WIDGET)
    end = forms.DateField(
        label=_("Until"), required=False, widget=DATE_WIDGET, help_text=_("Empty: until further notice.")
    )
    region = forms.ChoiceField(label=_("Near"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kit_type"].queryset = kit_types()
        self.fields["region"].choices = [("", _("Any region")), *Region.choices]

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start"), cleaned.get("end")
        if start and end:
            if end < start:
                self.add_error("end", ERROR_END_BEFORE_START)
            elif (end - start).days > 731:
                self.add_error("end", ERROR_PERIOD_TOO_LONG)
        return cleaned


class CalendarForm(forms.Form):
    start = forms.DateField(label=_("From"), required=False, widget=DATE_WIDGET)
    months = forms.TypedChoiceField(
        label=_("Months"),
        required=False,
        coerce=int,
        choices=[(3, "3"), (6, "6"), (12, "12")],
        initial=6,
        empty_value=6,
    )
    region = forms.ChoiceField(label=_("Home region"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].choices = [("", _("Any region")), *Region.choices]

    def values(self) -> tuple[datetime.date, int, str]:
        if not self.is_valid():
            return timezone.localdate(), 6, ""
        return (
            self.cleaned_data["start"] or timezone.localdate(),
            self.cleaned_data["months"] or 6,
            self.cleaned_data["region"],
        )


class ReserveForCaseForm(forms.Form):
    kit = forms.IntegerField(widget=forms.HiddenInput)
    start = forms.DateField(label=_("From"), widget=DATE_WIDGET)


class ClassLoanForm(forms.Form):
    """Book a kit for a class of the school over a trimester."""

    school_class = forms.ModelChoiceField(label=_("Class"), queryset=SchoolClass.objects.none())
    trimester = forms.ModelChoiceField(label=_("Trimester"), queryset=Trimester.objects.none())
    kit_code = forms.CharField(label=_("Kit code"), max_length=30)

    def __init__(self, *args, school, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["school_class"].queryset = SchoolClass.objects.filter(school=school).order_by("name")
        calendar_filter = (
            {"school_year__calendar_id": school.calendar_id}
            if school.calendar_id
            else {"school_year__calendar__is_default": True}
        )
        self.fields["trimester"].queryset = (
            Trimester.objects.filter(end__gte=timezone.localdate(), **calendar_filter)
            .select_related("school_year")
            .order_by("start")
        )

    def clean_kit_code(self) -> str:
        return self.cleaned_data["kit_code"].strip().upper()


class RoomForm(forms.Form):
    room = forms.CharField(label=_("Room"), max_length=120, required=False)


#: What the technician says of each item at check-in; nothing is chosen for them.
ITEM_PRESENT_WORKING = "ok"
ITEM_NOT_WORKING = "broken"
ITEM_MISSING = "missing"
ITEM_ANSWERS = [
    (ITEM_PRESENT_WORKING, _("Present and working")),
    (ITEM_NOT_WORKING, _("Present, does not work")),
    (ITEM_MISSING, _("Missing")),
]
ERROR_ITEM_UNANSWERED = _("Say whether this item is back and working.")


class CheckInForm(forms.Form):
    """The check-in of a kit: for each item, an answer (present and working, not working,
    missing) that the technician must give, a damage and a note."""

    returned_on = forms.DateField(label=_("Returned on"), widget=DATE_WIDGET)
    notes = forms.CharField(
        label=_("Notes on the return"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, items: list[Item], **kwargs):
        super().__init__(*args, **kwargs)
        self.items = items
        for item in items:
            self.fields[f"state_{item.pk}"] = forms.ChoiceField(
                label=f"{item.get_category_display()} {item.serial_number}",
                choices=ITEM_ANSWERS,
                widget=forms.RadioSelect,
                error_messages={"required": ERROR_ITEM_UNANSWERED},
            )
            self.fields[f"damage_{item.pk}"] = forms.CharField(
                label=_("Damage"), required=False, max_length=200
            )
            self.fields[f"note_{item.pk}"] = forms.CharField(label=_("Note"), required=False, max_length=500)

    def rows(self):
        """(item, answer, damage, note) bound fields, one block of the template each."""
        return [
            (item, self[f"state_{item.pk}"], self[f"damage_{item.pk}"], self[f"note_{item.pk}"])
            for item in self.items
        ]

    def lines(self) -> list[CheckLine]:
        data = self.cleaned_data
        return [
            CheckLine(
                item_id=item.pk,
                present=data[f"state_{item.pk}"] != ITEM_MISSING,
                works=data[f"state_{item.pk}"] == ITEM_PRESENT_WORKING,
                damage=data[f"damage_{item.pk}"],
                note=data[f"note_{item.pk}"],
            )
            for item in self.items
        ]


class SwapForm(forms.Form):
    out_item = forms.ModelChoiceField(label=_("Item taken out"), queryset=Item.objects.none())
    in_serial = forms.CharField(label=_("Serial number of the item put in"), max_length=80)
    out_to = forms.ChoiceField(
        label=_("The item taken out"),
        choices=[
            (SwapOut.TO_REPAIR, _("goes to repair")),
            (SwapOut.TO_STOCK, _("goes back to the shelf")),
            (SwapOut.LOST, _("is lost")),
        ],
        initial=SwapOut.TO_REPAIR,
        widget=forms.RadioSelect,
    )
    problem = forms.CharField(label=_("Problem"), required=False, max_length=500)

    def __init__(self, *args, kit, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["out_item"].queryset = Item.objects.filter(kit=kit).order_by("category", "serial_number")


class VisitPlanForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind of visit"), choices=VisitKind.choices)
    day = forms.DateField(label=_("Date"), widget=DATE_WIDGET)
    time = forms.TimeField(label=_("Time"), widget=TIME_WIDGET)
    duration_minutes = forms.IntegerField(
        label=_("Duration (minutes)"), min_value=15, max_value=600, initial=90
    )
    technician = forms.ModelChoiceField(label=_("Technician"), queryset=User.objects.none())
    address = forms.CharField(
        label=_("Address"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Empty: the school's address (the pupil's home for a set-up at home)."),
    )
    notes = forms.CharField(
        label=_("Notes for the technician"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, kinds=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["technician"].queryset = technicians()
        if kinds is not None:
            self.fields["kind"].choices = [
                (value, label) for value, label in VisitKind.choices if value in kinds
            ]

    def clean(self):
        return _clean_when(self, super().clean())


class VisitRescheduleForm(forms.Form):
    day = forms.DateField(label=_("Date"), widget=DATE_WIDGET)
    time = forms.TimeField(label=_("Time"), widget=TIME_WIDGET)
    duration_minutes = forms.IntegerField(label=_("Duration (minutes)"), min_value=15, max_value=600)
    technician = forms.ModelChoiceField(label=_("Technician"), queryset=User.objects.none())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["technician"].queryset = technicians()

    def clean(self):
        return _clean_when(self, super().clean())


class VisitCancelForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=500, widget=forms.Textarea(attrs={"rows": 2}))


class VisitCompleteForm(forms.Form):
    """Mark a visit done: its checklist, the outcome, notes (and training and guide at installation)."""

    outcome = forms.ChoiceField(
        label=_("Outcome"),
        choices=VisitOutcome.choices,
        widget=forms.RadioSelect,
        initial=VisitOutcome.COMPLETED,
    )
    notes = forms.CharField(label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, visit, **kwargs):
        super().__init__(*args, **kwargs)
        self.visit = visit
        self.checklist_keys = []
        for key, label in checklist_for(visit.kind):
            name = f"check_{key}"
            self.checklist_keys.append((key, name))
            self.fields[name] = forms.BooleanField(label=label, required=False)
        if visit.kind == VisitKind.INSTALLATION:
            self.fields["training_given"] = forms.BooleanField(label=_("Users trained"), required=False)
            self.fields["user_guide_handed_over"] = forms.BooleanField(
                label=_("User guide handed over"), required=False
            )
            self.fields["room"] = forms.CharField(
                label=_("Room where the kit is installed"), required=False, max_length=120
            )
        if visit_is_early(visit):
            self.fields["early_reason"] = forms.CharField(
                label=_("Why is it done before its day?"),
                max_length=300,
                error_messages={"required": ERROR_EARLY_NEEDS_REASON},
                help_text=_("The visit is planned for %(day)s.")
                % {"day": date_format(timezone.localtime(visit.starts_at).date(), "j F Y")},
            )

    def checklist_fields(self):
        return [self[name] for _key, name in self.checklist_keys]

    def checklist(self) -> dict[str, bool]:
        return {key: bool(self.cleaned_data.get(name)) for key, name in self.checklist_keys}


class ReferralCreateForm(forms.Form):
    referred_on = forms.DateField(label=_("Referred on"), widget=DATE_WIDGET)
    provider_reference = forms.CharField(label=_("Provider's reference"), required=False, max_length=80)
    outcome = forms.CharField(label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class ReferralUpdateForm(forms.Form):
    status = forms.ChoiceField(label=_("State"), choices=ReferralStatus.choices)
    provider_reference = forms.CharField(label=_("Provider's reference"), required=False, max_length=80)
    outcome = forms.CharField(label=_("Outcome"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    fixed_on = forms.DateField(label=_("Fixed on"), required=False, widget=DATE_WIDGET)


class LoanFilterForm(forms.Form):
    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=100,
        help_text=_("Kit code, case number, serial number or school."),
    )
    status = forms.ChoiceField(label=_("State"), required=False)
    kit_type = forms.ChoiceField(label=_("Kit type"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [("", _("All")), *LoanStatus.choices]
        self.fields["kit_type"].choices = [("", _("All")), *((t.pk, t.name) for t in kit_types())]

    def filters(self) -> dict:
        if not self.is_valid():
            return {}
        return {key: self.cleaned_data[key] for key in ("q", "status", "kit_type")}


class VisitFilterForm(forms.Form):
    when = forms.ChoiceField(
        label=_("When"),
        required=False,
        choices=[("upcoming", _("To come")), ("past", _("Past")), ("all", _("All"))],
    )
    status = forms.ChoiceField(label=_("State"), required=False)
    kind = forms.ChoiceField(label=_("Kind"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [("", _("All")), *VisitStatus.choices]
        self.fields["kind"].choices = [("", _("All")), *VisitKind.choices]

    def filters(self) -> dict:
        if not self.is_valid():
            return {"when": "upcoming"}
        return {
            "when": self.cleaned_data["when"] or "upcoming",
            "status": self.cleaned_data["status"],
            "kind": self.cleaned_data["kind"],
        }
