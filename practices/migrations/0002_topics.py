from django.db import migrations

TOPICS = [
    ("data-use", "Data use and continuous improvement"),
    ("equity", "Equity"),
    ("policy-advocacy", "Policy and advocacy"),
    ("community-engagement", "Community engagement"),
    ("capacity-budgets", "Capacity and budgets"),
    ("early-childhood", "Early childhood"),
    ("k12", "K-12 partnerships"),
    ("postsecondary", "Postsecondary"),
    ("workforce", "Workforce and careers"),
]


def add_topics(apps, schema_editor):
    Topic = apps.get_model("practices", "Topic")
    for order, (slug, name) in enumerate(TOPICS):
        Topic.objects.get_or_create(slug=slug, defaults={"name": name, "sort_order": order})


class Migration(migrations.Migration):
    dependencies = [("practices", "0001_initial")]

    operations = [migrations.RunPython(add_topics, migrations.RunPython.noop)]
