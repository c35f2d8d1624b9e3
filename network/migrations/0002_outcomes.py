from django.db import migrations

OUTCOMES = [
    ("kindergarten-readiness", "Kindergarten readiness"),
    ("early-grade-reading", "Early-grade reading"),
    ("middle-grade-math", "Middle-grade math"),
    ("high-school-graduation", "High-school graduation"),
    ("postsecondary-enrolment", "Postsecondary enrolment"),
    ("postsecondary-completion", "Postsecondary completion"),
    ("employment", "Employment"),
]


def add_outcomes(apps, schema_editor):
    Outcome = apps.get_model("network", "Outcome")
    for order, (slug, name) in enumerate(OUTCOMES):
        Outcome.objects.get_or_create(slug=slug, defaults={"name": name, "sort_order": order})


class Migration(migrations.Migration):
    dependencies = [("network", "0001_initial")]

    operations = [migrations.RunPython(add_outcomes, migrations.RunPython.noop)]
