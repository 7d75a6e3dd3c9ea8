"""A Django test client that logs people in the way they really end up: second factor included.

Used by the test suite and `make bench`. ``force_login(user)`` also verifies the session with
a registered authenticator for people who need one; ``second_factor=False`` stops after the
password, to test what such a half-logged-in session may reach.
"""

from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

TEST_DEVICE_NAME = "test device"


def registered_device(user) -> TOTPDevice:
    device, _created = TOTPDevice.objects.get_or_create(
        user=user, name=TEST_DEVICE_NAME, defaults={"confirmed": True}
    )
    return device


class TwoFactorClient(Client):
    def force_login(self, user, backend=None, *, second_factor: bool = True):
        from schools.otp import second_factor_required

        super().force_login(user, backend)
        if second_factor and second_factor_required(user):
            session = self.session
            session[DEVICE_ID_SESSION_KEY] = registered_device(user).persistent_id
            session.save()
