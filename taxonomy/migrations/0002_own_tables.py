from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("taxonomy", "0001_initial"),
        ("network", "0003_outcome_to_taxonomy"),
    ]

    operations = [
        migrations.AlterModelTable(name="outcome", table=None),
        migrations.AlterModelTable(name="topic", table=None),
    ]
