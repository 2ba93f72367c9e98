"""Raw measure values for a chunk of accounts: one SQL aggregate per family.

Every loader answers for all accounts of the context at once, reading the daily rollups
rather than raw events, and returns a frame indexed by account ID. Windows end with the
context's day (UTC, like the rollups), so a backfill of a past day sees exactly the data
that day would have seen; timestamped facts (tickets, surveys, sentiment) are cut at the
end of that day too.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

import numpy as np
import pandas as pd
from django.db.models import Avg, Count, Q, Sum

from accounts.models import DailyEventContact, DailyUsage, SurveyResponse, Ticket
from healthscores.measures import Family
from healthscores.models import Sentiment
from healthscores.scoring import ScorecardConfig

ACTIVE_USER_DAYS = 28
USAGE_DAYS = 30
NPS_DAYS = 90
TICKET_VOLUME_DAYS = 30
SERIOUS_PRIORITIES = (Ticket.Priority.URGENT, Ticket.Priority.HIGH)
CLOSED_STATUSES = (Ticket.Status.SOLVED, Ticket.Status.CLOSED)


@dataclass(frozen=True)
class RawContext:
    #: Indexed by account ID: licensed_seats, scorecard_id (and whatever else the
    #: engine loaded); the loaders answer for exactly these accounts.
    accounts: pd.DataFrame
    day: date
    #: Filters a fact table's ``account_id`` to the chunk: an ID range for full runs (an
    #: index range scan), an ID list for a few accounts.
    scope: Q
    scorecards: Mapping[int, ScorecardConfig]

    @property
    def end(self) -> datetime:
        """The first instant after the day, in UTC."""
        return datetime.combine(self.day + timedelta(days=1), time.min, tzinfo=UTC)

    def first_day(self, days: int) -> date:
        """First day of a window of ``days`` days ending with the context's day."""
        return self.day - timedelta(days=days - 1)


def frame(rows: Iterable[tuple], columns: list[str]) -> pd.DataFrame:
    """Rows of (account_id, ...) as a float frame indexed by account ID."""
    data = pd.DataFrame.from_records(list(rows), columns=["account_id", *columns])
    return data.set_index("account_id").astype("float64")


def per_seat(values: pd.Series, seats: pd.Series) -> pd.Series:
    """Divide by licensed seats; without seats there is nothing to divide by: missing."""
    seats = seats.astype("float64").where(seats > 0)
    return values.reindex(seats.index).fillna(0) / seats


def load_activity(ctx: RawContext) -> pd.DataFrame:
    """Distinct contacts active in the last 28 days, per licensed seat.

    Distinct people do not add up across days, so this counts the (day, contact) tuples
    the ingest keeps in DailyEventContact rather than summing daily counts.
    """
    rows = (
        DailyEventContact.objects.filter(
            ctx.scope, day__range=(ctx.first_day(ACTIVE_USER_DAYS), ctx.day)
        )
        .values("account_id")
        .annotate(people=Count("contact_id", distinct=True))
        .order_by()
        .values_list("account_id", "people")
    )
    people = frame(rows, ["people"])["people"]
    return pd.DataFrame({"active_users": per_seat(people, ctx.accounts["licensed_seats"])})


def load_usage(ctx: RawContext) -> pd.DataFrame:
    """Percent change of events in the last 30 days against the 30 before.

    No events in the earlier window means no baseline to compare with: missing, not an
    infinite rise. No events in either window is a fall of 100% only if there was a
    baseline, which is exactly the dormant account the trend must catch.
    """
    recent_start = ctx.first_day(USAGE_DAYS)
    rows = (
        DailyUsage.objects.filter(ctx.scope, day__range=(ctx.first_day(2 * USAGE_DAYS), ctx.day))
        .values("account_id")
        .annotate(
            recent=Sum("event_count", filter=Q(day__gte=recent_start)),
            before=Sum("event_count", filter=Q(day__lt=recent_start)),
        )
        .order_by()
        .values_list("account_id", "recent", "before")
    )
    counts = frame(rows, ["recent", "before"]).fillna(0)
    before = counts["before"].where(counts["before"] > 0)
    return pd.DataFrame({"usage_trend": 100 * (counts["recent"] - before) / before})


