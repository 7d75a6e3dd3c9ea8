"""Indexes for the lists and searches of loans: trigram indexes (PostgreSQL only) and sort orders."""

import django.contrib.postgres.indexes

from django.db import migrations, models
import django.db.models.functions.text

import classcontact.indexes


class Migration(migrations.Migration):
    dependencies = [
        ("loans", "0001_initial"),
    ]

    operations = [
        # pg_trgm for the trigram indexes (PostgreSQL only: nothing happens on SQLite).
        classcontact.indexes.KeptTrigramExtension(),
        migrations.AddIndex(
            model_name="item",
            index=classcontact.indexes.PostgresGinIndex(
                django.contrib.postgres.indexes.OpClass(
                    django.db.models.functions.text.Upper("serial_number"), name="gin_trgm_ops"
                ),
                name="item_serial_trgm",
            ),
        ),
        migrations.AddIndex(
            model_name="item",
            index=classcontact.indexes.PostgresGinIndex(
                django.contrib.postgres.indexes.OpClass(
                    django.db.models.functions.text.Upper("model_name"), name="gin_trgm_ops"
                ),
                name="item_model_trgm",
            ),
        ),
        migrations.AddIndex(
            model_name="kit",
            index=classcontact.indexes.PostgresGinIndex(
                django.contrib.postgres.indexes.OpClass(
                    django.db.models.functions.text.Upper("code"), name="gin_trgm_ops"
                ),
                name="kit_code_trgm",
            ),
        ),
        migrations.AddIndex(
            model_name="kit",
            index=models.Index(
                fields=["kit_type", "region", "state", "code"], name="kit_type_region_state_idx"
            ),
        ),
        migrations.AddIndex(
            model_name="loan",
            index=classcontact.indexes.PostgresGinIndex(
                django.contrib.postgres.indexes.OpClass(
                    django.db.models.functions.text.Upper("reference"), name="gin_trgm_ops"
                ),
                name="loan_reference_trgm",
            ),
        ),
    ]
