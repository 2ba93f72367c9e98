"""Where validated rows go: usage events through a COPY-loaded staging table, the
other kinds through bulk upserts that tell new, changed and unchanged rows apart."""

from __future__ import annotations

import io
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from django.db import connection

from accounts.ingest import rollups
from accounts.models import Account, Contact, SurveyResponse, Ticket, UsageEvent

STAGE_COLUMNS = [
    "account_id", "contact_id", "event", "occurred_at", "quantity", "source_id", "properties"
]  # fmt: skip


@dataclass
class SinkResult:
    inserted: int = 0
    updated: int = 0
    duplicate: int = 0
    account_ids: set[int] = field(default_factory=set)


def contact_ids(frame: pd.DataFrame, *, create: bool) -> pd.Series:
    """(account_id, contact_email) to contact pks; unknown people are created if asked.

    Usage names people by e-mail; a person seen in an account's usage is a contact of
    that account, as the tracking API's identify call would make them.
    """
    result = pd.Series(np.nan, index=frame.index, dtype="float64")
    known = frame["contact_email"] != ""
    if not known.any():
        return result
    pairs = frame.loc[known, ["account_id", "contact_email"]].drop_duplicates()
    accounts = pairs["account_id"].astype("int64").unique().tolist()
    emails = pairs["contact_email"].unique().tolist()

    def fetch() -> pd.DataFrame:
        rows = Contact.objects.filter(account_id__in=accounts, email__in=emails).values_list(
            "account_id", "email", "pk"
        )
        return pd.DataFrame(list(rows), columns=["account_id", "contact_email", "contact_id"])

    existing = fetch()
    if create:
        merged = pairs.merge(existing, how="left", on=["account_id", "contact_email"])
        missing = merged[merged["contact_id"].isna()]
        if len(missing):
            Contact.objects.bulk_create(
                [
                    Contact(account_id=int(a), email=e, name=e.split("@")[0])
                    for a, e in zip(missing["account_id"], missing["contact_email"], strict=True)
                ],
                ignore_conflicts=True,
            )
            existing = fetch()
    keyed = frame.loc[known, ["account_id", "contact_email"]].reset_index()
    matched = keyed.merge(existing, how="left", on=["account_id", "contact_email"])
    result.loc[matched["index"].to_numpy()] = matched["contact_id"].to_numpy(dtype="float64")
    return result


