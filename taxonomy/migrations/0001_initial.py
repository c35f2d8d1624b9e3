"""Outcome (from network) and Topic (from practices) become taxonomy's, keeping their rows.

The tables stay where they are in this step (state only); the content types are relabelled
so permissions, revisions and log entries that point at them follow. 0002 renames the tables.
"""

from django.db import migrations, models

MOVED = [("network", "outcome"), ("practices", "topic")]


def relabel_content_types(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    for app_label, model in MOVED:
        if not ContentType.objects.filter(app_label="taxonomy", model=model).exists():
            ContentType.objects.filter(app_label=app_label, model=model).update(app_label="taxonomy")


def restore_content_types(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    for app_label, model in MOVED:
        ContentType.objects.filter(app_label="taxonomy", model=model).update(app_label=app_label)


def term(name, table):
    return migrations.CreateModel(
        name=name,
        fields=[
            ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
            ("name", models.CharField(max_length=100, unique=True)),
            ("slug", models.SlugField(max_length=100, unique=True)),
            ("sort_order", models.PositiveSmallIntegerField(default=0)),
        ],
        options={"ordering": ["sort_order", "name"], "abstract": False, "db_table": table},
    )


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("network", "0002_outcomes"),
        ("practices", "0002_topics"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[term("Outcome", "network_outcome"), term("Topic", "practices_topic")],
        ),
        migrations.RunPython(relabel_content_types, restore_content_types),
    ]
