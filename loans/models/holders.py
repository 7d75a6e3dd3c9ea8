"""The link from a loan, a visit or a referral to the programme record it is for.

The logistics never import a programme: a loan points at its record (a connection case
today, a class application later) through a generic relation, and keeps the reference the
programme gives it (a case number) to show and to search without reading the programme.
"""

from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _


class HeldBy(models.Model):
    holder_type = models.ForeignKey(
        ContentType,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("programme record type"),
    )
    holder_id = models.PositiveBigIntegerField(_("programme record"), null=True, blank=True)
    holder = GenericForeignKey("holder_type", "holder_id")
    reference = models.CharField(
        _("reference"),
        max_length=40,
        blank=True,
        db_index=True,
        help_text=_("What the programme calls it, for example a case number."),
    )

    class Meta:
        abstract = True

    def holder_is(self, record) -> bool:
        """Whether this is for ``record`` (a programme's model instance)."""
        if record is None or self.holder_id is None:
            return False
        return self.holder_id == record.pk and self.holder_type_id == _type_id(record)


def _type_id(record) -> int:
    return ContentType.objects.get_for_model(record).pk


def holder_filter(record) -> dict:
    """Keyword filters matching the loans, visits or referrals of one programme record."""
    return {"holder_type": ContentType.objects.get_for_model(record), "holder_id": record.pk}
