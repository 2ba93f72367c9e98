"""A GiST trigram index on idea titles, beside the GIN one of migration 0007.

The similar-ideas box takes its title candidates nearest first (``title <-> text``,
``feedback.search.ideas_similar``), which only a GiST index answers without computing
every title's similarity: on a 10,000-idea board whose titles all looked alike the box
spent 60 ms doing that. The GIN index still answers ``%`` tests best. PostgreSQL only,
as the rest of the search machinery.
"""

from django.db import migrations

FORWARD = (
    "CREATE INDEX IF NOT EXISTS idea_title_trgm_gist ON feedback_idea "
    "USING gist (title gist_trgm_ops)"
)
BACKWARD = "DROP INDEX IF EXISTS idea_title_trgm_gist"


def _run(statement):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("feedback", "0010_pending_notification")]

    operations = [migrations.RunPython(_run(FORWARD), _run(BACKWARD), elidable=False)]
