from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("newsletter", "0003_subscriber_bounce_count"), ("taxonomy", "0001_initial")]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="subscriber",
                    name="outcomes",
                    field=models.ManyToManyField(blank=True, related_name="+", to="taxonomy.outcome"),
                ),
            ],
        ),
    ]
