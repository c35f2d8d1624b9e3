import modelcluster.fields
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("practices", "0002_topics"), ("taxonomy", "0001_initial")]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="casestudypage",
                    name="outcomes",
                    field=modelcluster.fields.ParentalManyToManyField(
                        blank=True, related_name="case_studies", to="taxonomy.outcome"
                    ),
                ),
                migrations.AlterField(
                    model_name="casestudypage",
                    name="topics",
                    field=modelcluster.fields.ParentalManyToManyField(
                        blank=True, related_name="case_studies", to="taxonomy.topic"
                    ),
                ),
                migrations.DeleteModel(name="Topic"),
            ],
        ),
    ]
