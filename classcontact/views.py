import smtplib
import uuid

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.files.base import ContentFile
from django.db import connection
from django.http import HttpRequest, HttpResponse, HttpResponseServerError, JsonResponse
from django.shortcuts import redirect, render
from django.template import loader
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from schools.selectors import user_is_staff_member, user_programme_roles


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """Send each person to their own landing page."""
    if user_is_staff_member(request.user):
        return redirect("staff_home")
    if user_programme_roles(request.user):
        return redirect("classrooms:home")
    return redirect("schools:dashboard")


def _check_database() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return "ok"


def _check_broker() -> str:
    if settings.CELERY_TASK_ALWAYS_EAGER:
        return "inline"
    import redis

    client = redis.Redis.from_url(settings.REDIS_URL, socket_connect_timeout=2, socket_timeout=2)
    try:
        client.ping()
    finally:
        client.close()
    return "ok"


def _check_storage() -> str:
    from classcontact.storage import private_storage

    name = private_storage.save(f"health/{uuid.uuid4().hex}.txt", ContentFile(b"ok"))
    try:
        with private_storage.open(name, "rb") as handle:
            handle.read()
    finally:
        private_storage.delete(name)
    return "ok"


def _check_smtp() -> str:
    """Whether the mail server answers (only when mail goes out by SMTP)."""
    if settings.EMAIL_BACKEND != "django.core.mail.backends.smtp.EmailBackend":
        return "not used"
    with smtplib.SMTP(settings.EMAIL_HOST, settings.EMAIL_PORT, timeout=2) as server:
        code, _message = server.noop()
    if code != 250:
        raise smtplib.SMTPResponseException(code, "NOOP refused")
    return "ok"


def _check_pending() -> str:
    """Age of the oldest work not yet done (a mail, a PDF, a link): too old means stuck."""
    from .outbox import oldest_pending_age

    age = oldest_pending_age()
    if age is not None and age > settings.HEALTH_MAX_PENDING_SECONDS:
        raise PendingTooOld(f"oldest pending work is {int(age)} s old")
    return f"oldest {int(age)} s" if age is not None else "none"


class PendingTooOld(Exception):  # noqa: N818 - what the health page reports
    pass


@never_cache
@require_GET
def health(request: HttpRequest) -> JsonResponse:
    """JSON state of the database, the broker, the mail server, the private storage and the
    pending work (200, or 503 when any fails or the oldest pending work is too old)."""
    checks = {}
    healthy = True
    for name, probe in (
        ("database", _check_database),
        ("broker", _check_broker),
        ("smtp", _check_smtp),
        ("storage", _check_storage),
        ("pending", _check_pending),
    ):
        try:
            checks[name] = probe()
        except PendingTooOld as exc:
            checks[name] = f"error: {exc}"
            healthy = False
        except Exception as exc:  # noqa: BLE001 - a health page reports every failure
            checks[name] = f"error: {exc.__class__.__name__}"
            healthy = False
    return JsonResponse(
        {"status": "ok" if healthy else "error", "checks": checks}, status=200 if healthy else 503
    )


def error_400(request, exception=None):
    return render(request, "errors/400.html", status=400)


def error_403(request, exception=None):
    return render(request, "errors/403.html", status=403)


def error_404(request, exception=None):
    return render(request, "errors/404.html", status=404)


def error_500(request):
    """Rendered without the request's context processors: they may be what failed."""
    return HttpResponseServerError(loader.render_to_string("errors/500.html"))


def csrf_failure(request, reason=""):
    return render(request, "errors/csrf.html", status=403)
