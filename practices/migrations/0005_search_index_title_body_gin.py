"""A GIN index on Wagtail's search index table for the expression its PostgreSQL backend
matches against, `title || body`.

The backend searches `(title || body) @@ query`; the table has GIN indexes on `title` and
on `body` alone, which that expression cannot use, so every search read and concatenated
every entry's vectors. The practice library's database search asks it several times a
page (its ranked page, its count, each facet). Other databases have no such expression:
nothing to do there.
"""

from django.db import migrations

INDEX = "wagtailsearch_indexentry_title_body_gin"


def index_create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    table = apps.get_model("wagtailsearch", "IndexEntry")._meta.db_table
    schema_editor.execute(f'CREATE INDEX IF NOT EXISTS "{INDEX}" ON "{table}" USING gin (("title" || "body"))')
    # The planner estimates how many entries a search matches from the expression's own
    # statistics, which a new expression index has none of until the table is analysed.
    schema_editor.execute(f'ANALYZE "{table}"')


def index_drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f'DROP INDEX IF EXISTS "{INDEX}"')


class Migration(migrations.Migration):
    dependencies = [
        ("practices", "0004_case_study_evidence_level"),
        ("wagtailsearch", "0010_add_text_fields"),
    ]

    operations = [migrations.RunPython(index_create, index_drop)]
