"""Indexes for the lists and searches of schools: trigram indexes (PostgreSQL only) and sort orders."""

import django.contrib.postgres.indexes

from django.db import migrations, models
import django.db.models.functions.text

import classcontact.indexes


class Migration(migrations.Migration):
    dependencies = [
        ("schools", "0002_secondfactorreset"),
    ]

    operations = [
        # pg_trgm for the trigram indexes (PostgreSQL only: nothing happens on SQLite).
        classcontact.indexes.KeptTrigramExtension(),
        migrations.AddIndex(
            model_name="school",
            index=models.Index(fields=["name", "id"], name="school_name_id_idx"),
        ),
        migrations.AddIndex(
            model_name="school",
            index=models.Index(
                django.db.models.functions.text.Upper("official_number"), name="school_number_upper"
            ),
        ),
        migrations.AddIndex(
            model_name="school",
            index=classcontact.indexes.PostgresGinIndex(
                django.contrib.postgres.indexes.OpClass(
                    django.db.models.functions.text.Upper("name"), name="gin_trgm_ops"
                ),
                name="school_name_trgm",
            ),
        ),
        migrations.AddIndex(
            model_name="school",
            index=classcontact.indexes.PostgresGinIndex(
                django.contrib.postgres.indexes.OpClass(
                    django.db.models.functions.text.Upper("city"), name="gin_trgm_ops"
                ),
                name="school_city_trgm",
            ),
        ),
        migrations.AddIndex(
            model_name="user",
            index=models.Index(
                condition=models.Q(("is_active", True), ("is_staff", True)),
                fields=["last_name", "first_name"],
                name="user_active_staff_idx",
            ),
        ),
    ]