class UsageSink:
    """Stage every chunk with COPY, then insert once, deduplicated by (source, source_id)."""

    def __init__(self, source: str) -> None:
        self.source = source
        self.vendor = connection.vendor
        self.staged = 0
        with connection.cursor() as cursor:
            if self.vendor == "postgresql":
                # Temporary and dropped at commit: no WAL, no index, invisible to others.
                cursor.execute(
                    "CREATE TEMP TABLE IF NOT EXISTS csp_stage_usage (account_id bigint, "
                    "contact_id bigint, event text, occurred_at timestamptz, "
                    "quantity double precision, source_id text, properties text) ON COMMIT DROP"
                )
            else:
                cursor.execute(
                    "CREATE TEMP TABLE IF NOT EXISTS csp_stage_usage (account_id integer, "
                    "contact_id integer, event text, occurred_at text, quantity real, "
                    "source_id text, properties text)"
                )
            cursor.execute("DELETE FROM csp_stage_usage")

    def add(self, rows: pd.DataFrame) -> None:
        if rows.empty:
            return
        rows = rows.assign(contact_id=contact_ids(rows, create=True))
        with connection.cursor() as cursor:
            if self.vendor == "postgresql":
                self._copy(cursor, rows)
            else:
                self._insert(cursor, rows)
        self.staged += len(rows)

    def _copy(self, cursor, rows: pd.DataFrame) -> None:
        out = rows[STAGE_COLUMNS].assign(
            account_id=rows["account_id"].astype("int64"),
            contact_id=rows["contact_id"].astype("Int64"),
            occurred_at=rows["occurred_at"].dt.strftime("%Y-%m-%d %H:%M:%S.%f+00"),
        )
        buffer = io.StringIO()
        out.to_csv(buffer, index=False, header=False)
        with cursor.cursor.copy(
            "COPY csp_stage_usage (account_id, contact_id, event, occurred_at, quantity, "
            "source_id, properties) FROM STDIN (FORMAT csv)"
        ) as copy:
            copy.write(buffer.getvalue())

    def _insert(self, cursor, rows: pd.DataFrame) -> None:
        # SQLite (the embedded mode) has no COPY; executemany is its bulk path.
        out = rows[STAGE_COLUMNS].assign(
            account_id=rows["account_id"].astype("int64"),
            contact_id=rows["contact_id"]
            .astype("Int64")
            .astype(object)
            .where(rows["contact_id"].notna(), None),
            occurred_at=rows["occurred_at"].dt.strftime("%Y-%m-%d %H:%M:%S.%f"),
        )
        cursor.executemany(
            "INSERT INTO csp_stage_usage VALUES (%s, %s, %s, %s, %s, %s, %s)",
            out.itertuples(index=False, name=None),
        )

    def finish(self) -> SinkResult:
        table = UsageEvent._meta.db_table
        columns = "account_id, contact_id, event, occurred_at, quantity, source_id"
        with connection.cursor() as cursor:
            rollups.create_new_events_table(cursor, self.vendor)
            if self.vendor == "postgresql":
                cursor.execute("ANALYZE csp_stage_usage")  # see rollups.apply_new_events
                cursor.execute(
                    f"WITH inserted AS (INSERT INTO {table} ({columns}, properties, source, "
                    f"received_at) SELECT {columns}, properties::jsonb, %s, now() "
                    f"FROM csp_stage_usage ON CONFLICT (source, source_id) DO NOTHING "
                    f"RETURNING account_id, occurred_at, event, contact_id, quantity) "
                    f"INSERT INTO csp_new SELECT account_id, "
                    f"(occurred_at AT TIME ZONE 'UTC')::date, event, contact_id, quantity "
                    f"FROM inserted",
                    [self.source],
                )
                inserted = cursor.rowcount
            else:
                # SQLite has no data-modifying CTE: the embedded mode's batches are small.
                cursor.execute(
                    f"INSERT INTO {table} ({columns}, properties, source, received_at) "
                    f"SELECT {columns}, properties, %s, datetime('now') FROM csp_stage_usage "
                    f"WHERE true ON CONFLICT (source, source_id) DO NOTHING "
                    f"RETURNING account_id, substr(occurred_at, 1, 10), event, contact_id, "
                    f"quantity",
                    [self.source],
                )
                returned = cursor.fetchall()
                inserted = len(returned)
                cursor.executemany("INSERT INTO csp_new VALUES (%s, %s, %s, %s, %s)", returned)
            account_ids = rollups.apply_new_events(cursor, self.vendor)
            if self.vendor != "postgresql":
                cursor.execute("DROP TABLE csp_stage_usage")
        return SinkResult(
            inserted=inserted, duplicate=self.staged - inserted, account_ids=account_ids
        )


@dataclass(frozen=True)
class EntitySpec:
    model: type
    key: tuple[str, ...]
    fields: tuple[str, ...]
    datetimes: tuple[str, ...] = ()
    touches_accounts: bool = True


ENTITY_SPECS = {
    "accounts": EntitySpec(
        Account,
        key=("external_id",),
        fields=tuple(f"{f}_id" if f == "csm_owner" else f for f in Account.PROFILE_FIELDS),
    ),
    "contacts": EntitySpec(
        Contact, key=("account_id", "email"), fields=("name", "title", "is_champion"),
        touches_accounts=False,
    ),
    "tickets": EntitySpec(
        Ticket,
        key=("external_id",),
        fields=("account_id", "subject", "priority", "status", "tags", "opened_at",
                "first_response_at", "solved_at"),
        datetimes=("opened_at", "first_response_at", "solved_at"),
    ),
    "surveys": EntitySpec(
        SurveyResponse,
        key=("external_id",),
        fields=("account_id", "contact_id", "kind", "score", "comment", "responded_at"),
        datetimes=("responded_at",),
    ),
}  # fmt: skip


