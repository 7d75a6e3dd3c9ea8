"""Demo mode only: each demo account that needs a second factor gets a registered device, whose
current code the login page shows, so that every role can be tried without an authenticator app."""

from django.conf import settings
from django_otp.plugins.otp_totp.models import TOTPDevice

from .demo import DEMO_USERS
from .models import User
from .otp import DEMO_DEVICE_NAME, second_factor_required


def seed(stdout) -> None:
    if not settings.DEMO_MODE:
        return
    emails = [email for email, *_rest in DEMO_USERS]
    for user in User.objects.filter(email__in=emails):
        if second_factor_required(user):
            TOTPDevice.objects.get_or_create(user=user, name=DEMO_DEVICE_NAME, defaults={"confirmed": True})
    stdout.write("Second factor of the demo staff accounts: the login page shows each one's current code.")
