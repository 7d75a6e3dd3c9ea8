"""Personas and builders shared by every test."""

from html.parser import HTMLParser
import itertools

from django.contrib.auth.models import Group
from django.utils import translation

from schools.models import Membership, MembershipRole, Network, Region, School, SchoolClass, StaffRole, User
from schools.roles import ensure_staff_groups

PASSWORD = "correct-horse-battery-staple"
_numbers = itertools.count(1)


def make_school(**fields) -> School:
    n = next(_numbers)
    defaults = {
        "name": f"École {n}",
        "official_number": f"T{n:05d}",
        "network": Network.OFFICIAL,
        "city": "Bruxelles",
        "postcode": "1000",
        "region": Region.BRUSSELS,
        "in_fwb": True,
    }
    return School.objects.create(**{**defaults, **fields})


def make_class(school: School, name: str = "P5", **fields) -> SchoolClass:
    return SchoolClass.objects.create(school=school, name=name, school_year="2026-2027", **fields)


def make_user(email: str | None = None, **fields) -> User:
    email = email or f"user{next(_numbers)}@example.org"
    fields.setdefault("first_name", email.split("@")[0].title())
    fields.setdefault("last_name", "Test")
    # People speak the language the test runs in (English unless marked ``french``).
    fields.setdefault("language", (translation.get_language() or "fr")[:2])
    return User.objects.create_user(email=email, password=PASSWORD, **fields)


def make_member(school: School, role: str = MembershipRole.DIRECTOR, **fields) -> User:
    user = make_user(**fields)
    Membership.objects.create(user=user, school=school, role=role)
    return user


def make_director(school: School, **fields) -> User:
    return make_member(school, MembershipRole.DIRECTOR, **fields)


def make_teacher(school: School, **fields) -> User:
    return make_member(school, MembershipRole.TEACHER, **fields)


def make_staff(role: str = StaffRole.COORDINATOR, **fields) -> User:
    ensure_staff_groups()
    user = make_user(is_staff=True, **fields)
    user.groups.add(Group.objects.get(name=role))
    return user


def second_factor_code(user: User) -> str:
    """A real code of an authenticator newly registered for ``user`` (a code is accepted once)."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from schools.otp import current_code

    return current_code(TOTPDevice.objects.create(user=user, name="browser test", confirmed=True))


def pass_second_factor(page, email: str) -> None:
    """In the browser, after the password: types a real code when the portal asks for one."""
    import re

    page.wait_for_load_state()
    if "/accounts/two-factor/" not in page.url:
        return
    code = second_factor_code(User.objects.get(email=email))
    if "/accounts/two-factor/verify/" not in page.url:
        page.goto(page.url.replace("/accounts/two-factor/", "/accounts/two-factor/verify/", 1))
    page.get_by_role("textbox", name=re.compile(r"^\s*code", re.IGNORECASE)).fill(code)
    page.get_by_role("button", name=re.compile("vérifier|verify", re.IGNORECASE)).click()
    page.wait_for_load_state()


class _FormFields(HTMLParser):
    """The fields a browser would send for the form with ``form_id``."""

    def __init__(self, form_id):
        super().__init__()
        self.form_id = form_id
        self.inside = False
        self.data: list[tuple[str, str]] = []
        self._select = None
        self._textarea = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.inside = attrs.get("id") == self.form_id
        if not self.inside or "name" not in attrs and tag not in ("option",):
            return
        if tag == "input":
            kind = attrs.get("type", "text")
            if kind in ("submit", "button", "file", "image"):
                return
            if kind in ("checkbox", "radio") and "checked" not in attrs:
                return
            self.data.append((attrs["name"], attrs.get("value", "on" if kind == "checkbox" else "")))
        elif tag == "select":
            self._select = attrs["name"]
        elif tag == "option" and self._select and "selected" in attrs:
            self.data.append((self._select, attrs.get("value", "")))
        elif tag == "textarea":
            self._textarea = attrs["name"]
            self.data.append((self._textarea, ""))

    def handle_data(self, data):
        if self._textarea:
            name, value = self.data[-1]
            self.data[-1] = (name, value + data)

    def handle_endtag(self, tag):
        if tag == "form":
            self.inside = False
        elif tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None


def form_data(html: str, form_id: str) -> dict:
    parser = _FormFields(form_id)
    parser.feed(html)
    data: dict = {}
    for name, value in parser.data:
        data.setdefault(name, []).append(value)
    return data
