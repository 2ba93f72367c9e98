"""Demand behind each idea, for the PM: who asks, how much revenue, how much of it at risk.

Two reads of the same figures:

* the triage table (:func:`triage_ideas`) reads them **stored**, from
  :class:`feedback.models.IdeaDemand` — one LEFT JOIN, zeros for ideas without a row —
  written by the product-risk recompute (hourly, a minute after new votes). Counted on
  read they cost 8-10 s per page sorted by ARR at 10,000 ideas and a million votes; the
  page says how old they are (:func:`demand_as_of`). The vote count is the idea's live
  counter.
* one idea's panel (:func:`idea_demand`, the status and merge screens) counts live: each
  figure is a correlated scalar subquery annotated on the idea queryset, one statement
  for one idea, so what a PM is about to decide on is exact.

Figures about *accounts* (how many, their ARR, health, renewal) are aggregated over the
set of distinct accounts that voted — ``account.id IN (SELECT account_id FROM vote WHERE
idea_id = idea.id)`` — never over a join of votes to accounts, which would count an
account's ARR once per contact who voted.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import (
    Count,
    DecimalField,
    Expression,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from accounts.models import Account
from feedback import extensions
from feedback.extensions import DemandAsOf
from feedback.models import Idea, IdeaTicket, Vote
from feedback.search import ideas_matching
from feedback.statuses import IdeaStatus

ZERO_MONEY = Value(0, output_field=DecimalField(max_digits=16, decimal_places=2))


def scalar_subquery(queryset: QuerySet, aggregate: Expression, output_field) -> Subquery:
    """``aggregate`` over all rows of ``queryset`` as a correlated scalar subquery.

    Grouping on a constant leaves the subquery without GROUP BY, so it always returns
    exactly one row (COUNT 0, SUM NULL on no rows) instead of no row at all.
    """
    return Subquery(
        queryset.order_by()
        .annotate(_all=Value(1))
        .values("_all")
        .annotate(result=aggregate)
        .values("result"),
        output_field=output_field,
    )


def _voting_accounts() -> QuerySet[Account]:
    """The distinct accounts with a vote on the outer idea (one row per account)."""
    return Account.objects.filter(
        pk__in=Vote.objects.filter(idea_id=OuterRef(OuterRef("pk"))).values("account_id")
    )


@dataclass(frozen=True)
class DemandSort:
    key: str
    label: str
    #: The annotation or field sorted on.
    field: str
    #: The direction of a first click: biggest demand first, titles A-Z.
    first_dir: str = "desc"


#: Every sortable column of the triage table, in table order.
DEMAND_SORTS: tuple[DemandSort, ...] = (
    DemandSort("title", _("Idea"), "title", "asc"),
    DemandSort("votes", _("Votes"), "vote_count"),
    DemandSort("customer_votes", _("Customers"), "customer_votes"),
    DemandSort("csm_votes", _("By CSMs"), "csm_votes"),
    DemandSort("accounts", _("Accounts"), "account_count"),
    DemandSort("arr", _("ARR"), "arr_total"),
    DemandSort("red", pgettext_lazy("accounts in the band", "Red"), "red_accounts"),
    DemandSort("yellow", pgettext_lazy("accounts in the band", "Yellow"), "yellow_accounts"),
    DemandSort("renewing", _("Renewing"), "renewing_accounts"),
    DemandSort("tickets", _("Tickets"), "ticket_count"),
    DemandSort("created", _("Posted"), "created_at"),
)
SORTS_BY_KEY = {sort.key: sort for sort in DEMAND_SORTS}
DEFAULT_SORT = "votes"
#: The queue's own order: the idea that has waited longest for a decision first.
NEEDS_TRIAGE_SORT = ("created", "asc")
#: The queue's other order, "by demand": the revenue behind the votes, biggest first.
BY_DEMAND_SORT = ("arr", "desc")
#: The ``status`` filter value listing every idea but the merged ones.
ALL_BUT_MERGED = "all"


def with_demand(
    queryset: QuerySet[Idea], *, today: date | None = None, renewal_window_days: int | None = None
) -> QuerySet[Idea]:
    """Annotate ideas with their demand; see the module docstring for how it is counted.

    Annotations: ``csm_votes`` (votes a CSM added on a contact's behalf),
    ``customer_votes`` (the rest), ``account_count`` (distinct voting accounts),
    ``arr_total`` (their ARR, each account once), ``red_accounts`` / ``yellow_accounts``
    (of those, by health band), ``renewing_accounts`` (renewing between ``today`` and
    ``today`` + 90 days, both included), ``ticket_count`` and ``ticket_account_count``
    (linked tickets and their distinct accounts), and whatever the registered badges
    read (``feedback.extensions``).
    """
    today = today or timezone.localdate()
    # Callers showing figures beside the triage table pass the window the stored figures
    # count by (see idea_demand); else the default.
    if renewal_window_days is None:
        renewal_window_days = extensions.DEFAULT_RENEWAL_WINDOW_DAYS
    renew_until = today + timedelta(days=renewal_window_days)
    integer = IntegerField()
    accounts = _voting_accounts()
    tickets = IdeaTicket.objects.filter(idea_id=OuterRef("pk"))
    figures = queryset.annotate(
        csm_votes=scalar_subquery(
            Vote.objects.filter(idea_id=OuterRef("pk"), added_by__isnull=False),
            Count("pk"),
            integer,
        ),
        customer_votes=scalar_subquery(
            Vote.objects.filter(idea_id=OuterRef("pk"), added_by__isnull=True),
            Count("pk"),
            integer,
        ),
        account_count=scalar_subquery(accounts, Count("pk"), integer),
        arr_total=Coalesce(
            scalar_subquery(accounts, Sum("arr"), ZERO_MONEY.output_field),
            ZERO_MONEY,
        ),
        red_accounts=scalar_subquery(
            accounts, Count("pk", filter=Q(health__effective_band="red")), integer
        ),
        yellow_accounts=scalar_subquery(
            accounts, Count("pk", filter=Q(health__effective_band="yellow")), integer
        ),
        renewing_accounts=scalar_subquery(
            accounts,
            Count("pk", filter=Q(renews_on__gte=today, renews_on__lte=renew_until)),
            integer,
        ),
        ticket_count=scalar_subquery(tickets, Count("pk"), integer),
        ticket_account_count=scalar_subquery(
            tickets, Count("ticket__account_id", distinct=True), integer
        ),
    )
    return extensions.with_badges(figures)


#: Each triage figure and the ``IdeaDemand`` column it is stored in.
STORED_FIGURES = {
    "csm_votes": "csm_votes",
    "customer_votes": "customer_votes",
    "account_count": "vote_accounts",
    "arr_total": "arr_total",
    "red_accounts": "red_accounts",
    "yellow_accounts": "yellow_accounts",
    "renewing_accounts": "renewing_accounts",
    "ticket_count": "ticket_count",
    "ticket_account_count": "ticket_accounts",
}


def _stored(name: str) -> Coalesce:
    """One stored figure; zero where the recompute stored no row (no demand)."""
    column = STORED_FIGURES[name]
    zero = ZERO_MONEY if column == "arr_total" else Value(0, output_field=IntegerField())
    return Coalesce(F(f"demand__{column}"), zero)


def with_stored_demand(queryset: QuerySet[Idea]) -> QuerySet[Idea]:
    """Annotate ideas with their stored demand (same names as :func:`with_demand`).

    ``demand`` is one-to-one on the idea: a LEFT JOIN that multiplies nothing.
    """
    return extensions.with_badges(
        queryset.annotate(**{name: _stored(name) for name in STORED_FIGURES})
    )


def needs_triage_count() -> int:
    """How many ideas wait in the triage queue (the count beside "Triage" in the header):
    one COUNT over the partial index ``idea_needs_triage_idx``."""
    return Idea.objects.needs_triage().count()


def demand_as_of() -> DemandAsOf:
    """When the stored demand was last computed and the renewal window it counts by, as
    the app that stores it (product risk's recompute) says; one query at most."""
    return extensions.demand_as_of()


def triage_ideas(
    *,
    status: str = "",
    category_id: int | None = None,
    search: str = "",
    sort: str = DEFAULT_SORT,
    descending: bool = True,
) -> QuerySet[Idea]:
    """The ideas of the triage table in table order: filtered and sorted in SQL, each
    row carrying only its key and its sort key — paginate this, then fetch the page's
    figures with :func:`triage_rows`.

    Why two steps: joining the demand, the flag and the category of every idea before
    the top-N sort costs ~20 ms at 10,000 ideas; sorting the narrow rows costs ~5 ms
    and the 25 rows of a page are then looked up by key (a late row lookup).

    No ``status`` is the queue: the ideas no PM has decided on (``NEEDS_TRIAGE``), so a
    decision takes an idea out of it. Merged ideas are left out unless asked for by
    status: they live on as redirects, and their demand now belongs to the idea they
    went into.
    """
    ideas = Idea.objects.all()
    if not status:
        ideas = ideas.needs_triage()
    elif status == ALL_BUT_MERGED:
        ideas = ideas.exclude(status=IdeaStatus.MERGED)
    else:
        ideas = ideas.filter(status=status)
    if category_id is not None:
        ideas = ideas.filter(category_id=category_id)
    if search:
        ideas = ideas_matching(ideas, search)
    spec = SORTS_BY_KEY.get(sort) or SORTS_BY_KEY[DEFAULT_SORT]
    if spec.field in STORED_FIGURES:
        ideas = ideas.annotate(**{spec.field: _stored(spec.field)})
    # No NULLS LAST: every sort key is a NOT NULL column or a coalesced figure, and a
    # plain DESC lets "by votes" read its first page from idea_top_idx (-vote_count, -id).
    order = F(spec.field).desc() if descending else F(spec.field).asc()
    tie = "-pk" if descending else "pk"
    return ideas.only("pk").order_by(order, tie)


def triage_rows(ideas: Iterable[Idea]) -> list[Idea]:
    """The rows of one page of :func:`triage_ideas`, in the same order, with their
    category, stored demand and flag: one query by primary key."""
    order = [idea.pk for idea in ideas]
    rows = with_stored_demand(Idea.objects.filter(pk__in=order).select_related("category"))
    by_pk = {row.pk: row for row in rows}
    return [by_pk[pk] for pk in order if pk in by_pk]


def idea_demand(idea: Idea, *, today: date | None = None) -> Idea:
    """One idea with its demand annotations (for the status and merge screens), and the
    renewal window they count by (``renewal_window_days``)."""
    window = demand_as_of().renewal_window_days
    ideas = with_demand(Idea.objects.filter(pk=idea.pk), today=today, renewal_window_days=window)
    found = ideas.select_related("category").get()
    found.renewal_window_days = window
    return found
