"""Indexes for the lists and searches of cases: trigram indexes (PostgreSQL only) and sort orders."""

import django.contrib.postgres.indexes

from django.db import migrations, models
import django.db.models.functions.text

import classcontact.indexes


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0001_initial"),
    ]

    operations = [
        # pg_trgm for the trigram indexes (PostgreSQL only: nothing happens on SQLite).
        classcontact.indexes.KeptTrigramExtension(),
        migrations.AddIndex(
            model_name="connectioncase",
            index=classcontact.indexes.PostgresGinIndex(
                django.contrib.postgres.indexes.OpClass(
                    django.db.models.functions.text.Upper("number"), name="gin_trgm_ops"
                ),
                name="case_number_trgm",
            ),
        ),
        migrations.AddIndex(
            model_name="connectioncase",
            index=classcontact.indexes.PostgresGinIndex(
                django.contrib.postgres.indexes.OpClass(
                    django.db.models.functions.text.Upper("pupil_last_name"), name="gin_trgm_ops"
                ),
                name="case_last_name_trgm",
            ),
        ),
        migrations.AddIndex(
            model_name="connectioncase",
            index=classcontact.indexes.PostgresGinIndex(
                django.contrib.postgres.indexes.OpClass(
                    django.db.models.functions.text.Upper("pupil_first_name"), name="gin_trgm_ops"
                ),
                name="case_first_name_trgm",
            ),
        ),
        migrations.AddIndex(
            model_name="connectioncase",
            index=models.Index(
                condition=models.Q(
                    models.Q(("status", "draft"), _negated=True),
                    models.Q(("status__in", frozenset(["closed", "ineligible", "withdrawn"])), _negated=True),
                ),
                fields=["-status_changed_at", "-id"],
                name="case_open_changed_idx",
            ),
        ),
        migrations.AddIndex(
            model_name="connectioncase",
            index=models.Index(
                condition=models.Q(
                    models.Q(("status", "draft"), _negated=True),
                    models.Q(("status__in", frozenset(["closed", "ineligible", "withdrawn"])), _negated=True),
                ),
                fields=["programme_year", "-status_changed_at", "-id"],
                name="case_open_year_idx",
            ),
        ),
    ]
