"""Reads of accounts that depend on who is asking."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.db.models import (
    Avg,
    Case,
    Count,
    F,
    IntegerField,
    Max,
    Prefetch,
    Q,
    QuerySet,
    Sum,
    Value,
    When,
)
from django.db.models.functions import TruncWeek
from django.shortcuts import get_object_or_404
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from accounts import charts, extensions
from accounts.models import (
    Account,
    Contact,
    DailyActivity,
    DailyUsage,
    Invitation,
    Note,
    RenewalOutcome,
    SsoSecret,
    SurveyResponse,
    Ticket,
    UsageEvent,
    User,
)
from core.roles import Role

PORTFOLIO_SCOPES = ("mine", "all")
#: The health app's scorecard editor, linked from the checklist by name only.
SCORECARDS_URL = "healthscores:scorecards"

#: Sortable portfolio columns: URL key -> model field. Every sort ends with name and pk
#: so that pages never overlap or skip rows when values tie.
PORTFOLIO_SORTS = {
    "name": "name",
    "arr": "arr",
    "renewal": "renews_on",
    "seats": "licensed_seats",
}
#: Renewal-window filter: renews between today and today + N days.
RENEWAL_WINDOWS = (30, 60, 90, 180)


def portfolio_accounts(
    *,
    user: User,
    scope: str,
    search: str = "",
    segment: str = "",
    plan: str = "",
    stage: str = "",
    renews_within: int | None = None,
    sort: str = "",
    descending: bool = False,
    extra_filters: dict[str, str] | None = None,
) -> QuerySet[Account]:
    """The portfolio list: a CSM's own book, or every account with their own first.

    Filters combine with AND. Without an explicit ``sort`` the user's own accounts come
    first; an explicit sort orders by that column alone, since "largest ARR" mixed with
    "mine first" would hide the largest accounts of colleagues on later pages.
    ``extra_filters`` holds the values of filters other apps registered
    (accounts.extensions), by key.
    """
    accounts = Account.objects.visible_to(user)
    for extension in extensions.portfolio_extensions():
        accounts = extension.prepare(accounts)
    accounts = accounts.select_related("csm_owner").annotate(
        is_mine=Case(
            When(csm_owner_id=user.pk, then=Value(1)),
            default=Value(0),
            output_field=IntegerField(),
        )
    )
    if scope == "mine":
        accounts = accounts.filter(csm_owner_id=user.pk)
    if search:
        accounts = accounts.filter(Q(name__icontains=search) | Q(domain__icontains=search))
    if segment:
        accounts = accounts.filter(segment=segment)
    if plan:
        accounts = accounts.filter(plan=plan)
    if stage:
        accounts = accounts.filter(lifecycle_stage=stage)
    if renews_within is not None:
        # The viewer's today, so "within 30 days" matches the dates they see on the page.
        today = timezone.localdate()
        accounts = accounts.filter(
            renews_on__gte=today, renews_on__lte=today + timedelta(days=renews_within)
        )
    chosen = extra_filters or {}
    for extra in extensions.portfolio_filters():
        if chosen.get(extra.key):
            accounts = extra.apply(accounts, chosen[extra.key])
    column = portfolio_sorts().get(sort)
    if column is None:
        return accounts.order_by("-is_mine", "name", "pk")
    # Accounts without a renewal date go last either way: they are not "soonest".
    key = F(column).desc(nulls_last=True) if descending else F(column).asc(nulls_last=True)
    return accounts.order_by(key, "name", "pk")


def portfolio_sorts() -> dict[str, str]:
    """Our sortable columns and those other apps registered: URL key -> expression."""
    registered = {c.key: c.sort_field for c in extensions.portfolio_columns() if c.sort_field}
    return {**PORTFOLIO_SORTS, **registered}


@dataclass(frozen=True)
class PortfolioChoices:
    segments: list[str]
    plans: list[str]
    stages: list[tuple[str, str]]


def portfolio_filter_choices(*, user: User) -> PortfolioChoices:
    """The filter options that exist in the data the user can see, in one query.

    Distinct (segment, plan, stage) triples stay few (tens), however many accounts there
    are, so one DISTINCT query replaces three.
    """
    triples = (
        Account.objects.visible_to(user)
        .order_by()
        .values_list("segment", "plan", "lifecycle_stage")
        .distinct()
    )
    segments, plans, stages = set(), set(), set()
    for segment, plan, stage in triples:
        segments.add(segment)
        plans.add(plan)
        stages.add(stage)
    return PortfolioChoices(
        segments=sorted(value for value in segments if value),
        plans=sorted(value for value in plans if value),
        # Lifecycle order (trial -> churned) reads better than alphabetical.
        stages=[(value, label) for value, label in Account.Lifecycle.choices if value in stages],
    )


def default_portfolio_scope(user: User) -> str:
    """CSMs start on their own book; everyone else on all accounts."""
    return "mine" if user.role == Role.CSM else "all"


def account_for_user(*, user: User, account_id: int) -> Account:
    return get_object_or_404(
        Account.objects.visible_to(user).select_related("csm_owner"), pk=account_id
    )


def contact_for_user(*, user: User, contact_id: int) -> Contact:
    """A contact the user may see, with its account and any portal user, or 404."""
    return get_object_or_404(
        Contact.objects.visible_to(user).select_related("account", "portal_user"),
        pk=contact_id,
    )


#: Usage charts and the NPS cover this many days, ending today (UTC, like the rollups).
USAGE_WINDOW_DAYS = 90
#: "Top features" looks at a shorter, more current window.
TOP_FEATURES_DAYS = 30
TOP_FEATURES_SHOWN = 8
RECENT_TICKETS_SHOWN = 10
SURVEYS_SHOWN = 12
NOTES_SHOWN = 50
PRIORITY_ORDER = [
    Ticket.Priority.URGENT,
    Ticket.Priority.HIGH,
    Ticket.Priority.NORMAL,
    Ticket.Priority.LOW,
]


@dataclass(frozen=True)
class FeatureUse:
    event: str
    events: int
    #: The most contacts who used it on one day: distinct contacts cannot be summed
    #: across daily rollups, and the raw events are too many to count on every view.
    peak_active_contacts: int


@dataclass(frozen=True)
class PriorityCount:
    priority: str
    label: str
    count: int


@dataclass(frozen=True)
class NotesTimeline:
    notes: list[Note]
    #: True when older notes exist beyond the ones shown.
    truncated: bool


@dataclass(frozen=True)
class Account360:
    """Everything the Customer 360 page shows, read in a fixed number of queries."""

    account: Account
    contacts: list[Contact]
    window_start: date
    window_end: date
    has_usage: bool
    activity_figure: dict[str, Any]
    events_figure: dict[str, Any]
    top_features: list[FeatureUse]
    open_tickets: list[PriorityCount]
    open_ticket_total: int
    recent_tickets: list[Ticket]
    surveys: list[SurveyResponse]
    nps: int | None
    nps_responses: int
    csat_average: float | None
    notes: NotesTimeline


def _figure_dict(figure) -> dict[str, Any]:
    # plotly's encoder turns numpy values and dates into JSON; json_script in the template
    # re-encodes the plain result with HTML-safe escaping.
    return json.loads(figure.to_json())


def account_notes(*, account: Account) -> NotesTimeline:
    """The newest notes of an account with their authors, one query."""
    rows = list(Note.objects.filter(account=account).select_related("author")[: NOTES_SHOWN + 1])
    return NotesTimeline(notes=rows[:NOTES_SHOWN], truncated=len(rows) > NOTES_SHOWN)


def account_renewals(*, account: Account) -> list[RenewalOutcome]:
    """Every renewal outcome of an account, newest first: an account renews a few times
    a year at most, so the whole history fits on the page."""
    return list(RenewalOutcome.objects.filter(account=account).select_related("recorded_by"))


def account_360(*, user: User, account_id: int) -> Account360:
    """The Customer 360 page: profile, usage, tickets, surveys and notes of one account.

    Every part is one SQL query with aggregation done by the database, so the page costs
    the same dozen queries for an account with ten events or ten million. Usage windows
    end on today's UTC date because the rollups are per UTC day.
    """
    account = account_for_user(user=user, account_id=account_id)
    today = timezone.now().date()
    start = today - timedelta(days=USAGE_WINDOW_DAYS - 1)
    # Whole weeks only, so the first bar is not a misleadingly short partial week.
    week_start = start - timedelta(days=start.weekday())
    features_start = today - timedelta(days=TOP_FEATURES_DAYS - 1)
    survey_since = timezone.now() - timedelta(days=USAGE_WINDOW_DAYS)

    # With each contact's portal user and latest invitation (one query more, whatever
    # the number of contacts), for the invitation status on the contact list.
    contacts = list(
        account.contacts.order_by("-is_champion", "name", "pk")
        .select_related("portal_user")
        .prefetch_related(
            Prefetch(
                "invitations",
                queryset=Invitation.objects.order_by("-created_at", "-pk"),
                to_attr="invitation_list",
            )
        )
    )
    activity = list(
        DailyActivity.objects.filter(account=account, day__range=(start, today))
        .order_by("day")
        .values_list("day", "active_contacts")
    )
    weekly = list(
        DailyUsage.objects.filter(account=account, day__range=(week_start, today))
        .annotate(week=TruncWeek("day"))
        .values("week", "event")
        .annotate(total=Sum("event_count"))
        .order_by("week", "event")
        .values_list("week", "event", "total")
    )
    top_features = [
        FeatureUse(event=event, events=events, peak_active_contacts=peak)
        for event, events, peak in DailyUsage.objects.filter(
            account=account, day__range=(features_start, today)
        )
        .values("event")
        .annotate(events=Sum("event_count"), peak=Max("active_contacts"))
        .order_by("-events", "event")
        .values_list("event", "events", "peak")[:TOP_FEATURES_SHOWN]
    ]
    open_counts = dict(
        Ticket.objects.filter(account=account, status__in=Ticket.OPEN_STATUSES)
        .values("priority")
        .annotate(n=Count("pk"))
        .order_by()
        .values_list("priority", "n")
    )
    recent_tickets = list(
        Ticket.objects.filter(account=account).order_by("-opened_at", "-pk")[:RECENT_TICKETS_SHOWN]
    )
    surveys = list(
        SurveyResponse.objects.filter(account=account)
        .select_related("contact")
        .order_by("-responded_at", "-pk")[:SURVEYS_SHOWN]
    )
    recent = SurveyResponse.objects.filter(account=account, responded_at__gte=survey_since)
    nps_kind = Q(kind=SurveyResponse.Kind.NPS)
    survey_stats = recent.aggregate(
        nps_total=Count("pk", filter=nps_kind),
        promoters=Count("pk", filter=nps_kind & Q(score__gte=9)),
        detractors=Count("pk", filter=nps_kind & Q(score__lte=6)),
        csat=Avg("score", filter=Q(kind=SurveyResponse.Kind.CSAT)),
    )

    return Account360(
        account=account,
        contacts=contacts,
        window_start=start,
        window_end=today,
        has_usage=bool(activity or weekly),
        activity_figure=_figure_dict(
            charts.daily_active_contacts_figure(activity, start=start, end=today)
        ),
        events_figure=_figure_dict(charts.weekly_events_figure(weekly)),
        top_features=top_features,
        open_tickets=[
            PriorityCount(priority.value, priority.label, open_counts.get(priority.value, 0))
            for priority in PRIORITY_ORDER
        ],
        open_ticket_total=sum(open_counts.values()),
        recent_tickets=recent_tickets,
        surveys=surveys,
        nps=charts.nps_from_counts(
            promoters=survey_stats["promoters"],
            detractors=survey_stats["detractors"],
            total=survey_stats["nps_total"],
        ),
        nps_responses=survey_stats["nps_total"],
        csat_average=survey_stats["csat"],
        notes=account_notes(account=account),
    )


@dataclass(frozen=True)
class ChecklistStep:
    title: str | Promise
    description: str | Promise
    done: bool
    url: str = ""
    available: bool = True


def getting_started_steps() -> list[ChecklistStep]:
    """The admin's first-run checklist, each step ticked from real data."""
    has_accounts = Account.objects.exists()
    has_team = User.objects.filter(role__in=[Role.CSM, Role.PM]).exists()
    return [
        ChecklistStep(
            title=_("Import your accounts"),
            description=_(
                "Upload a CSV of the customer accounts you manage, with ARR, plan, "
                "segment, renewal date and CSM owner."
            ),
            done=has_accounts,
            url="ingest:import",
        ),
        ChecklistStep(
            title=_("Invite your team"),
            description=_("Create users for your customer success and product managers."),
            done=has_team,
            url="admin:accounts_user_changelist",
        ),
        ChecklistStep(
            title=_("Send product usage"),
            description=_(
                "Usage events feed health scores and time to first value: import a CSV, "
                "or point any Segment library at the tracking API with a write key."
            ),
            done=UsageEvent.objects.exists(),
            url="ingest:import",
        ),
        ChecklistStep(
            title=_("Configure the health scorecard"),
            description=_("Choose the measures, weights and thresholds behind each band."),
            # Not ticked from data: that would mean reading the health app's models, and
            # accounts imports none of the apps above it.
            done=False,
            url=SCORECARDS_URL,
            available=_resolves(SCORECARDS_URL),
        ),
        ChecklistStep(
            title=_("Let customers sign in from your product"),
            description=_(
                "Create the sign-in secret and have your product link its users to the "
                "idea board with a signed token: no password to remember."
            ),
            done=SsoSecret.objects.exists(),
            url="accounts:sso_settings",
        ),
    ]


def _resolves(url_name: str) -> bool:
    """Whether a page of another app is installed, without importing that app."""
    try:
        reverse(url_name)
    except NoReverseMatch:
        return False
    return True


def usage_event_names(*, limit: int | None = None) -> list[str]:
    """Every event name in the usage rollups, sorted: what health key events and
    onboarding rules can name. One DISTINCT over DailyUsage, a scan of that table on a
    large install: for admin pages, not hot paths."""
    names = DailyUsage.objects.order_by("event").values_list("event", flat=True).distinct()
    return list(names[:limit] if limit is not None else names)
