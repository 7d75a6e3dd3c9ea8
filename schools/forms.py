import time

from django import forms
from django.conf import settings
from django.contrib.auth import password_validation
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from .models import Language, MembershipRole, Region, User

ERROR_LOGIN_MISMATCH = _(
    "This e-mail address and password do not match. Check the password: upper and lower case matter."
)
ERROR_PASSWORDS_DIFFER = _("The two passwords differ.")


class EmailAuthenticationForm(AuthenticationForm):
    """Log in with an e-mail address (any case); every failure costs a short pause.

    The field keeps Django's name ``username``: django-axes reads the login under that name
    (AXES_USERNAME_FORM_FIELD) to count failures per e-mail address and client address.
    """

    username = forms.EmailField(
        label=_("E-mail address"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autofocus": True, "autocomplete": "email"}),
    )

    error_messages = {**AuthenticationForm.error_messages, "invalid_login": ERROR_LOGIN_MISMATCH}

    def clean_username(self) -> str:
        return self.cleaned_data["username"].strip().lower()

    def clean(self):
        try:
            return super().clean()
        except forms.ValidationError:
            # Slows down guessing; django-axes then locks the address pair for a while.
            time.sleep(settings.LOGIN_FAILURE_DELAY_SECONDS)
            raise


class InvitationAcceptForm(forms.Form):
    first_name = forms.CharField(
        label=_("First name"), max_length=150, widget=forms.TextInput(attrs={"autocomplete": "given-name"})
    )
    last_name = forms.CharField(
        label=_("Last name"), max_length=150, widget=forms.TextInput(attrs={"autocomplete": "family-name"})
    )
    language = forms.ChoiceField(
        label=_("Language"),
        choices=Language.choices,
        help_text=_("The language of the portal and of the e-mails you receive."),
    )
    password1 = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=password_validation.password_validators_help_text_html(),
    )
    password2 = forms.CharField(
        label=_("Password again"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, *args, email: str = "", **kwargs):
        self.email = email
        super().__init__(*args, **kwargs)

    def clean(self):
        cleaned = super().clean()
        p1, p2 = cleaned.get("password1"), cleaned.get("password2")
        if p1 and p2 and p1 != p2:
            self.add_error("password2", ERROR_PASSWORDS_DIFFER)
        elif p1:
            probe = User(
                email=self.email,
                first_name=cleaned.get("first_name", ""),
                last_name=cleaned.get("last_name", ""),
            )
            try:
                password_validation.validate_password(p1, probe)
            except forms.ValidationError as error:
                self.add_error("password1", error)
        return cleaned


class InvitationForm(forms.Form):
    email = forms.EmailField(
        label=_("E-mail address of the person"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "off"}),
    )
    role = forms.ChoiceField(
        label=_("Role in the school"), choices=MembershipRole.choices, initial=MembershipRole.TEACHER
    )

    def clean_email(self) -> str:
        return self.cleaned_data["email"].strip().lower()


class SchoolFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    region = forms.ChoiceField(label=_("Region"), required=False)
    in_fwb = forms.ChoiceField(
        label=_("Fédération Wallonie-Bruxelles"),
        required=False,
        choices=[("", _("All")), ("yes", _("Yes")), ("no", _("No"))],
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].choices = [("", _("All regions")), *Region.choices]

    def filters(self) -> dict:
        """The filters for ``schools_for_staff_list``; nothing filtered when the form is invalid."""
        if not self.is_valid():
            return {}
        in_fwb = self.cleaned_data["in_fwb"]
        return {
            "query": self.cleaned_data["q"],
            "region": self.cleaned_data["region"],
            "in_fwb": None if not in_fwb else in_fwb == "yes",
        }
