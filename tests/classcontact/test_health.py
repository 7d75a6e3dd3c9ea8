from django.urls import reverse
import pytest


@pytest.mark.django_db
def test_health_reports_every_part_ok(client, settings):
    settings.CELERY_TASK_ALWAYS_EAGER = True
    response = client.get(reverse("health"))
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["checks"]["database"] == "ok"
    assert body["checks"]["storage"] == "ok"


@pytest.mark.django_db
def test_health_checks_the_real_broker(client, settings):
    import os

    settings.CELERY_TASK_ALWAYS_EAGER = False
    settings.REDIS_URL = os.environ["REDIS_URL"]
    response = client.get(reverse("health"))
    assert response.status_code == 200
    assert response.json()["checks"]["broker"] == "ok"


@pytest.mark.django_db
def test_health_answers_503_when_the_broker_is_down(client, settings):
    settings.CELERY_TASK_ALWAYS_EAGER = False
    settings.REDIS_URL = "redis://127.0.0.1:1/0"
    response = client.get(reverse("health"))
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "error"
    assert body["checks"]["broker"].startswith("error")
    assert body["checks"]["database"] == "ok"


@pytest.mark.django_db
def test_health_answers_503_when_storage_is_not_writable(client, settings, tmp_path):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x")
    settings.PRIVATE_ROOT = blocker
    from django.utils.functional import empty

    from classcontact.storage import private_storage

    private_storage._wrapped = empty
    response = client.get(reverse("health"))
    assert response.status_code == 503
    assert response.json()["checks"]["storage"].startswith("error")


@pytest.mark.django_db
def test_health_reports_a_mail_server_that_answers_and_one_that_does_not(client, settings, smtp_server):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", smtp_server.port
    up = client.get(reverse("health"))
    smtp_server.stop()
    down = client.get(reverse("health"))

    assert up.json()["checks"]["smtp"] == "ok"
    assert down.status_code == 503
    assert down.json()["checks"]["smtp"].startswith("error")


@pytest.mark.django_db
def test_health_answers_503_when_the_oldest_pending_work_is_too_old(client, settings):
    import datetime

    from django.utils import timezone

    from classcontact.models import OutboxItem

    settings.HEALTH_MAX_PENDING_SECONDS = 600
    item = OutboxItem.objects.create(task="classcontact.ping", key="old", kwargs={})
    fresh = client.get(reverse("health"))
    OutboxItem.objects.filter(pk=item.pk).update(created_at=timezone.now() - datetime.timedelta(minutes=11))
    stale = client.get(reverse("health"))

    assert fresh.status_code == 200 and fresh.json()["checks"]["pending"].startswith("oldest")
    assert stale.status_code == 503
    assert "oldest pending work is 66" in stale.json()["checks"]["pending"]
