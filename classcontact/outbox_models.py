"""The outbox: every side effect a change triggers, recorded in the change's own transaction.

A row names a Celery task and its keyword arguments. Workers run it (``classcontact.outbox``);
a row stays pending until its task has run to the end, in the same transaction as the
task's own writes, so a broker outage or a killed worker delays the work and never loses it.
"""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class OutboxState(models.TextChoices):
    PENDING = "pending", _("waiting")
    DONE = "done", _("done")
    FAILED = "failed", _("failed (no retry left)")


class OutboxItem(models.Model):
    task = models.CharField(_("task"), max_length=100)
    kwargs = models.JSONField(_("arguments"), default=dict, blank=True)
    #: Unique: recording the same occasion twice returns the first record.
    key = models.CharField(_("idempotency key"), max_length=200, unique=True)
    state = models.CharField(
        _("state"), max_length=10, choices=OutboxState.choices, default=OutboxState.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt"), default=timezone.now)
    last_error = models.TextField(_("last error"), blank=True)
    created_at = models.DateTimeField(_("recorded"), default=timezone.now)
    done_at = models.DateTimeField(_("done"), null=True, blank=True)

    class Meta:
        verbose_name = _("pending work")
        verbose_name_plural = _("pending work")
        ordering = ["created_at"]
        indexes = [
            models.Index(
                fields=["next_attempt_at"],
                condition=models.Q(state="pending"),
                name="outbox_pending_due",
            )
        ]

    def __str__(self):
        return f"{self.task} {self.kwargs} ({self.state})"
