import os

import pytest

from tests.builders.schools import make_director, make_school, make_staff, make_teacher

# Playwright's sync API runs an event loop in the test thread; Django's ORM must still be
# allowed there (the browser talks to the live server in another thread).
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


@pytest.fixture(autouse=True)
def _test_settings(settings, tmp_path):
    settings.PRIVATE_ROOT = tmp_path / "private"
    settings.LOGIN_FAILURE_DELAY_SECONDS = 0
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    from django.core.cache import cache

    cache.clear()  # rate-limit counters start afresh in every test
    from django.utils.functional import empty

    from classcontact.storage import private_storage

    private_storage._wrapped = empty  # rebuilt on next use, in this test's folder


@pytest.fixture(autouse=True)
def _english_unless_asked(request, settings):
    """Tests read English messages; the portal's French default is tested where marked ``french``."""
    from django.utils import translation

    language = "fr" if request.node.get_closest_marker("french") else "en"
    settings.LANGUAGE_CODE = language
    with translation.override(language):
        yield


@pytest.fixture(autouse=True)
def _celery_inline(settings):
    """Tasks run inline unless a test asks for the real worker (``celery_worker``)."""
    from classcontact.celery import app

    app.conf.task_always_eager = True
    app.conf.task_eager_propagates = True
    yield
    app.conf.task_always_eager = True


@pytest.fixture
def client():
    """Django's test client whose ``force_login`` also verifies the second factor of people who
    need one (``force_login(user, second_factor=False)`` stops after the password)."""
    from classcontact.testing import TwoFactorClient

    return TwoFactorClient()


@pytest.fixture
def school_a(db):
    return make_school(name="École A")


@pytest.fixture
def school_b(db):
    return make_school(name="École B")


@pytest.fixture
def director_a(school_a):
    return make_director(school_a, email="director.a@example.org")


@pytest.fixture
def director_b(school_b):
    return make_director(school_b, email="director.b@example.org")


@pytest.fixture
def teacher_a(school_a):
    return make_teacher(school_a, email="teacher.a@example.org")


@pytest.fixture
def coordinator(db):
    return make_staff("coordinator", email="coordinator@example.org")


@pytest.fixture
def technician(db):
    return make_staff("technician", email="technician@example.org")


@pytest.fixture
def helpdesk_agent(db):
    return make_staff("helpdesk_agent", email="agent@example.org")


@pytest.fixture
def read_only_staff(db):
    return make_staff("read_only", email="reader@example.org")


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(
            executable_path=os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"),
            headless=True,
            args=CHROMIUM_ARGS,
        )
        yield instance
        instance.close()


def _browser_locale(request) -> str:
    return "fr-BE" if request.node.get_closest_marker("french") else "en-GB"


def _audited(context):
    """A new tab on which axe-core checks every page visited; the test fails on any WCAG 2.1 A/AA violation."""
    from tests.browser.axe import AxeAudit

    context.set_default_timeout(15000)
    audit = AxeAudit(context).watch()
    yield context.new_page()
    audit.finish()
    context.close()
    if audit.problems:
        pytest.fail(audit.report(), pytrace=False)


@pytest.fixture
def page(browser, request):
    context = browser.new_context(locale=_browser_locale(request), viewport={"width": 1280, "height": 900})
    yield from _audited(context)


@pytest.fixture
def phone_page(browser, request):
    context = browser.new_context(
        locale=_browser_locale(request),
        viewport={"width": 390, "height": 844},
        is_mobile=True,
        has_touch=True,
    )
    yield from _audited(context)


@pytest.fixture
def celery_worker_redis(settings):
    """A real Celery worker thread consuming from Redis, for tests about tasks."""
    from celery.contrib.testing.worker import start_worker

    from classcontact.celery import app

    redis_url = os.environ.get("REDIS_URL")
    if not redis_url:
        pytest.fail("REDIS_URL is not set: run the suite with `make test`.")
    app.conf.task_always_eager = False
    app.conf.broker_url = redis_url
    app.conf.result_backend = redis_url
    worker_queue = f"test-{os.getpid()}"
    app.conf.task_default_queue = worker_queue
    with start_worker(
        app, pool="solo", perform_ping_check=False, queues=[worker_queue], loglevel="WARNING"
    ) as worker:
        yield worker
    app.conf.task_default_queue = "celery"


@pytest.fixture
def smtp_server():
    """A real local SMTP server (aiosmtpd) on a free port: ``.refuse()``, ``.received``."""
    from tests.smtp_server import SmtpServer

    server = SmtpServer().start()
    yield server
    server.stop()
