"""The dashboard's figures kept as the cases change (``cases.figures``), so that a period's
figures are a sum of a few hundred daily rows instead of a pass over every case and event."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class CaseFigures(models.Model):
    """What one submitted case adds to the dashboard: its request, its connection, its wait.

    Written with the event that changes it (``cases.figures.case_figures_refresh``): the
    difference with the previous row is what the daily figures gain or lose.
    """

    case = models.OneToOneField(
        "cases.ConnectionCase", on_delete=models.CASCADE, primary_key=True, related_name="figures"
    )
    programme_year = models.CharField(max_length=9, blank=True)
    region = models.CharField(max_length=20, blank=True)
    status = models.CharField(max_length=24)
    submitted_on = models.DateField()  # local days, as the dashboard's periods
    activated_at = models.DateTimeField(null=True)
    activated_on = models.DateField(null=True)
    ended_on = models.DateField(null=True)  # the first of kit returned, closed, withdrawn
    waited = models.DurationField(null=True)  # from the request to the connection
    # The wait in tenths of a day, rounded as the dashboard shows it (``cases.figures.tenths``).
    waited_tenths = models.IntegerField(null=True)

    class Meta:
        verbose_name = _("case figures")
        verbose_name_plural = _("case figures")
        indexes = [
            # The waits of the pupils connected in a period (median, 90th percentile).
            models.Index(
                fields=["activated_on", "programme_year", "waited"],
                name="casefigures_connected_idx",
                condition=models.Q(activated_on__isnull=False),
            ),
            # The shortest and longest waits of one tenth of a day among those of a period.
            models.Index(
                fields=["waited_tenths", "activated_on", "programme_year", "waited"],
                name="casefigures_tenths_idx",
                condition=models.Q(waited_tenths__isnull=False),
            ),
        ]


class DailyFigures(models.Model):
    """One local day's counts: requests submitted that day by their state now (``status``
    set, no region), connections that started and ended that day by region (no state)."""

    day = models.DateField()
    programme_year = models.CharField(max_length=9, blank=True)
    region = models.CharField(max_length=20, blank=True)
    status = models.CharField(max_length=24, blank=True)
    requests = models.IntegerField(default=0)
    connected = models.IntegerField(default=0)
    ended = models.IntegerField(default=0)

    class Meta:
        verbose_name = _("daily figures")
        verbose_name_plural = _("daily figures")
        constraints = [
            models.UniqueConstraint(
                fields=["day", "programme_year", "region", "status"], name="dailyfigures_unique_key"
            )
        ]


class WaitFigures(models.Model):
    """How many pupils connected in a month had waited each tenth of a day (as the dashboard
    rounds waits), by programme year: a period's median and 90th percentile are found among a
    few hundred rows instead of one row per connected case."""

    month = models.DateField()  # the first day of the month of the connection (a local day)
    programme_year = models.CharField(max_length=9, blank=True)
    tenths = models.IntegerField()
    connected = models.IntegerField(default=0)

    class Meta:
        verbose_name = _("wait figures")
        verbose_name_plural = _("wait figures")
        constraints = [
            models.UniqueConstraint(
                fields=["month", "programme_year", "tenths"], name="waitfigures_unique_key"
            )
        ]
