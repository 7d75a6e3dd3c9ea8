from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from cases.models import ConnectionCase
from classcontact.storage import FileContentValidator
from classcontact.workflow import allowed_targets
from loans.models import Kit
from schools.models import School

from .models import (
    ATTACHMENT_MAX_BYTES,
    ATTACHMENT_TYPES,
    TRANSITIONS,
    CannedReply,
    Category,
    Priority,
    Status,
    Ticket,
    Visibility,
)
from .selectors import (
    STATE_ACTIVE,
    STATE_ALL,
    LinkChoice,
    assignable_people,
    helpdesk_staff,
    link_choices,
    linkable_cases,
    linkable_kits,
)
from .services import ERROR_CASE_OTHER_SCHOOL, ERROR_KIT_OTHER_SCHOOL, ticket_link_errors

MAX_FILES = 5
ERROR_TOO_MANY_FILES = _("At most %(count)s files at a time.")
ERROR_FILE_NAMED = _("%(name)s: %(error)s")
ERROR_BODY_OR_CANNED = _("Write a message or choose a ready-made answer.")
ERROR_NOTE_WITH_FILES = _("Files go with public replies only.")
ERROR_NOTE_WITH_STATUS = _("An internal note does not change the status: use the status form.")
ERROR_MERGE_UNKNOWN = _("No ticket has this reference.")
HELP_FILES = _("Photos (JPEG, PNG) or PDF, at most 10 MB each, up to 5 files.")


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class AttachmentsField(forms.FileField):
    """Several files, each checked by content (not by name) and size."""

    def __init__(self, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ".jpg,.jpeg,.png,.pdf"}))
        kwargs.setdefault("required", False)
        kwargs.setdefault("label", _("Attachments"))
        kwargs.setdefault("help_text", HELP_FILES)
        super().__init__(**kwargs)

    def clean(self, data, initial=None):
        files = [f for f in (data if isinstance(data, list | tuple) else [data]) if f]
        if len(files) > MAX_FILES:
            raise ValidationError(ERROR_TOO_MANY_FILES, params={"count": MAX_FILES})
        validate = FileContentValidator(ATTACHMENT_TYPES, max_bytes=ATTACHMENT_MAX_BYTES)
        errors = []
        for upload in files:
            try:
                super().clean(upload, initial)
                validate(upload)
            except ValidationError as error:
                for message in error.messages:
                    errors.append(ValidationError(ERROR_FILE_NAMED % {"name": upload.name, "error": message}))
        if errors:
            raise ValidationError(errors)
        return files


