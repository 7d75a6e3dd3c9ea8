"""The dashboard's helpdesk figures kept as tickets change (``helpdesk.figures``): a period's
targets are a sum of daily rows, plus the few tickets whose due time is still ahead."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Outcome(models.TextChoices):
    MET = "met", _("Met")
    MISSED = "missed", _("Met late")
    OPEN = "open", _("Not done yet")  # late or running, depending on the time it is read
    NONE = "none", _("No target")


class TicketFigures(models.Model):
    """What one ticket (not merged into another) adds to the dashboard, by target.

    An open target keeps its due time: whether it is late or still running is asked when
    the page is read, of the few tickets whose due time is still ahead.
    """

    ticket = models.OneToOneField(
        "helpdesk.Ticket", on_delete=models.CASCADE, primary_key=True, related_name="figures"
    )
    opened_on = models.DateField()  # local day
    first = models.CharField(max_length=8, choices=Outcome.choices)
    first_due = models.DateTimeField(null=True)  # only while the first answer is open
    resolution = models.CharField(max_length=8, choices=Outcome.choices)
    resolution_due = models.DateTimeField(null=True)  # only while the resolution is open

    class Meta:
        verbose_name = _("ticket figures")
        verbose_name_plural = _("ticket figures")
        indexes = [
            models.Index(
                fields=["first_due"],
                name="ticketfig_first_due_idx",
                condition=models.Q(first_due__isnull=False),
            ),
            models.Index(
                fields=["resolution_due"],
                name="ticketfig_resolution_due_idx",
                condition=models.Q(resolution_due__isnull=False),
            ),
        ]


class DailyTicketFigures(models.Model):
    """The tickets opened on one local day, and each target's outcomes among them."""

    day = models.DateField(unique=True)
    tickets = models.IntegerField(default=0)
    first_met = models.IntegerField(default=0)
    first_missed = models.IntegerField(default=0)
    first_open = models.IntegerField(default=0)
    resolution_met = models.IntegerField(default=0)
    resolution_missed = models.IntegerField(default=0)
    resolution_open = models.IntegerField(default=0)

    class Meta:
        verbose_name = _("daily ticket figures")
        verbose_name_plural = _("daily ticket figures")
