"""Production and development requirements: separate, pinned, with hashes; the image gets only the former."""

from pathlib import Path
import re

import yaml

ROOT = Path(__file__).resolve().parents[2]
DEVELOPMENT_ONLY = {"pytest", "pytest-django", "pytest-xdist", "playwright", "hypothesis", "aiosmtpd", "ruff"}
DEVELOPMENT_ONLY |= {"pyyaml", "pip-tools", "pip-audit"}


def requirements(name: str) -> dict[str, str]:
    """{package: the text of its requirement, continuation lines included}."""
    text = (ROOT / name).read_text().replace("\\\n", " ")
    found = {}
    for line in text.splitlines():
        match = re.match(r"^([A-Za-z0-9_.-]+)==\S+", line)
        if match:
            found[match.group(1).lower().replace("_", "-")] = line
    return found


def test_every_requirement_is_pinned_with_a_hash():
    for name in ("requirements.txt", "requirements-dev.txt"):
        pins = requirements(name)
        assert len(pins) > 10, name
        unhashed = [package for package, line in pins.items() if "--hash=sha256:" not in line]
        assert not unhashed, f"{name}: {unhashed}"


def test_production_needs_no_development_tool():
    production = requirements("requirements.txt")
    assert {"django", "django-otp", "django-csp", "django-ratelimit", "gunicorn"} <= set(production)
    assert not DEVELOPMENT_ONLY & set(production)
    assert DEVELOPMENT_ONLY <= set(requirements("requirements-dev.txt"))


def test_the_image_installs_the_production_requirements_only():
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    dockerfile = compose["x-app"]["build"]["dockerfile_inline"]
    assert "pip install --no-cache-dir --require-hashes -r requirements.txt" in dockerfile
    assert "requirements-dev" not in dockerfile


def test_make_audit_checks_the_production_requirements():
    makefile = (ROOT / "Makefile").read_text()
    assert "pip-audit --strict --disable-pip --require-hashes -r requirements.txt" in makefile
