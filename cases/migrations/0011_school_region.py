"""Each case keeps its school's region, for the board's region filter (cases/school_region.py).

The existing cases take their school's region, in their live and history tables.
"""

from django.conf import settings
from django.db import migrations, models
from django.db.models import OuterRef, Subquery


def fill_regions(apps, schema_editor):
    School = apps.get_model("schools", "School")
    region = Subquery(School.objects.filter(pk=OuterRef("school_id")).values("region")[:1])
    for name in ("ConnectionCase", "HistoricalConnectionCase"):
        apps.get_model("cases", name).objects.update(school_region=region)


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0010_wait_figures"),
        ("schools", "0005_reminders"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="connectioncase",
            name="school_region",
            field=models.CharField(
                choices=[
                    ("brussels", "Brussels-Capital"),
                    ("walloon_brabant", "Walloon Brabant"),
                    ("hainaut", "Hainaut"),
                    ("liege", "Liège"),
                    ("luxembourg", "Luxembourg"),
                    ("namur", "Namur"),
                    ("pas_de_calais", "Pas-de-Calais"),
                    ("other", "Other"),
                ],
                default="",
                editable=False,
                max_length=20,
                verbose_name="region",
            ),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="historicalconnectioncase",
            name="school_region",
            field=models.CharField(
                choices=[
                    ("brussels", "Brussels-Capital"),
                    ("walloon_brabant", "Walloon Brabant"),
                    ("hainaut", "Hainaut"),
                    ("liege", "Liège"),
                    ("luxembourg", "Luxembourg"),
                    ("namur", "Namur"),
                    ("pas_de_calais", "Pas-de-Calais"),
                    ("other", "Other"),
                ],
                default="",
                editable=False,
                max_length=20,
                verbose_name="region",
            ),
            preserve_default=False,
        ),
        migrations.RunPython(fill_regions, migrations.RunPython.noop),
        migrations.AddIndex(
            model_name="connectioncase",
            index=models.Index(
                condition=models.Q(
                    models.Q(("status", "draft"), _negated=True),
                    models.Q(("status__in", frozenset(["closed", "ineligible", "withdrawn"])), _negated=True),
                ),
                fields=["school_region", "-status_changed_at", "-id"],
                name="case_open_region_idx",
            ),
        ),
        migrations.AddIndex(
            model_name="connectioncase",
            index=models.Index(
                condition=models.Q(
                    models.Q(("status", "draft"), _negated=True),
                    models.Q(("status__in", frozenset(["closed", "ineligible", "withdrawn"])), _negated=True),
                ),
                fields=["school_region", "programme_year", "-status_changed_at", "-id"],
                name="case_open_region_year_idx",
            ),
        ),
    ]
