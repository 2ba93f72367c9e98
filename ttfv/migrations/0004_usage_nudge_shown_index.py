"""A partial index on the usage events the in-app widget records as "nudge shown".

The guidance report finds each account's first nudge per milestone among the raw usage
events, the biggest table of a deployment; without this index that is a full scan of
it on every load. Partial, so only nudge events are indexed: the ingest's COPY of
ordinary events pays nothing. Its columns are all the report reads of those rows (an
index-only scan). The event name is ``ttfv.selectors.guidance.NUDGE_SHOWN``; a test
checks that the two agree. Built CONCURRENTLY, so ingests go on while it builds.
PostgreSQL only: the embedded SQLite demo has a few thousand events.
"""

from django.db import migrations

CREATE = """
CREATE INDEX CONCURRENTLY IF NOT EXISTS usage_nudge_shown_idx
ON accounts_usageevent (account_id, (properties ->> 'milestone'), occurred_at)
WHERE event = 'Widget Nudge Shown'
"""
DROP = "DROP INDEX CONCURRENTLY IF EXISTS usage_nudge_shown_idx"


def _on_postgres(sql):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    atomic = False
    dependencies = [
        ("ttfv", "0003_milestone_guidance"),
        ("accounts", "0017_defaults_in_the_database"),
    ]

    operations = [migrations.RunPython(_on_postgres(CREATE), _on_postgres(DROP))]
