"""The light form filters draw what crispy draws: same wrappers, labels, ids, help and errors."""

import re

from django import forms
from django.template import Context, Template

from cases.forms import EligibilityForm, InternalNotesForm, ReasonForm, StaffEndRequestForm
from helpdesk.forms import AssignForm, AttachmentsField, MergeForm, StaffReplyForm, StatusForm, TriageForm
from helpdesk.models import Status, Ticket


class SampleForm(forms.Form):
    name = forms.CharField(label="Name", help_text="As on the <em>card</em>.", max_length=5)
    kind = forms.ChoiceField(label="Kind", choices=[("", "—"), ("a", "A"), ("b", "B")], required=False)
    level = forms.ChoiceField(
        label="Level",
        choices=[("", "---------"), ("Primary", [("p1", "P1"), ("p2", "P2")]), ("s1", "S1")],
        required=False,
    )
    when = forms.DateField(label="When", required=False, widget=forms.DateInput(attrs={"type": "date"}))
    notes = forms.CharField(label="Notes", widget=forms.Textarea(attrs={"rows": 2}), required=False)
    agree = forms.BooleanField(label="I agree", required=False)
    sure = forms.BooleanField(label="I am sure", help_text="Read it <em>twice</em>.")
    size = forms.ChoiceField(
        label="Size", choices=[("s", "Small"), ("l", "Large <b>")], widget=forms.RadioSelect, help_text="One."
    )
    picture = forms.FileField(label="Picture", required=False, help_text="A photo.")
    papers = AttachmentsField()
    secret = forms.CharField(widget=forms.HiddenInput, required=False)

    def clean(self):
        raise forms.ValidationError("Something is wrong as a whole.")


def _normalized(html: str) -> str:
    html = re.sub(r"\s+", " ", html)
    return re.sub(r"\s*(<|>)\s*", r"\1", html).strip()


def _both(make) -> tuple[str, str]:
    """Crispy's and the light drawing, each of a fresh form (crispy changes the widgets it draws)."""

    def form():
        made = make()
        if made.is_bound:
            made.is_valid()
        return made

    crispy = Template("{% load crispy_forms_tags %}{{ form|crispy }}").render(Context({"form": form()}))
    light = Template("{% load portal_forms %}{{ form|light_form }}").render(Context({"form": form()}))
    return _normalized(crispy), _normalized(light)


def test_an_empty_form_is_drawn_as_crispy_draws_it():
    crispy, light = _both(SampleForm)
    assert light == crispy
    assert 'aria-describedby="id_name_helptext"' in light
    assert '<div id="id_name_helptext" class="form-text">As on the<em>card</em>.</div>' in light


def test_a_refused_form_shows_its_errors_beside_its_fields_as_crispy_does():
    crispy, light = _both(
        lambda: SampleForm(
            data={"name": "far too long", "kind": "z", "when": "not a date", "secret": 'a "<b>"'}
        )
    )
    assert light == crispy
    # Each error sits next to its field, named by the field's aria-describedby.
    assert 'aria-describedby="id_name_helptext id_name_error"' in light
    assert 'aria-invalid="true"' in light
    assert '<div id="id_kind_error" class="invalid-feedback"><p id="error_1_id_kind">' in light
    assert "Something is wrong as a whole." in light
    assert '<input type="hidden" name="secret" value="a &quot;&lt;b&gt;&quot;" id="id_secret">' in light


def test_the_portal_forms_drawn_light_match_crispy(db):
    ticket = Ticket(status=Status.OPEN)
    makers = {
        "assign": AssignForm,
        "assign, refused": lambda: AssignForm(data={"assignee": "999999"}),
        "status": lambda: StatusForm(ticket=ticket),
        "triage, refused": lambda: TriageForm(data={"category": "nope", "priority": ""}),
        "merge, refused": lambda: MergeForm(data={"into": ""}),
        "reply": StaffReplyForm,
        "reply, refused": lambda: StaffReplyForm(data={"visibility": "internal", "status": "closed"}),
        "notes": lambda: InternalNotesForm(initial={"notes": "x"}),
        "withdraw, refused": lambda: ReasonForm(data={}),
        "eligibility, refused": lambda: EligibilityForm(data={"eligibility-decision": "ineligible"}),
        "end, refused": lambda: StaffEndRequestForm(data={"end-last_day": "nope"}),
    }
    for name, make in makers.items():
        crispy, light = _both(make)
        assert light == crispy, name


def test_a_single_field_is_drawn_as_crispy_draws_it():
    def field(name):
        form = SampleForm(data={"name": ""})
        form.is_valid()
        return form[name]

    for name in ("name", "kind", "notes", "agree", "sure", "size", "picture", "papers", "secret"):
        crispy = Template("{% load crispy_forms_tags %}{{ field|as_crispy_field }}").render(
            Context({"field": field(name)})
        )
        light = Template("{% load portal_forms %}{{ field|light_field }}").render(
            Context({"field": field(name)})
        )
        assert _normalized(light) == _normalized(crispy), name
