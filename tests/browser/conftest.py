import io

from django.core.management import call_command
import pytest


@pytest.fixture
def demo(settings):
    """The demo's schools, people, cases, kits, documents and tickets; every account's password is "demo"."""
    settings.DEMO_MODE = True
    call_command("seed_demo", stdout=io.StringIO())
