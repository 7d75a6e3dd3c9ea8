"""Second factor (TOTP by django-otp, with single-use recovery codes): who needs it and its writes.

Staff, superusers and every member of a role group in SECOND_FACTOR_ROLES must verify a code
from an authenticator app before any page but the second-factor pages opens (see
``classcontact.middleware.SecondFactorMiddleware``). Directors and teachers may turn it on;
once they have, their logins ask for it too.
"""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django_otp import devices_for_user
from django_otp import login as otp_session_login
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from classcontact.errors import DomainError
from classcontact.sessions import sessions_end_for_user

from .models import ProgrammeRole, StaffRole
from .otp_models import SecondFactorReset

# Role groups whose members must use a second factor: staff, and the mobile classroom
# programme's roles (inspector, adviser, resource teacher, commission, decision maker).
SECOND_FACTOR_ROLES: frozenset[str] = frozenset(StaffRole.values) | frozenset(ProgrammeRole.values)

RECOVERY_CODE_COUNT = 10
DEVICE_NAME = "authenticator"
RECOVERY_DEVICE_NAME = "recovery codes"
# The demo accounts' device, made only in demo mode (schools/otp_demo.py).
DEMO_DEVICE_NAME = "demo"

WRONG_CODE = _("This code is not valid. Type the current code of your app, or one recovery code.")
RESET_REASON_REQUIRED = _("Say why the second factor is reset.")
RESET_NOT_ALLOWED = _("Only a superuser may reset a second factor.")


class SecondFactorError(DomainError):
    pass


def second_factor_required(user) -> bool:
    """Whether ``user`` must verify a second factor after the password.

    One query for people who are not staff: a role group that needs it, or a device they set up.
    """
    if not user.is_authenticated:
        return False
    if user.is_staff or user.is_superuser:
        return True
    needs_it = Q(groups__name__in=SECOND_FACTOR_ROLES) | Q(totpdevice__confirmed=True)
    return get_user_model().objects.filter(needs_it, pk=user.pk).exists()


def has_authenticator(user) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def session_is_verified(request) -> bool:
    return bool(getattr(request.user, "is_verified", lambda: False)())


def pending_device(user) -> TOTPDevice:
    """The authenticator being set up (not confirmed yet): the same key until it is confirmed."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False, name=DEVICE_NAME).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, confirmed=False, name=DEVICE_NAME)
    return device


def current_code(device: TOTPDevice) -> str:
    """The code the device shows now (demo mode only: shown on the login page)."""
    return f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift):0{device.digits}d}"


def _verified_device(user, token: str):
    """The device that accepts ``token`` (throttled by django-otp after each failure)."""
    token = "".join(token.split()).lower()
    if token.isdigit():
        candidates = TOTPDevice.objects.filter(user=user, confirmed=True)
    else:
        candidates = StaticDevice.objects.filter(user=user, confirmed=True)
    with transaction.atomic():
        for device in candidates.select_for_update():
            if device.verify_token(token):
                return device
    return None


def second_factor_verify(*, request, token: str):
    """Verify ``token`` for the logged-in person and mark the session verified.

    Effects: the session is marked verified with the device and gets a new id (a privilege
    change); a used recovery code is spent. Raises SecondFactorError on a wrong code.
    """
    device = _verified_device(request.user, token)
    if device is None:
        raise SecondFactorError(WRONG_CODE)
    request.session.cycle_key()
    otp_session_login(request, device)
    return device


def _new_recovery_codes(user) -> list[str]:
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name=RECOVERY_DEVICE_NAME, confirmed=True)
    codes = [StaticToken.random_token() for _n in range(RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


@transaction.atomic
def authenticator_confirm(*, request, token: str) -> list[str]:
    """Confirm the authenticator being set up with a code it shows.

    Effects: the device is confirmed (any older authenticator of the person is removed), new
    recovery codes replace the old ones, the session is verified with a new id. Returns the
    recovery codes, shown once.
    """
    user = request.user
    device = (
        TOTPDevice.objects.select_for_update().filter(user=user, confirmed=False, name=DEVICE_NAME).first()
    )
    if device is None or not device.verify_token("".join(token.split())):
        raise SecondFactorError(WRONG_CODE)
    TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    codes = _new_recovery_codes(user)
    request.session.cycle_key()
    otp_session_login(request, device)
    return codes


@transaction.atomic
def recovery_codes_renew(*, user) -> list[str]:
    """New recovery codes for a verified person; the old ones stop working."""
    return _new_recovery_codes(user)


@transaction.atomic
def second_factor_reset(*, user, reset_by, reason: str) -> SecondFactorReset:
    """A superuser removes a person's second factor (a lost phone).

    Effects: every device of the person is deleted, a SecondFactorReset row records who, when
    and why, and every session of the person ends; their next login sets up a new device.
    """
    if not (reset_by.is_active and reset_by.is_superuser):
        raise SecondFactorError(RESET_NOT_ALLOWED)
    reason = reason.strip()
    if not reason:
        raise SecondFactorError(RESET_REASON_REQUIRED)
    for device in devices_for_user(user, confirmed=None):
        device.delete()
    record = SecondFactorReset.objects.create(user=user, reset_by=reset_by, reason=reason)
    # A session taken over by someone else must not get to set up their own device.
    sessions_end_for_user(user_id=user.pk)
    return record


def demo_codes() -> list[tuple[str, str]]:
    """(e-mail, current code) of each demo account's device; nothing outside demo mode."""
    if not settings.DEMO_MODE:
        return []
    devices = TOTPDevice.objects.filter(name=DEMO_DEVICE_NAME, confirmed=True).select_related("user")
    return sorted((device.user.email, current_code(device)) for device in devices)


def demo_codes_of(user) -> list[tuple[str, str]]:
    """The current code of ``user``'s demo device, in demo mode only."""
    return [(email, code) for email, code in demo_codes() if email == user.email]
