"""A BRIN index on UsageEvent.occurred_at, on PostgreSQL only.

Serves time-window scans over all accounts (nightly recomputes, "events in the last N
days"): events arrive roughly in time order, so a BRIN index stays a few pages large
where a B-tree over tens of millions of rows would cost hundreds of megabytes and slow
every COPY. SQLite has no BRIN; there the (account, occurred_at) B-tree is enough.
"""

from django.db import migrations

CREATE = "CREATE INDEX IF NOT EXISTS usage_occurred_brin ON accounts_usageevent USING brin (occurred_at)"
DROP = "DROP INDEX IF EXISTS usage_occurred_brin"


def _on_postgres(sql):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("accounts", "0002_ingested_facts")]

    operations = [migrations.RunPython(_on_postgres(CREATE), _on_postgres(DROP))]
