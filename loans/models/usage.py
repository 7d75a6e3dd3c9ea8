"""How much the kits were used, kept as the loans change (``loans.services.usage``), so that a
period's kit-days lent are a sum of daily rows by kit type instead of a pass over every loan."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class LoanUse(models.Model):
    """The days one handed-over loan counts as lent: from ``first`` to ``last`` (both
    included), or to today while ``last`` is empty; its kit's type when it was counted.

    Written with the change of the loan (``loans.services.usage.kits_settle_use``): the
    difference with the previous row is what the daily rows gain or lose.
    """

    loan = models.OneToOneField("loans.Loan", on_delete=models.CASCADE, primary_key=True, related_name="+")
    kit_type = models.ForeignKey("loans.KitType", on_delete=models.CASCADE, related_name="+")
    first = models.DateField()
    last = models.DateField(null=True)

    class Meta:
        verbose_name = _("loan use")
        verbose_name_plural = _("loan uses")


class KitUseDay(models.Model):
    """One day's changes of the number of kits of a type out on loan: ``lent`` gains one on
    the first day of a loan with a last day and loses one the day after its last day;
    ``open`` gains one on the first day of a loan without a last day (counted to today)."""

    kit_type = models.ForeignKey("loans.KitType", on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    lent = models.IntegerField(default=0)
    open = models.IntegerField(default=0)

    class Meta:
        verbose_name = _("kit use day")
        verbose_name_plural = _("kit use days")
        constraints = [models.UniqueConstraint(fields=["kit_type", "day"], name="kituseday_unique_key")]
