"""Version 1 of the wording of every kind of document, in French and English."""

from django.db import migrations


def create_default_wording(apps, schema_editor):
    from conventions.defaults import DEFAULT_WORDING

    TemplateVersion = apps.get_model("conventions", "TemplateVersion")
    for (kind, language), wording in DEFAULT_WORDING.items():
        if not TemplateVersion.objects.filter(kind=kind, language=language).exists():
            TemplateVersion.objects.create(kind=kind, language=language, number=1, **wording)


class Migration(migrations.Migration):
    dependencies = [
        ("conventions", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(create_default_wording, migrations.RunPython.noop),
    ]
