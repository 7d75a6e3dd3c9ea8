"""Production settings: `check --deploy` is clean, and bad or missing settings stop the process."""

import os
from pathlib import Path
import re
import subprocess
import sys

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION_KEY = "k3Jd9vQ2mX7pL4wZ8rT1nB6yH5cF0sA-eG_uI#oP@qV!xY%zM^jN&bC*"


def run_manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    """Run manage.py in a fresh process whose environment has only PATH, the database and ``env``.

    The child process does not import pytest, so settings.TESTING stays off as in production.
    """
    clean = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "DATABASE_URL": os.environ["DATABASE_URL"]}
    clean.update(env)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=clean,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def production(**overrides: str) -> dict[str, str]:
    env = {"DEBUG": "0", "SECRET_KEY": PRODUCTION_KEY, "ALLOWED_HOSTS": "portal.example.org"}
    env.update(overrides)
    return {key: value for key, value in env.items() if value is not None}


def test_the_production_key_used_here_is_long_enough():
    assert len(PRODUCTION_KEY) >= 50
    assert len(set(PRODUCTION_KEY)) >= 5


def test_check_deploy_reports_nothing_with_production_settings():
    result = run_manage("check", "--deploy", "--fail-level", "WARNING", **production())
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout
    assert "WARNINGS" not in result.stdout + result.stderr


def test_check_deploy_notices_debug_left_on():
    result = run_manage("check", "--deploy", "--fail-level", "WARNING", **production(DEBUG="1"))
    assert result.returncode != 0
    assert "security.W018" in result.stdout + result.stderr


def test_production_refuses_to_start_without_a_secret_key():
    result = run_manage("check", **production(SECRET_KEY=None))
    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr


def compose_environment(**given: str) -> dict[str, str]:
    """The environment docker-compose.yml gives the app, with ``given`` as the operator's variables.

    ``${NAME:-default}`` takes the default unless given, ``${NAME:?message}`` must be given.
    """
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())

    def expand(value) -> str:
        def replace(match):
            name, operator, fallback = match.groups()
            if name in given:
                return given[name]
            assert operator == ":-", f"docker-compose.yml requires {name}"
            return fallback

        return re.sub(r"\$\{(\w+)(:[-?])([^}]*)\}", replace, str(value))

    return {key: expand(value) for key, value in compose["x-app"]["environment"].items()}


def test_check_deploy_reports_nothing_with_the_compose_environment():
    env = compose_environment(SECRET_KEY=PRODUCTION_KEY, ALLOWED_HOSTS="portal.example.org")
    env["DATABASE_URL"] = os.environ["DATABASE_URL"]  # the compose file names its own host
    result = run_manage("check", "--deploy", "--fail-level", "WARNING", **env)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout


def test_the_compose_stack_is_https_only_by_default():
    env = compose_environment(SECRET_KEY=PRODUCTION_KEY)
    assert env["SECURE_SSL_REDIRECT"] == "1"
    assert env["SECURE_COOKIES"] == "1"
    assert int(env["SECURE_HSTS_SECONDS"]) >= 31536000
    assert "DEBUG" not in env and "DEMO_MODE" not in env


def test_compose_refuses_to_start_without_a_secret_key():
    with pytest.raises(AssertionError, match="requires SECRET_KEY"):
        compose_environment()


def print_setting(name: str, **env: str) -> str:
    result = run_manage("shell", "-c", f"from django.conf import settings; print(settings.{name})", **env)
    assert result.returncode == 0, result.stderr
    return result.stdout.strip().splitlines()[-1]


def test_forwarded_proto_is_trusted_only_behind_a_proxy():
    assert print_setting("SECURE_PROXY_SSL_HEADER", **production()) == "None"
    assert print_setting("SECURE_PROXY_SSL_HEADER", **production(BEHIND_PROXY="1")) == str(
        ("HTTP_X_FORWARDED_PROTO", "https")
    )


def test_demo_mode_does_not_excuse_a_missing_secret_key():
    result = run_manage("check", **production(SECRET_KEY=None, DEMO_MODE="1"))
    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr


def test_production_refuses_a_short_secret_key():
    result = run_manage("check", **production(SECRET_KEY="collectstatic-only"))
    assert result.returncode != 0
    assert "SECRET_KEY is too short" in result.stderr


def test_production_refuses_the_development_key():
    result = run_manage("check", **production(SECRET_KEY="insecure-development-key-never-use-in-production"))
    assert result.returncode != 0
    assert "SECRET_KEY is the development key" in result.stderr


@pytest.mark.parametrize("value", ["maybe", "2", "yes please"])
def test_a_bad_boolean_stops_the_process_with_its_name(value):
    result = run_manage("check", **production(DEBUG=value))
    assert result.returncode != 0
    assert f"DEBUG must be a boolean (1/0, true/false), not {value!r}" in result.stderr


def test_a_bad_integer_stops_the_process_with_its_name():
    result = run_manage("check", **production(AXES_FAILURE_LIMIT="five"))
    assert result.returncode != 0
    assert "AXES_FAILURE_LIMIT must be an integer" in result.stderr


def test_development_mode_starts_without_a_secret_key():
    result = run_manage("check", DEBUG="1")
    assert result.returncode == 0, result.stderr


def test_a_bad_number_stops_the_process_with_its_name():
    result = run_manage("check", **production(LOGIN_FAILURE_DELAY_SECONDS="half a second"))
    assert result.returncode != 0
    assert "LOGIN_FAILURE_DELAY_SECONDS must be a number" in result.stderr


def test_build_time_commands_run_without_the_production_key():
    result = run_manage("makemigrations", "--check", "--dry-run", **production(SECRET_KEY=None))
    assert result.returncode == 0, result.stderr
    assert "No changes detected" in result.stdout
