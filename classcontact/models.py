from django.db import models
from django.utils.translation import gettext_lazy as _


class YearlyCounter(models.Model):
    """The last number given in a year to one kind of reference (CC-2026-0042, HD-2026-00042).

    Its row is locked while numbers are taken (``classcontact.numbering``), so two requests
    at the same moment queue up instead of taking the same number.
    """

    scope = models.SlugField(_("kind of reference"), max_length=20)
    year = models.PositiveSmallIntegerField(_("year"))
    last_value = models.PositiveIntegerField(_("last number given"), default=0)

    class Meta:
        verbose_name = _("reference counter")
        verbose_name_plural = _("reference counters")
        ordering = ["scope", "-year"]
        constraints = [models.UniqueConstraint(fields=["scope", "year"], name="yearlycounter_unique")]

    def __str__(self):
        return f"{self.scope} {self.year}: {self.last_value}"


from .export_models import ExportJob  # noqa: E402, F401  (its own module)
from .import_models import ImportJob  # noqa: E402, F401  (its own module)
from .outbox_models import OutboxItem, OutboxState  # noqa: E402, F401  (its own module)
