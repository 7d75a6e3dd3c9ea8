"""Reminders sent (one row per rule, occasion, recipient and step: the proof it went once),
and the cases or records whose reminders staff silenced."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ReminderSent(models.Model):
    rule = models.CharField(_("rule"), max_length=80)
    occasion = models.CharField(_("occasion"), max_length=120)
    recipient = models.EmailField(_("recipient"))
    step = models.PositiveSmallIntegerField(_("step"))
    escalation = models.BooleanField(_("escalation"), default=False)
    #: What staff see it on, "app.model:pk" (a case: "cases.connectioncase:17").
    subject = models.CharField(_("about"), max_length=120, db_index=True)
    sent_at = models.DateTimeField(_("sent"), default=timezone.now)

    class Meta:
        verbose_name = _("reminder sent")
        verbose_name_plural = _("reminders sent")
        ordering = ["-sent_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["rule", "occasion", "recipient", "step"], name="reminder_once_per_step"
            )
        ]

    def __str__(self):
        return f"{self.rule} {self.occasion} → {self.recipient} ({self.step})"


class ReminderSilence(models.Model):
    subject = models.CharField(_("about"), max_length=120, unique=True)
    silenced_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, verbose_name=_("silenced by")
    )
    silenced_at = models.DateTimeField(_("silenced"), default=timezone.now)

    class Meta:
        verbose_name = _("silenced reminders")
        verbose_name_plural = _("silenced reminders")

    def __str__(self):
        return self.subject
