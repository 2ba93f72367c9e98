"""Where validated rows go: usage events through a COPY-loaded staging table, the
other kinds through bulk upserts that tell new, changed and unchanged rows apart."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from django.db import IntegrityError, connection
from django.db.backends.utils import CursorWrapper
from django.utils.translation import gettext as _

from accounts.models import Account, Contact, RenewalOutcome, SurveyResponse, Ticket, UsageEvent
from ingest.services import rollups, staging

ACCOUNTS = Account._meta.db_table
CONTACTS = Contact._meta.db_table
#: Temporary (account_id, email, id) of the contacts a load names.
PEOPLE = "csp_people"
#: Temporary (account_id, user_id, id) of the contacts linked to the user IDs a load names.
USERS = "csp_users"


@dataclass
class SinkResult:
    inserted: int = 0
    updated: int = 0
    duplicate: int = 0
    account_ids: set[int] = field(default_factory=set)


def contact_ids(frame: pd.DataFrame) -> pd.Series:
    """(account_id, contact_email) to the pks of existing contacts; NaN where none.

    Surveys name people who should already be contacts; usage loads create theirs in
    SQL instead (``UsageSink``).
    """
    result = pd.Series(np.nan, index=frame.index, dtype="float64")
    known = frame["contact_email"] != ""
    if not known.any():
        return result
    pairs = frame.loc[known, ["account_id", "contact_email"]].drop_duplicates()
    rows = Contact.objects.filter(
        account_id__in=pairs["account_id"].astype("int64").unique().tolist(),
        email__in=pairs["contact_email"].unique().tolist(),
    ).values_list("account_id", "email", "pk")
    existing = pd.DataFrame(list(rows), columns=["account_id", "contact_email", "contact_id"])
    keyed = frame.loc[known, ["account_id", "contact_email"]].reset_index()
    matched = keyed.merge(existing, how="left", on=["account_id", "contact_email"])
    result.loc[matched["index"].to_numpy()] = matched["contact_id"].to_numpy(dtype="float64")
    return result


@dataclass(frozen=True)
class Dialect:
    """The few spellings of the usage load's SQL that differ between the two databases."""

    now: str
    false: str
    local_part: str  # of the column "email": the text before "@"
    json: str  # makes the JSON column's value of a text expression ("{}")
    on_commit_drop: str  # temporary tables go at commit; SQLite's are dropped by hand
    lock_contacts: str  # keeps the mapped contacts until commit, as an FK check would


DIALECTS = {
    "postgresql": Dialect(
        "now()",
        "false",
        "split_part(email, '@', 1)",
        "{}::jsonb",
        "ON COMMIT DROP",
        "FOR KEY SHARE OF c",
    ),
    "sqlite": Dialect(
        "datetime('now')", "0", "substr(email, 1, instr(email, '@') - 1)", "{}", "", ""
    ),
}


#: Staged rows from which a load analyses its temporary tables (``UsageSink.analyze``).
ANALYZE_FROM_ROWS = 10_000


