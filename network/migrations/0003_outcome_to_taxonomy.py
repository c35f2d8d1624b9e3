import modelcluster.fields
from django.db import migrations


class Migration(migrations.Migration):
    # After every other app has pointed its own relations at taxonomy.Outcome.
    dependencies = [
        ("network", "0002_outcomes"),
        ("taxonomy", "0001_initial"),
        ("practices", "0003_taxonomy_terms"),
        ("newsletter", "0004_outcome_in_taxonomy"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="partnershippage",
                    name="outcomes",
                    field=modelcluster.fields.ParentalManyToManyField(
                        blank=True, related_name="partnerships", to="taxonomy.outcome"
                    ),
                ),
                migrations.DeleteModel(name="Outcome"),
            ],
        ),
    ]
