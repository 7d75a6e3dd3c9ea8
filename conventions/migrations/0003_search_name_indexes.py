"""Indexes of the documents search's exact-name results: the pupil's surname and first name as
each document writes them, newest first."""

import django.db.models.fields.json
import django.db.models.functions.text
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('conventions', '0002_default_wording'),
    ]

    operations = [
        migrations.AddIndex(
            model_name='document',
            index=models.Index(django.db.models.functions.text.Upper(django.db.models.fields.json.KeyTextTransform('last_name', django.db.models.fields.json.KeyTextTransform('pupil', 'content'))), models.OrderBy(models.F('created_at'), descending=True), models.OrderBy(models.F('id'), descending=True), name='document_surname_idx'),
        ),
        migrations.AddIndex(
            model_name='document',
            index=models.Index(django.db.models.functions.text.Upper(django.db.models.fields.json.KeyTextTransform('first_name', django.db.models.fields.json.KeyTextTransform('pupil', 'content'))), models.OrderBy(models.F('created_at'), descending=True), models.OrderBy(models.F('id'), descending=True), name='document_first_name_idx'),
        ),
    ]