def _canonical(frame: pd.DataFrame, spec: EntitySpec) -> pd.DataFrame:
    """Comparable text for every field, whichever side (file or database) it came from."""
    out = pd.DataFrame(index=frame.index)
    for name in spec.fields:
        column = frame[name]
        if name in spec.datetimes:
            parsed = pd.to_datetime(column, utc=True)
            out[name] = parsed.dt.strftime("%Y-%m-%dT%H:%M:%S.%f").fillna("")
        elif name == "tags":
            out[name] = column.map(lambda t: ",".join(sorted(t)) if isinstance(t, list) else "")
        else:
            numeric = pd.to_numeric(column, errors="coerce")
            as_text = column.astype(object).where(column.notna(), "").astype(str)
            out[name] = numeric.map("{:.6f}".format).where(numeric.notna(), as_text)
    return out


class EntitySink:
    """Upsert by natural key; identical rows count as duplicates and are not written."""

    def __init__(self, kind: str) -> None:
        self.spec = ENTITY_SPECS[kind]
        self.result = SinkResult()

    def add(self, rows: pd.DataFrame) -> None:
        spec = self.spec
        if rows.empty:
            return
        if "contact_email" in rows and "contact_id" in spec.fields:
            rows = rows.assign(contact_id=contact_ids(rows, create=False))
        deduped = rows.drop_duplicates(subset=list(spec.key), keep="last")
        self.result.duplicate += len(rows) - len(deduped)
        existing = self._existing(deduped)
        merged = deduped.reset_index(drop=True).merge(
            existing, how="left", on=list(spec.key), suffixes=("", "__db")
        )
        is_new = merged["pk__db"].isna()
        old = merged[[f"{f}__db" for f in spec.fields]].rename(columns=lambda c: c[:-4])
        differs = (_canonical(merged, spec) != _canonical(old, spec)).any(axis=1)
        changed = ~is_new & differs
        self.result.duplicate += int((~is_new & ~differs).sum())
        self._write(merged[is_new], merged[changed])
        if spec.touches_accounts:
            ids = merged.loc[is_new | changed, "pk__db" if spec.model is Account else "account_id"]
            self.result.account_ids.update(int(i) for i in ids.dropna().unique())

    def _existing(self, rows: pd.DataFrame) -> pd.DataFrame:
        spec = self.spec
        columns = [*spec.key, "pk", *spec.fields]
        query = spec.model.objects.all()
        for key in spec.key:
            query = query.filter(**{f"{key}__in": rows[key].unique().tolist()})
        found = pd.DataFrame(list(query.values_list(*columns)), columns=columns)
        return found.rename(columns={c: f"{c}__db" for c in columns if c not in spec.key})

    def _instances(self, frame: pd.DataFrame, with_pk: bool) -> list:
        names = [*self.spec.key, *self.spec.fields]
        records = frame[names].astype(object).where(frame[names].notna(), None)
        objects = []
        for record, pk in zip(records.to_dict("records"), frame["pk__db"].tolist(), strict=True):
            instance = self.spec.model(**record)
            if with_pk:
                instance.pk = int(pk)
            objects.append(instance)
        return objects

    def _write(self, new: pd.DataFrame, changed: pd.DataFrame) -> None:
        model = self.spec.model
        if len(new):
            created = model.objects.bulk_create(self._instances(new, False), batch_size=1000)
            self.result.inserted += len(new)
            if model is Account:
                self.result.account_ids.update(a.pk for a in created if a.pk)
        if len(changed):
            model.objects.bulk_update(
                self._instances(changed, True), list(self.spec.fields), batch_size=1000
            )
            self.result.updated += len(changed)

    def finish(self) -> SinkResult:
        return self.result