class SchoolOptionSelect(forms.Select):
    """A select whose options say which school they belong to (``data-school``), so that a
    person of several schools is offered only the chosen school's (the server checks anyway)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.option_schools: dict[str, int] = {}

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        option = super().create_option(name, value, label, selected, index, subindex, attrs)
        school_id = self.option_schools.get(str(value))
        if school_id is not None:
            option["attrs"]["data-school"] = school_id
        return option


class LinkChoiceField(forms.ModelChoiceField):
    """A case or kit among a school's: options given by ``set_options`` (computed once for
    both lists), the posted one checked against the queryset."""

    widget = SchoolOptionSelect

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("empty_label", _("None"))
        super().__init__(queryset=None, **kwargs)

    def set_options(self, queryset, options: list[LinkChoice]) -> None:
        self.queryset = queryset
        self.choices = [("", self.empty_label), *((option.pk, option.label) for option in options)]
        self.widget.option_schools = {
            str(option.pk): option.school_id for option in options if option.school_id is not None
        }


def case_field(**kwargs) -> LinkChoiceField:
    return LinkChoiceField(
        label=_("Case concerned"), error_messages={"invalid_choice": ERROR_CASE_OTHER_SCHOOL}, **kwargs
    )


def kit_field(**kwargs) -> LinkChoiceField:
    return LinkChoiceField(
        label=_("Kit concerned"), error_messages={"invalid_choice": ERROR_KIT_OTHER_SCHOOL}, **kwargs
    )


class TicketOpenForm(forms.Form):
    school = forms.ModelChoiceField(label=_("School"), queryset=School.objects.none())
    subject = forms.CharField(
        label=_("Subject"),
        max_length=200,
        help_text=_("In a few words: what does not work?"),
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    category = forms.ChoiceField(label=_("Category"), choices=Category.choices)
    description = forms.CharField(
        label=_("Description"),
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("What happened, when, in which room, and what you already tried."),
    )
    case = case_field(help_text=_("Optional: the pupil's connection case the problem is about."))
    kit = kit_field(
        help_text=_("Optional: the kit lent for one of your school's cases; its case is linked too.")
    )
    attachments = AttachmentsField()

    def __init__(self, *args, schools, person, **kwargs):
        super().__init__(*args, **kwargs)
        self.person = person
        self.fields["school"].queryset = schools
        choices = list(schools)
        self.only_school = choices[0] if len(choices) == 1 else None
        if self.only_school is not None:
            self.fields["school"].initial = self.only_school.pk
            self.fields["school"].required = False
            self.fields["school"].widget = forms.HiddenInput()
        school_ids = [school.pk for school in choices]
        # A teacher is offered the cases of the classes they teach; a director, the school's.
        case_options, kit_options = link_choices(school_ids, person=person)
        self.fields["case"].set_options(linkable_cases(school_ids, person=person), case_options)
        self.fields["kit"].set_options(linkable_kits(school_ids, person=person), kit_options)
        for name, options in (("case", case_options), ("kit", kit_options)):
            if not options and not (self.is_bound and self.data.get(self.add_prefix(name))):
                # Nothing to choose: no empty list on the page. A posted value is still
                # checked, and its error shown next to the list.
                self.fields[name].widget = forms.HiddenInput()

    def clean_school(self):
        return self.cleaned_data.get("school") or self.only_school

    def clean(self):
        cleaned = super().clean()
        school, case, kit = cleaned.get("school"), cleaned.get("case"), cleaned.get("kit")
        if school is not None and (case is not None or kit is not None):
            errors = ticket_link_errors(school_id=school.pk, case=case, kit=kit, person=self.person)
            for field, message in errors.items():
                self.add_error(field, message)
        return cleaned


class TicketLinkForm(forms.Form):
    """Staff link a ticket to one of its school's cases and/or kits (or remove the link)."""

    case = case_field()
    kit = kit_field(help_text=_("A kit alone brings the case it is lent to."))

    def __init__(self, *args, ticket: Ticket, **kwargs):
        kwargs.setdefault("initial", {"case": ticket.case_id, "kit": ticket.kit_id})
        super().__init__(*args, **kwargs)
        self.ticket = ticket
        school_ids = [ticket.school_id]
        case_options, kit_options = link_choices(school_ids, current_case=ticket.case, current_kit=ticket.kit)
        # The querysets only check a posted choice: a form shown empty needs just the options.
        cases, kits = (
            (
                linkable_cases(school_ids, including=ticket.case_id),
                linkable_kits(school_ids, including=ticket.kit_id),
            )
            if self.is_bound
            else (ConnectionCase.objects.none(), Kit.objects.none())
        )
        self.fields["case"].set_options(cases, case_options)
        self.fields["kit"].set_options(kits, kit_options)

    def clean(self):
        cleaned = super().clean()
        if "case" not in self.errors and "kit" not in self.errors:
            errors = ticket_link_errors(
                school_id=self.ticket.school_id,
                case=cleaned.get("case"),
                kit=cleaned.get("kit"),
                ticket=self.ticket,
            )
            for field, message in errors.items():
                self.add_error(field, message)
        return cleaned


class ReplyForm(forms.Form):
    body = forms.CharField(label=_("Your reply"), widget=forms.Textarea(attrs={"rows": 4}))
    attachments = AttachmentsField()


