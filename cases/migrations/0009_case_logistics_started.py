"""Each case keeps whether a kit was reserved or a visit planned for it; the cases that have
a loan or a visit already are marked."""

from django.db import migrations, models
from django.db.models import Exists, OuterRef


def mark_cases_with_records(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    case_type = ContentType.objects.filter(app_label="cases", model="connectioncase").first()
    if case_type is None:  # a new database: no record can point at a case yet
        return
    ConnectionCase = apps.get_model("cases", "ConnectionCase")
    held = {"holder_type": case_type, "holder_id": OuterRef("pk")}
    ConnectionCase.objects.filter(
        Exists(apps.get_model("loans", "Loan").objects.filter(**held))
        | Exists(apps.get_model("loans", "Visit").objects.filter(**held))
    ).update(logistics_started=True)


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0008_dashboard_figures"),
        ("loans", "0005_kit_free_from"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.AddField(
            model_name="connectioncase",
            name="logistics_started",
            field=models.BooleanField(default=False, verbose_name="a kit was reserved or a visit planned"),
        ),
        migrations.AddField(
            model_name="historicalconnectioncase",
            name="logistics_started",
            field=models.BooleanField(default=False, verbose_name="a kit was reserved or a visit planned"),
        ),
        migrations.RunPython(mark_cases_with_records, migrations.RunPython.noop),
    ]
