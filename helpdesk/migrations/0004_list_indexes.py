"""The staff queue in the order of its running targets, and the newest tickets first."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("helpdesk", "0003_trigram_search"),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name="ticket",
            name="ticket_created",
        ),
        migrations.AddIndex(
            model_name="ticket",
            index=models.Index(fields=["-created_at", "-id"], name="ticket_created"),
        ),
        migrations.AddIndex(
            model_name="ticket",
            index=models.Index(
                models.Case(
                    models.When(first_responded_at__isnull=True, then=models.F("first_response_due")),
                    default=models.F("resolution_due"),
                ),
                models.F("id"),
                condition=models.Q(("status__in", frozenset(["new", "open", "waiting"]))),
                name="ticket_active_due_idx",
            ),
        ),
        migrations.AddIndex(
            model_name="ticket",
            index=models.Index(
                models.F("category"),
                models.Case(
                    models.When(first_responded_at__isnull=True, then=models.F("first_response_due")),
                    default=models.F("resolution_due"),
                ),
                models.F("id"),
                condition=models.Q(("status__in", frozenset(["new", "open", "waiting"]))),
                name="ticket_active_category_due_idx",
            ),
        ),
    ]
