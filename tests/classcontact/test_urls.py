"""A walk over every URL of the project: nothing is reachable without logging in, except a short list.

The walk reads the resolver, so URLs added later by any app are checked without editing this file.
A page that must be public goes into PUBLIC_URL_NAMES or under one of PUBLIC_PREFIXES.
"""

from dataclasses import dataclass
import re
from re import _constants as sre
from re import _parser as sre_parse

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.urls import Resolver404, get_resolver, include, path, resolve, reverse
from django.urls.resolvers import RegexPattern, RoutePattern, URLPattern, URLResolver
from django.views.decorators.http import require_POST
import pytest

# Pages anyone may open, by qualified URL name ("namespace:name").
PUBLIC_URL_NAMES = {
    "login",
    "logout",
    "password_reset",
    "password_reset_done",
    "password_reset_confirm",
    "password_reset_complete",
    "invitation_accept",
    "health",
    "set_language",
    "admin:login",
}
# Pages anyone may open, by the start of their path: parents' signing links, document checks,
# calendar feeds (their address carries an unguessable token, for calendar apps).
PUBLIC_PREFIXES = ("/sign/", "/verify/", "/cases/kits/ical/", settings.STATIC_URL)

DUMMY_VALUES = ("999999", "dummy-value", "00000000-0000-4000-8000-000000000000")


@dataclass(frozen=True)
class Route:
    url: str
    name: str  # qualified: "namespace:name", or the view's dotted path when unnamed
    callback: object

    @property
    def is_public(self) -> bool:
        return self.name in PUBLIC_URL_NAMES or self.url.startswith(PUBLIC_PREFIXES)

    @property
    def is_admin(self) -> bool:
        return self.name.split(":", 1)[0] == "admin"


# Building a URL that a pattern matches ---------------------------------------------------------


def _accepts(item, char: str) -> bool:
    """Whether one single-character regex item (``.``, ``x``, ``[...]``) matches ``char``."""
    op, av = item
    if op is sre.ANY:
        return char != "\n"
    if op is sre.LITERAL:
        return chr(av) == char
    if op is sre.NOT_LITERAL:
        return chr(av) != char
    if op is sre.IN:
        negate = bool(av) and av[0][0] is sre.NEGATE
        hit = any(_in_set(member, char) for member in (av[1:] if negate else av))
        return hit != negate
    return False


def _in_set(member, char: str) -> bool:
    op, av = member
    if op is sre.LITERAL:
        return chr(av) == char
    if op is sre.RANGE:
        return av[0] <= ord(char) <= av[1]
    if op is sre.CATEGORY:
        tests = {
            sre.CATEGORY_DIGIT: char.isdigit(),
            sre.CATEGORY_NOT_DIGIT: not char.isdigit(),
            sre.CATEGORY_WORD: char.isalnum() or char == "_",
            sre.CATEGORY_NOT_WORD: not (char.isalnum() or char == "_"),
            sre.CATEGORY_SPACE: char.isspace(),
            sre.CATEGORY_NOT_SPACE: not char.isspace(),
        }
        return tests.get(av, False)
    return False


def _one_char(item) -> str:
    for char in "9xa-_.":
        if _accepts(item, char):
            return char
    raise ValueError(f"no sample character for {item!r}")


def _example(parsed) -> str:
    """A string the parsed regex matches, preferring digits (object ids) where allowed."""
    out = []
    for op, av in parsed:
        if op is sre.LITERAL:
            out.append(chr(av))
        elif op in (sre.ANY, sre.IN, sre.NOT_LITERAL):
            out.append(_one_char((op, av)))
        elif op is sre.BRANCH:
            out.append(_example(av[1][0]))
        elif op is sre.SUBPATTERN:
            out.append(_example(av[-1]))
        elif op in (sre.MAX_REPEAT, sre.MIN_REPEAT, getattr(sre, "POSSESSIVE_REPEAT", None)):
            low, high, sub = av
            if len(sub) == 1 and sub[0][0] in (sre.ANY, sre.IN, sre.NOT_LITERAL, sre.LITERAL):
                char = _one_char(sub[0])
                count = max(low, 1) if char != "9" else max(low, min(6, high))
                out.append(char * min(count, high))
            else:
                out.append(_example(sub) * max(low, 1 if high else 0))
        elif op is sre.AT:
            continue
        else:
            raise ValueError(f"cannot build an example for regex item {op}")
    return "".join(out)


def example_for_regex(regex: str, values: tuple[str, ...] = DUMMY_VALUES) -> str:
    for candidate in values:
        if re.fullmatch(regex, candidate):
            return candidate
    return _example(sre_parse.parse(regex))