class UsageSink:
    """Stage every chunk, then land the whole load in a few set-based statements:
    create the people it names, insert its events deduplicated by (source, source_id),
    and fold the events actually inserted into the rollups."""

    def __init__(self, source: str) -> None:
        self.source = source
        self.vendor = connection.vendor
        self.staged = 0
        with connection.cursor() as cursor:
            staging.create(cursor, self.vendor)

    def add(self, rows: pd.DataFrame) -> None:
        if rows.empty:
            return
        with connection.cursor() as cursor:
            staging.write(cursor, self.vendor, rows)
        self.staged += len(rows)

    @property
    def analyze(self) -> bool:
        """Whether to give the load's temporary tables statistics (PostgreSQL). A small
        load (a tracking batch) is planned well without: the planner sizes a table it
        has no statistics for from its pages, and four ANALYZE statements would cost
        more than its whole insert."""
        return self.vendor == "postgresql" and self.staged >= ANALYZE_FROM_ROWS

    def finish(self) -> SinkResult:
        with connection.cursor() as cursor:
            if self.vendor == "postgresql":
                # The rollups group a million rows into about as many groups; with the
                # default 4 MB each hash aggregate spills to disk in dozens of batches.
                # SET LOCAL ends with the load's transaction.
                cursor.execute("SET LOCAL work_mem = '64MB'")
            if self.analyze:
                # A temporary table has no statistics until analysed; without them the
                # planner guesses a handful of rows and picks nested loops over a million.
                cursor.execute(f"ANALYZE {staging.TABLE}")
            self._lock_accounts(cursor)
            self._add_people(cursor)
            rollups.create_new_events_table(cursor, self.vendor)
            inserted = self._insert_events(cursor)
            account_ids = rollups.apply_new_events(cursor, self.vendor, analyze=self.analyze)
            if self.vendor != "postgresql":
                cursor.execute(f"DROP TABLE {staging.TABLE}")
        return SinkResult(
            inserted=inserted, duplicate=self.staged - inserted, account_ids=account_ids
        )

    def _lock_accounts(self, cursor: CursorWrapper) -> None:
        """Hold every account the load references until commit, or fail if one is gone.

        The events and rollups have no FK constraints (migration 0008): their deferred
        checks cost seconds per million rows. Those checks took a KEY SHARE lock on each
        referenced account so that it could not be deleted before commit; this takes
        the same locks, once per account instead of once per row. SQLite needs none: a
        writer holds the whole database.

        Loads on the same accounts run side by side. What keeps them from deadlocking is
        the order of their writes: every load writes the same tables in the same order
        (contacts, events, then each rollup), and within each statement in the order of
        its key (``ORDER BY`` the unique key the statement may conflict on), so two
        loads wanting the same rows want them in one order, and one waits for the other
        instead of each holding what the other needs. A conflict this misses costs a
        retry (``core.retry``), never the load.
        """
        if self.vendor != "postgresql":
            return
        cursor.execute(
            f"SELECT (SELECT count(DISTINCT account_id) FROM {staging.TABLE}), count(*) "
            f"FROM (SELECT id FROM {ACCOUNTS} WHERE id IN "
            f"(SELECT account_id FROM {staging.TABLE}) FOR KEY SHARE) AS locked"
        )
        referenced, locked = cursor.fetchone()
        if locked != referenced:
            raise IntegrityError(
                _("%(count)d accounts of this load were deleted while it ran.")
                % {"count": referenced - locked}
            )

    def _add_people(self, cursor: CursorWrapper) -> None:
        """Create a contact for each (account, e-mail) the load names that has none, and
        map every named pair to its contact in the small table PEOPLE.

        A person seen in an account's usage is a contact of that account, as the
        tracking API's identify call would make them; their name is the address's local
        part. ON CONFLICT with no target skips pairs that exist (the partial unique
        index on account and non-empty e-mail), also when another load adds them now.
        """
        named = (
            f"SELECT DISTINCT account_id, contact_email AS email FROM {staging.TABLE} "
            f"WHERE contact_email <> ''"
        )
        sql = DIALECTS[self.vendor]
        cursor.execute(
            f"INSERT INTO {CONTACTS} (account_id, email, name, title, is_champion, created_at) "
            f"SELECT account_id, email, {sql.local_part}, '', {sql.false}, {sql.now} "
            f"FROM ({named}) AS named ORDER BY account_id, email ON CONFLICT DO NOTHING"
        )
        # Probes the (account, e-mail) unique index once per distinct pair, so the cost
        # follows the load's people, not the size of the contacts table. (A table left
        # by an earlier load in the same transaction, as in tests, is replaced.)
        cursor.execute(f"DROP TABLE IF EXISTS {PEOPLE}")
        cursor.execute(
            f"CREATE TEMP TABLE {PEOPLE} {sql.on_commit_drop} AS "
            f"SELECT c.account_id, c.email, c.id FROM ({named}) AS named "
            f"JOIN {CONTACTS} c ON c.account_id = named.account_id "
            f"AND c.email = named.email {sql.lock_contacts}"
        )
        # People also travel by the product's user ID (Segment's userId), linked to a
        # contact by the tracking API's identify and group calls; the unique index on
        # (tracking_user_id, account) makes this one probe per distinct pair as well.
        cursor.execute(f"DROP TABLE IF EXISTS {USERS}")
        cursor.execute(
            f"CREATE TEMP TABLE {USERS} {sql.on_commit_drop} AS "
            f"SELECT c.account_id, c.tracking_user_id AS user_id, c.id FROM "
            f"(SELECT DISTINCT account_id, user_id FROM {staging.TABLE} WHERE user_id <> '') "
            f"AS named JOIN {CONTACTS} c ON c.tracking_user_id = named.user_id "
            f"AND c.account_id = named.account_id {sql.lock_contacts}"
        )
        if self.analyze:
            cursor.execute(f"ANALYZE {PEOPLE}")
            cursor.execute(f"ANALYZE {USERS}")

    def _insert_events(self, cursor: CursorWrapper) -> int:
        """Insert the staged events that are new by (source, source_id); put the ones
        inserted in csp_new for the rollups; return how many."""
        table = UsageEvent._meta.db_table
        columns = "account_id, contact_id, event, occurred_at, quantity, source_id"
        sql = DIALECTS[self.vendor]
        insert = (
            f"INSERT INTO {table} ({columns}, properties, source, received_at) "
            f"SELECT s.account_id, COALESCE(u.id, p.id), s.event, s.occurred_at, s.quantity, "
            f"s.source_id, "
            f"{sql.json.format('s.properties')}, %s, {sql.now} "
            f"FROM {staging.TABLE} s LEFT JOIN {PEOPLE} p "
            f"ON p.account_id = s.account_id AND p.email = s.contact_email "
            f"LEFT JOIN {USERS} u ON u.account_id = s.account_id AND u.user_id = s.user_id "
            # "WHERE true" keeps SQLite from reading ON CONFLICT as part of the join; the
            # order is the lock order of the unique key (see _lock_accounts).
            f"WHERE true ORDER BY s.source_id ON CONFLICT (source, source_id) DO NOTHING "
        )
        if self.vendor == "postgresql":
            # One statement inserts and hands the inserted rows (duplicates excluded) on
            # to csp_new, so the rollups count each event exactly once.
            cursor.execute(
                f"WITH inserted AS ({insert} "
                f"RETURNING account_id, occurred_at, event, contact_id, quantity) "
                f"INSERT INTO csp_new SELECT account_id, "
                f"(occurred_at AT TIME ZONE 'UTC')::date, event, contact_id, quantity "
                f"FROM inserted",
                [self.source],
            )
            return cursor.rowcount
        # SQLite has no data-modifying CTE: the embedded mode's batches are small.
        cursor.execute(
            f"{insert} RETURNING account_id, substr(occurred_at, 1, 10), event, contact_id, "
            f"quantity",
            [self.source],
        )
        returned = cursor.fetchall()
        cursor.executemany("INSERT INTO csp_new VALUES (%s, %s, %s, %s, %s)", returned)
        return len(returned)


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
    "renewals": EntitySpec(
        RenewalOutcome, key=("account_id", "renewed_on"),
        fields=("outcome", "arr_before", "arr_after"),
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
            rows = rows.assign(contact_id=contact_ids(rows))
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
            # In primary-key order: two imports updating the same rows lock them in one
            # order, so they wait for each other instead of deadlocking.
            model.objects.bulk_update(
                self._instances(changed.sort_values("pk__db"), True),
                list(self.spec.fields),
                batch_size=1000,
            )
            self.result.updated += len(changed)

    def finish(self) -> SinkResult:
        return self.result
