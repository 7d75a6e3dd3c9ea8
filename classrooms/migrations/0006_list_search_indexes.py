"""Indexes of the applications list's search: a number typed whole and part of a class's name
(trigrams, PostgreSQL only)."""

import django.contrib.postgres.indexes
from django.db import migrations, models
import django.db.models.functions.text

import classcontact.indexes


class Migration(migrations.Migration):
    dependencies = [
        ("classrooms", "0005_merged_event_kinds"),
    ]

    operations = [
        # pg_trgm for the trigram index (PostgreSQL only: nothing happens on SQLite).
        classcontact.indexes.KeptTrigramExtension(),
        migrations.AddIndex(
            model_name="application",
            index=models.Index(django.db.models.functions.text.Upper("number"), name="mcapp_number_upper"),
        ),
        migrations.AddIndex(
            model_name="application",
            index=classcontact.indexes.PostgresGinIndex(
                django.contrib.postgres.indexes.OpClass(
                    django.db.models.functions.text.Upper("class_name"), name="gin_trgm_ops"
                ),
                name="mcapp_class_trgm",
            ),
        ),
    ]