def fill(pattern, values: tuple[str, ...] = DUMMY_VALUES) -> str:
    """A concrete path piece for one pattern, parameters filled with dummy values."""
    if isinstance(pattern, RoutePattern):
        route = str(pattern)

        def replace(match):
            converter = pattern.converters[match.group("name")]
            return example_for_regex(converter.regex, values)

        return re.sub(r"<(?:[^>:]+:)?(?P<name>[^>]+)>", replace, route)
    if isinstance(pattern, RegexPattern):
        return _example(sre_parse.parse(pattern.regex.pattern))
    raise TypeError(f"unknown URL pattern type {type(pattern).__name__}")


def _walk_once(urlconf, values: tuple[str, ...]) -> list[Route]:
    routes = []

    def visit(patterns, prefix, namespace):
        for entry in patterns:
            piece = prefix + fill(entry.pattern, values)
            if isinstance(entry, URLResolver):
                inner = namespace
                if entry.namespace:
                    inner = f"{namespace}:{entry.namespace}" if namespace else entry.namespace
                visit(entry.url_patterns, piece, inner)
            elif isinstance(entry, URLPattern):
                if entry.name:
                    name = f"{namespace}:{entry.name}" if namespace else entry.name
                else:
                    name = f"{namespace + ':' if namespace else ''}{entry.lookup_str}"
                routes.append(Route(url=piece, name=name, callback=entry.callback))

    visit(get_resolver(urlconf).url_patterns, "/", None)
    return routes


def walk(urlconf=None) -> list[Route]:
    """Every URL pattern of ``urlconf`` (the project's by default) as a URL that reaches it.

    Parameters get dummy values; when an earlier, broader pattern catches the URL, other dummy
    values are tried so that a ``<str:slug>`` after an ``<int:pk>`` is still reached.
    """
    orders = [DUMMY_VALUES[i:] + DUMMY_VALUES[:i] for i in range(len(DUMMY_VALUES))]
    attempts = [_walk_once(urlconf, order) for order in orders]
    routes = []
    for candidates in zip(*attempts, strict=True):
        reaching = [route for route in candidates if _reaches(route, urlconf)]
        routes.append(reaching[0] if reaching else candidates[0])
    return routes


def _reaches(route: Route, urlconf) -> bool:
    try:
        return resolve(route.url, urlconf).func is route.callback
    except Resolver404:
        return False


# What a visitor gets ----------------------------------------------------------------------------


def _redirects_to(response, target: str) -> bool:
    return response.status_code == 302 and response["Location"].split("?")[0] == target


def anonymous_problems(client, routes) -> list[str]:
    login, admin_login = reverse("login"), reverse("admin:login")
    client.raise_request_exception = False
    problems = []
    for route in routes:
        response = client.get(route.url)
        if response.status_code == 405:
            response = client.post(route.url)
        target = login
        if route.is_public:
            if response.status_code >= 500 and route.name != "health":
                problems.append(f"{route.url} ({route.name}): public page answered {response.status_code}")
            continue
        if route.is_admin:
            # The admin's logout sends anonymous visitors to the admin index, which asks them to log in.
            target = reverse("admin:index") if route.name == "admin:logout" else admin_login
        if getattr(route.callback, "anonymous_gets_404", False) and not route.is_admin:
            # Pages about one pupil answer "not found" to anonymous visitors, as to any outsider,
            # with a way to log in and come back.
            if response.status_code != 404 or f"{login}?next=" not in response.content.decode():
                problems.append(f"{route.url} ({route.name}) did not answer 404 with a login link")
            continue
        if not _redirects_to(response, target):
            problems.append(
                f"{route.url} ({route.name}) answered {response.status_code} to an anonymous visitor "
                f"instead of sending them to {target}: add login_required, or list it as public"
            )
    return problems


def logged_in_problems(client, user, routes) -> list[str]:
    """Logged-in people get a page, a redirect, a refusal or a 404, never an error.

    The admin sends people who are not staff to its own login page; everyone else stays in.
    """
    login, admin_login = reverse("login"), reverse("admin:login")
    client.raise_request_exception = False
    problems = []
    for route in routes:
        if route.is_public:
            continue
        response = client.get(route.url)
        if response.status_code >= 500:
            problems.append(f"{route.url} ({route.name}) answered {response.status_code}")
        elif response.status_code == 200 and b">---------<" in response.content:
            problems.append(f"{route.url} ({route.name}) shows Django's untranslated empty choice")
        elif _redirects_to(response, login):
            problems.append(f"{route.url} ({route.name}) sent a logged-in person back to the login page")
        elif route.is_admin and not user.is_staff and not _redirects_to(response, admin_login):
            if route.name != "admin:logout":
                problems.append(f"{route.url} ({route.name}) answered {response.status_code} to non-staff")
        elif route.is_admin and user.is_staff and _redirects_to(response, admin_login):
            problems.append(f"{route.url} ({route.name}) sent staff back to the admin login page")
    return problems