class StaffReplyForm(forms.Form):
    visibility = forms.ChoiceField(
        label=_("Kind"),
        choices=Visibility.choices,
        initial=Visibility.PUBLIC,
        widget=forms.RadioSelect,
    )
    canned = forms.ModelChoiceField(
        label=_("Ready-made answer"),
        queryset=CannedReply.objects.none(),
        required=False,
        empty_label=_("None"),
    )
    body = forms.CharField(label=_("Message"), widget=forms.Textarea(attrs={"rows": 5}), required=False)
    status = forms.ChoiceField(
        label=_("Then"),
        required=False,
        choices=[
            ("", _("Keep the status (a new ticket becomes open)")),
            (Status.WAITING, _("Wait for the school")),
            (Status.RESOLVED, _("Mark as resolved")),
        ],
    )
    attachments = AttachmentsField()

    def __init__(self, *args, canned_replies=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["canned"].queryset = (
            canned_replies if canned_replies is not None else CannedReply.objects.filter(is_active=True)
        )

    def clean(self):
        cleaned = super().clean()
        body = (cleaned.get("body") or "").strip()
        if not body and cleaned.get("canned"):
            body = cleaned["canned"].body
        if not body:
            self.add_error("body", ERROR_BODY_OR_CANNED)
        cleaned["body"] = body
        if cleaned.get("visibility") == Visibility.INTERNAL:
            if cleaned.get("attachments"):
                self.add_error("attachments", ERROR_NOTE_WITH_FILES)
            if cleaned.get("status"):
                self.add_error("status", ERROR_NOTE_WITH_STATUS)
        return cleaned


class AssignForm(forms.Form):
    assignee = forms.ModelChoiceField(
        label=_("Assigned to"), queryset=helpdesk_staff(), required=False, empty_label=_("Nobody")
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The options kept between requests; a posted choice is still checked by the queryset.
        field = self.fields["assignee"]
        field.choices = [("", field.empty_label), *assignable_people()]


class StatusForm(forms.Form):
    status = forms.ChoiceField(label=_("New status"))

    def __init__(self, *args, ticket: Ticket, **kwargs):
        # Shown beside the reply form, which has a status field too: ids must differ (same field names).
        kwargs.setdefault("auto_id", "id_change_%s")
        super().__init__(*args, **kwargs)
        allowed = allowed_targets(TRANSITIONS, ticket.status)
        self.fields["status"].choices = [
            (value, label) for value, label in Status.choices if value in allowed
        ]


class TriageForm(forms.Form):
    category = forms.ChoiceField(label=_("Category"), choices=Category.choices)
    priority = forms.ChoiceField(label=_("Priority"), choices=Priority.choices)


class MergeForm(forms.Form):
    into = forms.CharField(
        label=_("Merge into ticket"),
        max_length=20,
        help_text=_("Reference of the ticket that stays, e.g. HD-2026-00042."),
    )
    # Set by the confirmation step: the first post only shows what the merge will do.
    confirm = forms.BooleanField(required=False, widget=forms.HiddenInput)

    def clean_into(self):
        reference = self.cleaned_data["into"].strip().upper()
        ticket = Ticket.objects.filter(reference=reference).first()
        if ticket is None:
            raise ValidationError(ERROR_MERGE_UNKNOWN)
        return ticket


STATE_CHOICES = [
    (STATE_ACTIVE, _("Active (new, open, waiting)")),
    *Status.choices,
    (STATE_ALL, _("All")),
]


class QueueFilterForm(forms.Form):
    q = forms.CharField(
        label=_("Search"),
        required=False,
        help_text=_("Reference, subject, school, kit code or case number."),
    )
    state = forms.ChoiceField(label=_("Status"), required=False, choices=STATE_CHOICES)
    category = forms.ChoiceField(label=_("Category"), required=False)
    school = forms.CharField(label=_("School"), required=False, help_text=_("Name or official number."))
    assignee = forms.ChoiceField(label=_("Assigned to"), required=False)
    due = forms.ChoiceField(
        label=_("Target"),
        required=False,
        choices=[("", _("Any")), ("soon", _("Due soon")), ("past", _("Past target"))],
    )

    def __init__(self, *args, staff, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = [("", _("All categories")), *Category.choices]
        self.fields["assignee"].choices = [
            ("", _("Anyone")),
            ("me", _("Me")),
            ("none", _("Nobody")),
            *((str(user.pk), str(user)) for user in staff),
        ]

    def filters(self) -> dict:
        data = self.cleaned_data if self.is_valid() else {}
        return {
            "query": (data.get("q") or "").strip(),
            "state": data.get("state") or STATE_ACTIVE,
            "category": data.get("category") or "",
            "school": (data.get("school") or "").strip(),
            "assignee": data.get("assignee") or "",
            "due": data.get("due") or "",
        }


class SchoolTicketFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False)
    state = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[(STATE_ALL, _("All")), (STATE_ACTIVE, _("Active")), *Status.choices],
    )

    def filters(self) -> dict:
        data = self.cleaned_data if self.is_valid() else {}
        return {"query": (data.get("q") or "").strip(), "state": data.get("state") or STATE_ALL}


class ArticleSearchForm(forms.Form):
    q = forms.CharField(label=_("Search the help articles"), required=False, max_length=200)

    def __init__(self, *args, **kwargs):
        # Shown above the ticket list, whose filter has a "q" field too: ids must differ.
        kwargs.setdefault("auto_id", "id_article_%s")
        super().__init__(*args, **kwargs)
