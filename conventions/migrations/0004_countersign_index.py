"""The coordinators' home line reads the countersignatures asked for and not given yet."""

from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0011_school_region"),
        ("conventions", "0003_search_name_indexes"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddIndex(
            model_name="signature",
            index=models.Index(
                condition=models.Q(
                    ("role", "coordinator"), ("sent_at__isnull", False), ("status", "pending")
                ),
                fields=["sent_at"],
                name="signature_to_countersign_idx",
            ),
        ),
    ]
