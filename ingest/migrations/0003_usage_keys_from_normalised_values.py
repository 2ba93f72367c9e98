"""Re-key the usage events that were loaded without a message ID.

Such events used to be keyed by a hash of their row's raw text ("h:…"), so the same
events spelt another way (``Z`` or ``+00:00``, ``3`` or ``3.0``, an upper-case e-mail)
were inserted again. They are now keyed by a hash of their normalised values
(``ingest.validate.usage_key``, "k:…"), all of which the stored event keeps: this
computes each stored event's new key from its row, in batches, so that a file loaded
before the change and again after it inserts nothing.

Stored events that the new key finds to be the same event (the duplicates the old key
let in) cannot all take it: the first keeps it, the others keep their old key and stay
as they were (deleting them would also mean correcting their rollups). Events whose
contact was erased are keyed as the anonymous events they have become.

Not atomic: each batch commits on its own, and an interrupted run resumes where it
stopped, since only "h:" keys are read. The reverse leaves the new keys in place.
"""

import pandas as pd
from django.db import migrations, transaction

from core.sql import copy_csv
from ingest.validate import usage_key

BATCH = 50_000
STAGE = "csp_rekey_usage"


def rekey(apps, schema_editor):
    UsageEvent = apps.get_model("accounts", "UsageEvent")
    connection = schema_editor.connection
    events = UsageEvent.objects.using(connection.alias)
    table = connection.ops.quote_name(UsageEvent._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {STAGE}")
        cursor.execute(
            f"CREATE TEMP TABLE {STAGE} (id bigint, source varchar(12), source_id varchar(200))"
        )
    last = 0
    while True:
        with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
            rows = list(
                events.filter(id__gt=last, source_id__startswith="h:")
                .order_by("id")
                .values_list(
                    "id", "source", "account_id", "event", "occurred_at", "quantity",
                    "contact__email",
                )[:BATCH]
            )  # fmt: skip
            if not rows:
                break
            last = rows[-1][0]
            frame = pd.DataFrame(
                rows,
                columns=["id", "source", "account_id", "event", "occurred_at", "quantity", "email"],
            )
            frame["key"] = usage_key(
                frame["account_id"],
                frame["event"].astype(str),
                pd.to_datetime(frame["occurred_at"], utc=True),
                frame["quantity"].astype("float64"),
                frame["email"].fillna("").astype(str),
            )
            # Ordered by id: the first of the events that share a key keeps it.
            frame = frame.drop_duplicates(["source", "key"])
            cursor.execute(f"DELETE FROM {STAGE}")
            staged = frame[["id", "source", "key"]].rename(columns={"key": "source_id"})
            if connection.vendor == "postgresql":
                copy_csv(cursor, STAGE, list(staged.columns), staged)
                cursor.execute(f"ANALYZE {STAGE}")
            else:
                cursor.executemany(
                    f"INSERT INTO {STAGE} (id, source, source_id) VALUES (%s, %s, %s)",
                    list(staged.itertuples(index=False, name=None)),
                )
            # Not where an event of the source holds that key already (re-keyed in an
            # earlier batch): the unique (source, source_id) index answers each probe.
            cursor.execute(
                f"UPDATE {table} SET source_id = r.source_id FROM {STAGE} r "
                f"WHERE {table}.id = r.id AND NOT EXISTS (SELECT 1 FROM {table} e "
                f"WHERE e.source = r.source AND e.source_id = r.source_id)"
            )
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE {STAGE}")


class Migration(migrations.Migration):
    atomic = False

    dependencies = [
        ("accounts", "0010_import_models_moved_to_ingest"),
        ("ingest", "0002_job_heartbeats"),
    ]

    operations = [migrations.RunPython(rekey, migrations.RunPython.noop, elidable=True)]
