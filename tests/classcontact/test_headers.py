"""Security headers on every page of the URL walk, and no inline script or style in any template."""

from pathlib import Path
import re

from django.conf import settings
from django.template.utils import get_app_template_dirs
from django.urls import reverse
import pytest

from tests.builders.cases import make_case
from tests.classcontact.test_urls import walk

# Rendered to PDF by WeasyPrint or sent by e-mail, never served as a web page.
NOT_WEB_PAGES = ("pdf", "emails")
INLINE_SCRIPT = re.compile(r"<script\b(?![^>]*\bsrc=)(?![^>]*type=\"application/json\")[^>]*>", re.IGNORECASE)
INLINE_STYLE = re.compile(r"<style\b|\sstyle=\"|\son[a-z]+=\"", re.IGNORECASE)


def web_templates() -> list[Path]:
    folders = [Path(folder) for folder in settings.TEMPLATES[0]["DIRS"]]
    folders += [Path(folder) for folder in get_app_template_dirs("templates") if ".venv" not in str(folder)]
    return [
        path
        for folder in folders
        for path in folder.rglob("*.html")
        if path.relative_to(folder).parts[0] not in NOT_WEB_PAGES
    ]


def test_no_template_has_an_inline_script_style_or_event_handler():
    templates = web_templates()
    assert len(templates) > 50
    found = [
        f"{path}: {match.group(0)}"
        for path in templates
        for pattern in (INLINE_SCRIPT, INLINE_STYLE)
        for match in pattern.finditer(path.read_text())
    ]
    assert not found, "\n".join(found)


def header_problems(response, url: str) -> list[str]:
    policy = response.get("Content-Security-Policy", "")
    problems = []
    if (
        "default-src" not in policy
        or "frame-ancestors 'none'" not in policy
        and "default-src 'none'" not in policy
    ):
        problems.append(f"{url}: Content-Security-Policy {policy!r}")
    if "unsafe-inline" in policy or "unsafe-eval" in policy:
        problems.append(f"{url}: unsafe policy {policy!r}")
    if response.get("X-Frame-Options") != "DENY":
        problems.append(f"{url}: X-Frame-Options {response.get('X-Frame-Options')!r}")
    if response.get("Referrer-Policy") not in ("same-origin", "no-referrer"):
        problems.append(f"{url}: Referrer-Policy {response.get('Referrer-Policy')!r}")
    if "camera=()" not in response.get("Permissions-Policy", ""):
        problems.append(f"{url}: no Permissions-Policy")
    if "no-store" not in response.get("Cache-Control", ""):
        problems.append(f"{url}: Cache-Control {response.get('Cache-Control')!r}")
    return problems


def walk_problems(client) -> list[str]:
    client.raise_request_exception = False
    problems = []
    for route in walk():
        if route.url.startswith(settings.STATIC_URL):
            continue
        response = client.get(route.url)
        if response.status_code == 405:
            response = client.post(route.url)
        problems += header_problems(response, route.url)
    return problems


@pytest.mark.django_db
def test_every_page_of_the_walk_has_the_headers_for_a_visitor(client):
    problems = walk_problems(client)
    assert not problems, "\n".join(problems)


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["coordinator", "director_a"])
def test_every_page_of_the_walk_has_the_headers_once_logged_in(client, persona, request):
    client.force_login(request.getfixturevalue(persona))
    problems = walk_problems(client)
    assert not problems, "\n".join(problems)


@pytest.mark.django_db
def test_a_case_page_with_pupil_data_is_never_stored(client, school_a, director_a, coordinator):
    case = make_case(school_a, director_a, coordinator)
    client.force_login(director_a)
    response = client.get(reverse("cases:detail", args=[case.public_id]))
    assert response.status_code == 200
    assert case.pupil_first_name in response.content.decode()
    assert "no-store" in response["Cache-Control"]
    assert "script-src 'self'" in response["Content-Security-Policy"]