@pytest.fixture
def routes():
    return walk()


def test_every_url_pattern_is_reached_by_the_walk(routes):
    assert len(routes) > 20
    for route in routes:
        match = resolve(route.url)
        assert match.func is route.callback, (
            f"{route.url} resolves to {match.view_name}, not {route.name}: an earlier pattern "
            f"({match.route}) catches every URL of {route.name}, which can never be reached"
        )


def test_the_walk_covers_our_pages_the_admin_and_later_apps(routes):
    names = {route.name for route in routes}
    assert {"home", "schools:dashboard", "schools:detail", "schools:staff_lockouts", "staff_home"} <= names
    assert {"admin:index", "admin:schools_school_change", "admin:app_list"} <= names
    assert any(route.url.startswith("/admin/") and route.name.startswith("admin:") for route in routes)


@pytest.mark.django_db
def test_anonymous_visitors_are_sent_to_login_everywhere_but_the_public_pages(client, routes, settings):
    settings.CELERY_TASK_ALWAYS_EAGER = True
    problems = anonymous_problems(client, routes)
    assert not problems, "\n".join(problems)


@pytest.mark.django_db
def test_admin_pages_send_anonymous_visitors_to_the_admin_login(client, routes):
    admin_routes = [route for route in routes if route.is_admin and not route.is_public]
    assert len(admin_routes) > 10
    for route in admin_routes:
        response = client.get(route.url, follow=True)
        assert response.redirect_chain, route.url
        final_url = response.redirect_chain[-1][0]
        assert final_url.startswith(f"{reverse('admin:login')}?next="), route.url
        assert response.status_code == 200, route.url


@pytest.mark.django_db
def test_public_pages_open_without_login(client, routes, settings):
    settings.CELERY_TASK_ALWAYS_EAGER = True
    public = [route for route in routes if route.is_public]
    assert {route.name for route in public} >= PUBLIC_URL_NAMES
    for route in public:
        response = client.get(route.url)
        if response.status_code == 405:
            response = client.post(route.url)
        assert response.status_code < 500, route.url
        assert not _redirects_to(response, reverse("login")) or route.name == "logout", route.url


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["director_a", "teacher_a", "coordinator", "read_only_staff"])
def test_logged_in_people_get_a_page_or_a_refusal_never_an_error(client, routes, persona, request):
    user = request.getfixturevalue(persona)
    client.force_login(user)
    problems = logged_in_problems(client, user, routes)
    assert not problems, "\n".join(problems)


@pytest.mark.django_db
def test_unknown_objects_give_404_after_login(client, coordinator, director_a):
    client.force_login(coordinator)
    for name in ("schools:detail", "schools:staff_history"):
        assert client.get(reverse(name, kwargs={"school_id": 999999})).status_code == 404
    client.force_login(director_a)
    assert client.get(reverse("schools:detail", kwargs={"school_id": 999999})).status_code == 404


# The walk itself catches a view without login_required -----------------------------------------


def open_door(request, **kwargs):
    return HttpResponse("anyone may read this")


@require_POST
@login_required
def post_only_but_protected(request):
    return HttpResponse("ok")


class UrlsWithAnOpenDoor:
    from classcontact import urls as _root

    urlpatterns = [
        *_root.urlpatterns,
        path("open-door/", open_door, name="open_door"),
        path("later-app/", include(([path("<int:pk>/secret/", open_door, name="secret")], "later"))),
        path("post-only/", post_only_but_protected, name="post_only"),
    ]


@pytest.mark.django_db
def test_the_walk_reports_a_view_added_without_login_required(client, settings):
    settings.ROOT_URLCONF = UrlsWithAnOpenDoor
    settings.CELERY_TASK_ALWAYS_EAGER = True
    added = [
        route
        for route in walk(UrlsWithAnOpenDoor)
        if route.name in ("open_door", "later:secret", "post_only")
    ]
    assert len(added) == 3
    problems = anonymous_problems(client, added)
    assert len(problems) == 2, "\n".join(problems)
    assert problems[0].startswith("/open-door/ (open_door) answered 200")
    assert problems[1].startswith("/later-app/999999/secret/ (later:secret) answered 200")


def test_regex_examples_match_their_pattern():
    for regex in (
        r"^(?P<app_label>auth|schools)/$",
        r"^([^/]+)/history/([^/]+)/$",
        r"(?P<url>.*)$",
        r"\d{4}-\d{2}",
    ):
        assert re.search(regex, _example(sre_parse.parse(regex))), regex
