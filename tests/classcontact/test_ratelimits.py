"""Anonymous pages that take input answer 429, in the visitor's language, past their limit."""

from django.conf import settings
from django.urls import reverse
import pytest

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _one_window(monkeypatch):
    """The counters' windows are fixed slices of time: a test crossing a slice's end would start
    counting afresh halfway, so the clock stands still in the middle of a slice."""
    import time
    from types import SimpleNamespace

    import django_ratelimit.core

    still = (int(time.time()) // 3600) * 3600 + 1800
    monkeypatch.setattr(django_ratelimit.core, "time", SimpleNamespace(time=lambda: still))


LINK = "00000000-0000-4000-8000-000000000000/not-a-real-token-not-a-real-token-not-a-real/"


def allowed(view_name: str) -> int:
    return int(settings.RATE_LIMITS[view_name][1].split("/")[0])


PAGES = [
    ("login", "post", lambda: reverse("login"), {"username": "x@example.org", "password": "wrong"}),
    ("password_reset", "post", lambda: reverse("password_reset"), {"email": "x@example.org"}),
    ("sign:", "get", lambda: f"/sign/{LINK}", None),
    ("sign:", "post", lambda: f"/sign/{LINK}", {"confirm": "on"}),
    ("verify", "post", lambda: reverse("verify"), {}),
    ("invitation_accept", "get", lambda: reverse("invitation_accept", kwargs={"token": "made-up"}), None),
    (
        "password_reset_confirm",
        "get",
        lambda: reverse("password_reset_confirm", kwargs={"uidb64": "MQ", "token": "set-password"}),
        None,
    ),
]


@pytest.mark.parametrize(("limit_name", "method", "url", "data"), PAGES)
def test_a_page_answers_429_past_its_limit_per_address(client, limit_name, method, url, data, settings):
    settings.LOGIN_FAILURE_DELAY_SECONDS = 0
    settings.AXES_ENABLED = False
    send = getattr(client, method)
    for _n in range(allowed(limit_name)):
        assert send(url(), data or {}).status_code != 429
    refused = send(url(), data or {})
    assert refused.status_code == 429
    assert int(refused["Retry-After"]) >= 1
    assert 'data-testid="rate-limited"' in refused.content.decode()
    # Another address is not concerned.
    assert send(url(), data or {}, REMOTE_ADDR="10.0.0.9").status_code != 429


@pytest.mark.french
def test_the_429_page_speaks_the_visitors_language(client):
    for _n in range(allowed("verify") + 1):
        response = client.post(reverse("verify"), {})
    assert response.status_code == 429
    assert '<html lang="fr">' in response.content.decode()
    assert "Trop de demandes" in response.content.decode()


def test_behind_the_proxy_the_address_it_appended_counts_not_the_clients_claims(client, settings):
    settings.BEHIND_PROXY = True
    for n in range(allowed("verify")):
        client.post(reverse("verify"), {}, HTTP_X_FORWARDED_FOR=f"10.1.1.{n}, 198.51.100.7")
    refused = client.post(reverse("verify"), {}, HTTP_X_FORWARDED_FOR="10.9.9.9, 198.51.100.7")
    assert refused.status_code == 429
    other = client.post(reverse("verify"), {}, HTTP_X_FORWARDED_FOR="198.51.100.8")
    assert other.status_code != 429


def test_logged_in_pages_are_not_limited(client, director_a):
    client.force_login(director_a)
    for _n in range(allowed("verify") + 5):
        assert client.get(reverse("schools:dashboard")).status_code == 200