def load_breadth(ctx: RawContext) -> pd.DataFrame:
    """Share of its scorecard's key events each account used in the last 30 days.

    One query counts, per account, the distinct key events of every scorecard that has
    some (one column per scorecard: a handful); each account then reads the column of
    its own scorecard. Counting in SQL returns one row per account instead of one per
    (account, event) pair.
    """
    key_sets = {
        pk: sorted(set(config.key_events))
        for pk, config in ctx.scorecards.items()
        if config.key_events
    }
    if not key_sets:
        return pd.DataFrame({"feature_breadth": pd.Series(dtype="float64")})
    columns = {pk: f"used_{pk}" for pk in key_sets}
    rows = (
        DailyUsage.objects.filter(
            ctx.scope,
            day__range=(ctx.first_day(USAGE_DAYS), ctx.day),
            event__in=sorted(set().union(*key_sets.values())),
        )
        .values("account_id")
        .annotate(
            **{
                columns[pk]: Count("event", distinct=True, filter=Q(event__in=events))
                for pk, events in key_sets.items()
            }
        )
        .order_by()
        .values_list("account_id", *columns.values())
    )
    used = frame(rows, list(columns.values())).reindex(ctx.accounts.index).fillna(0)
    scorecard_of = ctx.accounts["scorecard_id"]
    column = scorecard_of.map({pk: index for index, pk in enumerate(key_sets)})
    with_keys = np.flatnonzero(column.notna().to_numpy())
    counts = np.full(len(used), np.nan)
    counts[with_keys] = used.to_numpy()[with_keys, column.iloc[with_keys].astype("int64")]
    configured = scorecard_of.map({pk: len(events) for pk, events in key_sets.items()})
    return pd.DataFrame(
        {"feature_breadth": counts / configured.to_numpy(dtype="float64")}, index=ctx.accounts.index
    )


def load_tickets(ctx: RawContext) -> pd.DataFrame:
    """Open urgent/high tickets at the end of the day, and tickets per seat in 30 days.

    "Open at the end of the day" reads the timestamps, not today's status, so a backfill
    counts a ticket as open on the days before it was solved. A ticket closed without a
    solve time has no such history and counts as closed.
    """
    end = ctx.end
    volume_start = end - timedelta(days=TICKET_VOLUME_DAYS)
    open_at_end = (
        Q(priority__in=SERIOUS_PRIORITIES)
        & (Q(solved_at__isnull=True) | Q(solved_at__gte=end))
        & ~(Q(status__in=CLOSED_STATUSES) & Q(solved_at__isnull=True))
    )
    rows = (
        Ticket.objects.filter(ctx.scope, opened_at__lt=end)
        .filter(Q(opened_at__gte=volume_start) | Q(solved_at__isnull=True) | Q(solved_at__gte=end))
        .values("account_id")
        .annotate(
            urgent=Count("pk", filter=open_at_end),
            recent=Count("pk", filter=Q(opened_at__gte=volume_start)),
        )
        .order_by()
        .values_list("account_id", "urgent", "recent")
    )
    counts = frame(rows, ["urgent", "recent"]).reindex(ctx.accounts.index).fillna(0)
    return pd.DataFrame(
        {
            "urgent_tickets": counts["urgent"],
            "ticket_volume": per_seat(counts["recent"], ctx.accounts["licensed_seats"]),
        }
    )


def load_surveys(ctx: RawContext) -> pd.DataFrame:
    """Average NPS answer of the last 90 days; no answers is missing, not zero."""
    end = ctx.end
    rows = (
        SurveyResponse.objects.filter(
            ctx.scope,
            kind=SurveyResponse.Kind.NPS,
            responded_at__gte=end - timedelta(days=NPS_DAYS),
            responded_at__lt=end,
        )
        .values("account_id")
        .annotate(nps=Avg("score"))
        .order_by()
        .values_list("account_id", "nps")
    )
    return frame(rows, ["nps"])


def load_sentiment(ctx: RawContext) -> pd.DataFrame:
    """The latest CSM sentiment set by the end of the day, unless it is stale.

    Only sentiments young enough for the most patient scorecard are read, so the query
    stays small; each account's own scorecard then decides what is stale.
    """
    end = ctx.end
    longest = max((c.sentiment_stale_days for c in ctx.scorecards.values()), default=0)
    rows = (
        Sentiment.objects.filter(
            ctx.scope, set_at__lt=end, set_at__gte=end - timedelta(days=longest)
        )
        .order_by("account_id", "-set_at", "-pk")
        .values_list("account_id", "value", "set_at")
    )
    latest = pd.DataFrame.from_records(
        list(rows), columns=["account_id", "value", "set_at"]
    ).drop_duplicates("account_id")
    latest = latest.set_index("account_id").reindex(ctx.accounts.index)
    stale_days = ctx.accounts["scorecard_id"].map(
        {pk: c.sentiment_stale_days for pk, c in ctx.scorecards.items()}
    )
    age_days = (pd.Timestamp(end) - pd.to_datetime(latest["set_at"], utc=True)).dt.days
    raw = latest["value"].map(Sentiment.RAW).astype("float64")
    return pd.DataFrame({"sentiment": raw.where(age_days < stale_days, np.nan)})


BUILTIN_FAMILIES = (
    Family("activity", load_activity),
    Family("usage", load_usage),
    Family("breadth", load_breadth),
    Family("tickets", load_tickets),
    Family("surveys", load_surveys),
    Family("sentiment", load_sentiment),
)
