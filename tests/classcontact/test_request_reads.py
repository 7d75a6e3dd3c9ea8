"""Each request's session row and second-factor device, read by statements written once, are
found and refused as Django's and django-otp's own readers do."""

import datetime

from django.contrib.sessions.models import Session
from django.test import RequestFactory
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticDevice
import pytest

from classcontact.request_reads import OTPMiddleware, SessionStore
from classcontact.testing import registered_device

pytestmark = pytest.mark.django_db


def test_a_live_session_is_read_and_an_expired_or_unknown_one_is_not():
    store = SessionStore()
    store["colour"] = "bleu"
    store.create()
    assert SessionStore(store.session_key).load() == {"colour": "bleu"}
    Session.objects.filter(pk=store.session_key).update(
        expire_date=timezone.now() - datetime.timedelta(seconds=1)
    )
    expired = SessionStore(store.session_key)
    assert expired.load() == {} and expired.session_key is None
    unknown = SessionStore("x" * 32)
    assert unknown.load() == {} and unknown.session_key is None


def _device(persistent_id: str):
    return OTPMiddleware(lambda request: None)._device_from_persistent_id(persistent_id)


def test_the_device_named_in_the_session_is_read(coordinator):
    device = registered_device(coordinator)
    assert _device(device.persistent_id) == device
    backup = StaticDevice.objects.create(user=coordinator, name="backup")
    assert _device(backup.persistent_id) == backup
    device.delete()
    assert _device(f"otp_totp.totpdevice/{backup.pk + 1000}") is None


@pytest.mark.parametrize(
    "persistent_id", ["schools.user/1", "nothing.here/1", "otp_totp.totpdevice/one", "no slash", ""]
)
def test_anything_but_a_device_is_no_device(coordinator, persistent_id):
    registered_device(coordinator)
    assert _device(persistent_id) is None


def test_a_request_is_verified_by_its_device_and_no_longer_once_it_is_gone(client, coordinator):
    from django.urls import reverse

    client.force_login(coordinator)  # the test client verifies the second factor
    response = client.get(reverse("staff_home"))
    assert response.status_code == 200 and response.wsgi_request.user.is_verified()
    coordinator.totpdevice_set.all().delete()
    response = client.get(reverse("staff_home"))
    assert not response.wsgi_request.user.is_verified()


def test_the_middleware_gives_each_request_its_device(coordinator):
    device = registered_device(coordinator)
    request = RequestFactory().get("/")
    request.user = coordinator
    request.session = {"otp_device_id": device.persistent_id}
    OTPMiddleware(lambda r: r)(request)
    assert request.user.otp_device == device
