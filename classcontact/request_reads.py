"""The two reads every signed-in request makes before its page, each from a statement written
once: the session's row and the device that verified the person's second factor. Building
these queries through the ORM cost each request more than running them.

``SessionStore`` is Django's database store (``SESSION_ENGINE = "classcontact.request_reads"``);
``OTPMiddleware`` is django-otp's, taking its place in ``MIDDLEWARE``.
"""

from django.apps import apps
from django.contrib.sessions.backends.db import SessionStore as DatabaseSessionStore
from django.utils import timezone
from django_otp.middleware import OTPMiddleware as DjangoOTPMiddleware
from django_otp.models import Device

from .postgresql import columns


class SessionStore(DatabaseSessionStore):
    def _get_session_from_db(self):
        table = self.model._meta.db_table
        found = next(
            iter(
                self.model.objects.raw(
                    f"SELECT {columns(self.model, table)} FROM {table}"  # noqa: S608
                    " WHERE session_key = %s AND expire_date > %s",
                    [self.session_key, timezone.now()],
                )
            ),
            None,
        )
        if found is None:
            self._session_key = None
        return found


class OTPMiddleware(DjangoOTPMiddleware):
    def _device_from_persistent_id(self, persistent_id: str):
        """The device named ``app_label.model/pk`` in the session, or None (as django-otp's)."""
        try:
            label, pk = self._normalize_persistent_id(persistent_id).rsplit("/", 1)
            model = apps.get_model(label)
            pk = int(pk)
        except (LookupError, ValueError):
            return None
        if not issubclass(model, Device):
            return None
        table = model._meta.db_table
        statement = f"SELECT {columns(model, table)} FROM {table} WHERE id = %s"  # noqa: S608
        return next(iter(model.objects.raw(statement, [pk])), None)
