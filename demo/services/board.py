"""Feedback demo data: a board that looks lived in.

About forty B2B requests in Markdown, with categories and tags; votes skewed as on real
boards (a Zipf law over the ideas' popularity, so a few ideas hold most votes), cast by
the demo accounts' contacts; public and internal comments; status history with messages
to voters; support tickets linked to the ideas they ask for.

Product-risk flags mark the few real gaps, by construction: the nine ideas marked ``gap``
are asked for across the book (the gaps still open also by dormant, red accounts and
accounts renewing soon, from the cast in ``demo.services.accounts``), every other idea by at most
two accounts whose ARR stays below the rule's threshold. So about a fifth of the ideas
carry a flag, whatever the seed: three resolved by shipping (the impact report's
material), four planned, one acknowledged and one open. Each flag is dated when its
idea's demand first met the rule, and the PMs and CSMs were told then (the notifications
exist, read, except those of the open flag).

Everything goes through ``feedback.services``, so counters, follows and trending are kept
as in production; only timestamps are moved into the past afterwards (a demo written in
one second would otherwise look one second old, and posting limits would stop it).

Customers vote through a portal login. The accounts demo creates one customer login, so
this module gives about half of the other contacts a portal account without a password
("board members"); the rest of the demand is added by CSMs on their behalf, with a note.

History is not announced: status changes are recorded with ``notify=False`` and the
flags' notifications are dated and marked e-mailed, so seeding e-mails nobody. Running it
again replaces the demo's ideas (matched by title).
"""

from __future__ import annotations

import random
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.db.models import F, Value
from django.db.models.functions import Least
from django.utils import timezone
from django.utils.text import slugify

from accounts.models import Account, Contact, Ticket, User
from core import limits
from core.roles import Role
from demo.cast import DORMANT, Part
from demo.services.accounts import GREEK_CUSTOMER, SPANISH_CUSTOMER, cast_of
from feedback import services
from feedback.models import Category, Comment, Idea, IdeaStatus, IdeaTicket, StatusChange, Tag, Vote
from notifications.models import Alert
from productrisk.models import ProductRisk, RiskRule
from productrisk.services import (
    product_risk_recompute,
    product_risk_recompute_deferred,
    product_risks_notify,
    risk_acknowledge,
    risk_rule,
    rule_fires,
)

S = IdeaStatus


@dataclass(frozen=True)
class DemoIdea:
    title: str
    category: str
    tags: tuple[str, ...]
    description: str
    status: str = S.OPEN
    #: The PM's public message with the last status change.
    message: str = ""
    #: A product gap that blocks several accounts: asked for across the book (by red and
    #: soon-renewing accounts too, unless it ships), so the recompute flags it. Every
    #: other idea is asked for by at most two small accounts and stays below the rule.
    gap: bool = False
    #: Support tickets with this subject are linked to the idea.
    ticket_subject: str = ""


CATEGORIES = [
    "Reporting & dashboards", "Integrations", "Admin & security", "Notifications",
    "API & developers", "Usability", "Mobile",
]  # fmt: skip

#: In order of popularity: the first idea gets the most votes.
IDEAS = [
    DemoIdea(
        "Scheduled report exports to e-mail, S3 and SFTP", "Reporting & dashboards",
        ("export", "scheduling"),
        "Our finance team rebuilds the same **ARR by segment** report every Monday.\n\n"
        "- schedule any saved report daily, weekly or monthly\n"
        "- deliver as CSV or XLSX to e-mail, an S3 bucket or SFTP\n- keep the last 10 runs",
        S.SHIPPED,
        "Shipped! Open any report and choose **Schedule**. S3 and SFTP targets are set up "
        "once by an admin under Settings → Destinations.", gap=True,
        ticket_subject="Export times out",
    ),
    DemoIdea(
        "SAML single sign-on with Okta and Azure AD", "Admin & security", ("sso", "security"),
        "Our security policy requires SSO for every SaaS tool. Today each user has a "
        "password, which fails our vendor review.\n\nMust have: SP-initiated login, "
        "just-in-time provisioning, enforced SSO for all non-admin users.", S.IN_PROGRESS,
        "Okta is in beta with three customers; Azure AD follows next month.", gap=True,
        ticket_subject="SSO login loop",
    ),
    DemoIdea(
        "Two-way Salesforce sync for accounts and contacts", "Integrations",
        ("salesforce", "crm"),
        "We keep account owners and renewal dates in Salesforce. A nightly one-way import "
        "means our CSMs work with yesterday's data, and notes never flow back to sales.",
        S.PLANNED, "Planned for next quarter, starting with accounts, contacts and owners.",
        ticket_subject="Integration sync failing",
    ),
    DemoIdea(
        "Slack alerts when a health score drops", "Notifications", ("slack", "alerts"),
        "Post to a channel of our choice when an account moves from green to yellow or "
        "yellow to red, with the reasons behind the drop.", S.SHIPPED,
        "Live for everyone: connect Slack under Settings → Notifications.", gap=True,
    ),
    DemoIdea(
        "Custom fields on accounts", "Usability", ("customization",),
        "We track *implementation partner* and *contract type* per account and want to "
        "filter and report on them like built-in fields.", S.UNDER_REVIEW, gap=True,
    ),
    DemoIdea(
        "Custom roles and permissions", "Admin & security", ("permissions", "security"),
        "Read-only seats for executives and a support role that sees tickets but not ARR. "
        "Today everyone is either a full CSM or an admin.", S.PLANNED,
        "Planned: custom roles built from a list of permissions.", gap=True,
    ),
    DemoIdea(
        "Dark mode", "Usability", ("ui",),
        "Half our team works late shifts in APAC. A dark theme that follows the OS setting "
        "would be much easier on the eyes.",
    ),
    DemoIdea(
        "Audit log export for compliance reviews", "Admin & security",
        ("audit", "compliance", "export"),
        "Our SOC 2 auditors ask who changed what and when. We need the audit log as CSV "
        "or streamed to our SIEM (Splunk, Datadog).", S.IN_PROGRESS,
        "CSV export is done; the SIEM stream is being tested.", gap=True,
    ),
    DemoIdea(
        "Bulk edit accounts from the portfolio table", "Usability", ("bulk-actions",),
        "Reassigning 40 accounts to a new CSM means opening 40 pages. Let us select rows "
        "and change owner, segment or stage at once.", S.SHIPPED,
        "Select rows in the portfolio and use **Edit selected**.",
    ),
    DemoIdea(
        "Webhooks for idea and health events", "API & developers", ("webhooks", "api"),
        "Call our endpoint when a health band changes or an idea's status moves, so we "
        "can open tasks in our own tools. Signed payloads, retries with backoff.", S.PLANNED,
        "Planned together with the new API keys page.",
    ),
    DemoIdea(
        "HubSpot integration", "Integrations", ("hubspot", "crm"),
        "We run sales on HubSpot, not Salesforce. Companies, contacts and deal amounts "
        "should come in automatically.", S.UNDER_REVIEW,
    ),
    DemoIdea(
        "Native iOS and Android apps", "Mobile", ("mobile",),
        "CSMs travel a lot and want push notifications and offline notes on their phones.",
        S.DECLINED,
        "Not in the coming year: we are making the web app work well on phones instead, "
        "including notifications.",
    ),
    DemoIdea(
        "Drag-and-drop dashboard layout", "Reporting & dashboards", ("dashboard",),
        "Let each user arrange their home dashboard: move, resize and hide widgets.",
    ),
    DemoIdea(
        "Real-time dashboard refresh instead of nightly", "Reporting & dashboards",
        ("dashboard", "performance"),
        "Our onboarding team watches usage during go-live week. Waiting until the next "
        "morning to see whether users logged in defeats the purpose.", S.PLANNED,
        "Planned: usage rollups every 15 minutes.", gap=True,
        ticket_subject="Dashboard shows stale data",
    ),
    DemoIdea(
        "Zendesk ticket sync", "Integrations", ("zendesk", "support"),
        "Import tickets and their priority from Zendesk so ticket volume counts in health.",
        S.SHIPPED, "Connect Zendesk under Settings → Integrations; tickets sync hourly.",
    ),
    DemoIdea(
        "Higher API rate limits for bulk imports", "API & developers", ("api", "performance"),
        "Our nightly job pushes 2M usage events and hits the rate limit after 20 minutes.",
    ),
    DemoIdea(
        "Multi-currency ARR", "Reporting & dashboards", ("finance",),
        "We bill in EUR, GBP and USD. Show ARR in the contract currency and convert to a "
        "reporting currency with monthly rates.", S.UNDER_REVIEW,
    ),
    DemoIdea(
        "Weekly e-mail digest of account changes", "Notifications", ("email", "digest"),
        "One e-mail on Monday: accounts that changed band, renewals in the next 30 days, "
        "new tickets from key accounts.", S.IN_PROGRESS,
        "Being built; you will be able to pick the sections.",
    ),
    DemoIdea(
        "SCIM user provisioning", "Admin & security", ("sso", "provisioning"),
        "Create and deactivate users from our identity provider, so leavers lose access "
        "the same day.", gap=True,
    ),
    DemoIdea(
        "Export any table to CSV", "Reporting & dashboards", ("export", "csv"),
        "Every table (portfolio, tickets, votes) should have an *Export* button that "
        "respects the current filters.", S.SHIPPED,
        "Every table now has **Export CSV**, with your filters applied.", gap=True,
        ticket_subject="Report formatting",
    ),
    DemoIdea(
        "Microsoft Teams notifications", "Notifications", ("teams", "alerts"),
        "Same as the Slack alerts, for companies on Microsoft 365.",
    ),
    DemoIdea(
        "Snowflake and BigQuery connector", "Integrations", ("warehouse",),
        "Read product usage straight from our warehouse instead of sending events twice.",
        S.UNDER_REVIEW,
    ),
    DemoIdea(
        "Health score what-if simulator", "Reporting & dashboards", ("health",),
        "Before changing measure weights, show how many accounts would change band.",
    ),
    DemoIdea(
        "Enforce two-factor authentication", "Admin & security", ("security", "2fa"),
        "Admins should be able to require 2FA (TOTP or WebAuthn) for every user.",
    ),
    DemoIdea(
        "Keyboard shortcuts", "Usability", ("productivity",),
        "`g p` for portfolio, `/` to search, `j`/`k` to move through lists.",
    ),
    DemoIdea(
        "Gantt view of onboarding plans", "Usability", ("onboarding",),
        "Show milestones on a timeline with dependencies.", S.DECLINED,
        "We will not build a project planner; milestone targets and the late-onboarding "
        "report cover what most of you asked for.",
    ),
    DemoIdea(
        "Link Jira issues to ideas", "Integrations", ("jira",),
        "Our engineers live in Jira. Linking an idea to an epic and showing its status "
        "would save a weekly sync meeting.",
    ),
    DemoIdea(
        "GraphQL API", "API & developers", ("api",),
        "One query for an account with its contacts, health and open tickets.", S.DECLINED,
        "We are staying with REST and adding expansions (`?expand=contacts,health`) instead.",
    ),
    DemoIdea(
        "Saved filters on the portfolio", "Usability", ("filters",),
        "Save *Enterprise, renewing in 90 days, yellow* as a named view and share it.",
    ),
    DemoIdea(
        "Renewal forecast report", "Reporting & dashboards", ("renewals", "forecast"),
        "Expected renewal ARR by month, weighted by health band.",
    ),
    DemoIdea(
        "Translate the customer portal", "Usability", ("i18n",),
        "Our customers are in Germany, France and Spain; the portal is English only.",
    ),
    DemoIdea(
        "Offline notes on mobile", "Mobile", ("mobile",),
        "Write call notes on the train and sync them when back online.",
    ),
    DemoIdea(
        "IP allow-listing for admins", "Admin & security", ("security",),
        "Admin settings reachable only from our office and VPN ranges.",
    ),
    DemoIdea(
        "Import Intercom conversations", "Integrations", ("intercom", "support"),
        "Count chat conversations alongside tickets in health.",
    ),
    DemoIdea(
        "Customer-facing success plans", "Usability", ("collaboration",),
        "Share goals and milestones with the customer and let them tick items off.",
    ),
    DemoIdea(
        "Data retention settings", "Admin & security", ("compliance",),
        "Delete raw usage events after N months while keeping the daily rollups.",
    ),
    DemoIdea(
        "Python SDK for the REST API", "API & developers", ("api", "sdk"),
        "A typed client with pagination and retries built in.",
    ),
    DemoIdea(
        "Annotations on usage charts", "Reporting & dashboards", ("charts",),
        "Mark releases and outages on the usage chart so dips explain themselves.",
    ),
    DemoIdea(
        "Pin notes on Customer 360", "Usability", ("notes",),
        'Keep the one note everyone must read ("no calls before 10am") at the top.',
    ),
    DemoIdea(
        "Sandbox environment for integrations", "API & developers", ("api",),
        "Test our Salesforce mapping without touching production data.",
    ),
]  # fmt: skip
TITLES = [idea.title for idea in IDEAS]

#: Days before now the most recent closed idea shipped or was declined, and the days
#: between closings (plus up to CLOSE_JITTER): the 30-day impact window needs 15 days of
#: health after a ship and, for the oldest shipped idea (about 80 days ago), 15 before
#: (``demo.services.health.HISTORY_DAYS`` = 100).
CLOSE_FIRST = 18
CLOSE_EVERY = 12
CLOSE_JITTER = 4

#: The steps a status takes from open, each a StatusChange with its own date.
PATHS = {
    S.UNDER_REVIEW: [S.UNDER_REVIEW],
    S.PLANNED: [S.UNDER_REVIEW, S.PLANNED],
    S.IN_PROGRESS: [S.UNDER_REVIEW, S.PLANNED, S.IN_PROGRESS],
    S.SHIPPED: [S.UNDER_REVIEW, S.PLANNED, S.IN_PROGRESS, S.SHIPPED],
    S.DECLINED: [S.UNDER_REVIEW, S.DECLINED],
}
STEP_MESSAGES = {
    S.UNDER_REVIEW: "Thanks for the votes: we are talking to some of you about this.",
    S.PLANNED: "This is on the roadmap.",
    S.IN_PROGRESS: "Work has started.",
}
CSM_NOTES = [
    "Asked for this on our quarterly business review.",
    "Came up again in a support ticket follow-up.",
    "Their admin raises it on every call.",
    "Mentioned during renewal talks.",
    "Their new VP listed it as a must-have.",
    "Workaround is a weekly manual export; they are tired of it.",
]
CUSTOMER_COMMENTS = [
    "We need this too. Right now we do it by hand every week.",
    "+1, this would save our team hours every month.",
    "Any update on timing? It came up in our planning meeting.",
    "Same here. Ideally it would also work for **sub-accounts**.",
    "This is the main thing holding back our rollout to the EMEA team.",
    "Would love to beta test this.",
]
PM_REPLIES = [
    "Thanks everyone. Could you tell us which *formats* you need most?",
    "We are scoping this now and will post an update here.",
    "Good point about sub-accounts; noted for the design.",
]
INTERNAL_NOTES = [
    "Two of my enterprise accounts mentioned this on renewal calls.",
    "Competitor X demoed this in a deal we lost last month.",
    "Engineering estimate: about 3 sprints; depends on the permissions work.",
    "Blocking expansion at one red account; worth a call before their renewal.",
]


#: Ideas posted in the customers' own languages, each with a comment by its author in
#: the same language: (author's username, idea, comment).
LOCAL_IDEAS = [
    (
        SPANISH_CUSTOMER.username,
        DemoIdea(
            "Exportación de informes a Excel", "Reporting & dashboards", ("export",),
            "Necesitamos exportar los informes mensuales a Excel para el comité de dirección.",
        ),
        "Ahora mismo copiamos las cifras a mano cada mes; nos ahorraría mucho tiempo.",
    ),
    (
        SPANISH_CUSTOMER.username,
        DemoIdea(
            "Avisos por correo cuando cambia el estado de una idea", "Notifications", ("email",),
            "Queremos saber sin entrar en el portal cuándo una idea pasa a planificada.",
        ),
        "Sería ideal un resumen semanal en lugar de un correo por cada cambio.",
    ),
    (
        GREEK_CUSTOMER.username,
        DemoIdea(
            "Εξαγωγή αναφορών σε PDF", "Reporting & dashboards", ("export",),
            "Θέλουμε να στέλνουμε τις μηνιαίες αναφορές στη διοίκηση ως αρχεία PDF.",
        ),
        "Σήμερα φτιάχνουμε τα γραφήματα με το χέρι κάθε μήνα.",
    ),
    (
        GREEK_CUSTOMER.username,
        DemoIdea(
            "Ελληνικά στην πύλη πελατών", "Usability", ("i18n",),
            "Οι συνάδελφοί μας προτιμούν να διαβάζουν την πύλη στα ελληνικά.",
        ),
        "Ευχαριστούμε! Η ελληνική μετάφραση βοηθά πολύ την ομάδα υποστήριξης.",
    ),
]  # fmt: skip
LOCAL_TITLES = [spec.title for _author, spec, _comment in LOCAL_IDEAS]


@dataclass(frozen=True)
class FeedbackDemoSummary:
    ideas: int
    votes: int
    votes_by_csms: int
    comments: int
    members: int


def _board_members(rng: random.Random, contacts: list[Contact]) -> dict[int, User]:
    """Portal users by contact id: the existing ones, plus about half of the others."""
    existing = {
        user.contact_id: user
        for user in User.objects.filter(role=Role.CUSTOMER, contact__in=contacts)
    }
    new = []
    for contact in contacts:
        # One draw per contact, joined or not, so a second run picks the same people.
        if rng.random() >= 0.5 or contact.pk in existing:
            continue
        first, _space, last = contact.name.partition(" ")
        new.append(
            User(
                username=contact.email,
                email=contact.email,
                first_name=first,
                last_name=last,
                role=Role.CUSTOMER,
                contact=contact,
                password=make_password(None),  # no password: a demo member, not a login
            )
        )
    # ignore_conflicts: a second run finds the members of the first.
    User.objects.bulk_create(new, ignore_conflicts=True)
    return {
        user.contact_id: user
        for user in User.objects.filter(role=Role.CUSTOMER, contact__in=contacts)
    }


def _weighted_sample(rng: random.Random, items: list, weights: list[float], k: int) -> list:
    """``k`` items without replacement, each drawn with its weight (Efraimidis-Spirakis)."""
    keyed = sorted(zip(items, weights, strict=True), key=lambda p: -(rng.random() ** (1 / p[1])))
    return [item for item, _weight in keyed[:k]]


#: The open gap a PM has already acknowledged.
ACKNOWLEDGED_GAP = "Custom fields on accounts"


@dataclass(frozen=True)
class _Book:
    """What the board demo knows of the accounts: their part and the rule to stay under."""

    accounts: list[Account]
    parts: dict[int, Part]
    rule: RiskRule
    today: date

    def eligible(self, spec: DemoIdea) -> list[Account]:
        """Who may ask for ``spec``: not a dormant account for what ships (those who asked
        for a shipped gap use it afterwards, which a silent account does not)."""
        if spec.status != S.SHIPPED:
            return self.accounts
        return [a for a in self.accounts if self.parts.get(a.pk, Part("")).usage != DORMANT]

    def at_risk(self) -> list[Account]:
        """Dormant (red) accounts, then those renewing within the rule's window."""
        window = self.rule.renewal_window_days
        dormant = [a for a in self.accounts if self.parts.get(a.pk, Part("")).usage == DORMANT]
        renewing = [
            a
            for a in self.accounts
            if a.renews_on and 0 <= (a.renews_on - self.today).days <= window and a not in dormant
        ]
        return dormant + renewing

    def few(self, rng: random.Random, spec: DemoIdea) -> list[Account]:
        """At most two accounts, one fewer than the rule counts, whose ARR together stays
        below its threshold: an idea they ask for is demand, not a flag."""
        eligible = self.eligible(spec)
        threshold = float(self.rule.arr_threshold)
        small = [a for a in eligible if threshold <= 0 or float(a.arr) * 2 < threshold]
        pool = small or eligible
        return rng.sample(pool, min(len(pool), 2, max(1, self.rule.min_accounts - 1)))


class _Clock:
    """Timestamps to move the demo's rows into the past once they are written."""

    def __init__(self) -> None:
        self.rows: dict[type, dict[int, datetime]] = {}

    def set(self, model: type, pk: int, at: datetime) -> None:
        self.rows.setdefault(model, {})[pk] = at

    def apply(self) -> None:
        for model, stamps in self.rows.items():
            rows = [model(pk=pk, created_at=at) for pk, at in stamps.items()]
            model.objects.bulk_update(rows, ["created_at"], batch_size=500)


def _between(rng: random.Random, start: datetime, end: datetime) -> datetime:
    return start + (end - start) * rng.random()


@dataclass(frozen=True)
class _Ship:
    """A shipped idea's last step, held back until its flag exists."""

    idea: Idea
    message: str
    at: datetime


def seed_feedback_demo(*, seed: int = 42, now: datetime | None = None) -> FeedbackDemoSummary:
    """Seed the board, compute its product-risk flags once, quietly, then ship.

    The order is the one a real board lived through: demand first, the flags it raised,
    then the releases. Shipped ideas are still in progress when the recompute runs (the
    recompute ignores shipped ideas), so they get flags too; shipping them then resolves
    those flags through ``idea_status_change``, with the evidence as it was at shipping,
    which the "impact after shipping" report compares. Nobody is e-mailed: the recompute
    records its flags as told, and :func:`_date_flags` writes the notifications people
    got at the time, dated then.
    """
    now = now or timezone.now()
    # A year of a board written in seconds, by the board's own services.
    with product_risk_recompute_deferred(), limits.lifted():
        summary, ships = _seed_board(seed=seed, now=now)
        product_risk_recompute(notify=False)
        pm = User.objects.filter(role=Role.PM).order_by("pk").first()
        _date_flags(pm=pm, now=now)
        _ship(ships, pm=pm)
        local = _seed_local_ideas()
    return replace(summary, ideas=summary.ideas + local)


def _seed_local_ideas() -> int:
    """The Spanish and Greek customers' own ideas, in their languages, beside the English
    ones. Each is its author's alone (their vote and comment): the board's stories, its
    flags and the notifications it dates stay those of the English ideas."""
    Idea.objects.filter(title__in=LOCAL_TITLES).delete()  # a second run replaces the first
    authors = {
        user.username: user
        for user in User.objects.filter(
            username__in=[SPANISH_CUSTOMER.username, GREEK_CUSTOMER.username],
            contact__isnull=False,
        )
    }
    posted = 0
    for username, spec, comment in LOCAL_IDEAS:
        author = authors.get(username)
        if author is None:  # a demo of a single account has no room for them
            continue
        posted += 1
        idea = services.idea_create(
            author=author,
            title=spec.title,
            description=spec.description,
            category=Category.objects.get(slug=slugify(spec.category)),
            tags=Tag.objects.filter(slug__in=spec.tags),
        )
        services.comment_add(idea=idea, author=author, body=comment)
    return posted


def _opening_times(rule: RiskRule) -> dict[int, datetime]:
    """When each demo idea's demand first met the rule: the vote that brought in the
    account (or the ARR) that made the rule fire."""
    votes = (
        Vote.objects.filter(idea__title__in=TITLES)
        .order_by("idea_id", "created_at", "pk")
        .values_list("idea_id", "account_id", "account__arr", "created_at")
    )
    opened: dict[int, datetime] = {}
    asking: dict[int, dict[int, float]] = {}
    for idea_id, account_id, arr, at in votes:
        if idea_id in opened:
            continue
        accounts = asking.setdefault(idea_id, {})
        accounts[account_id] = float(arr or 0)
        if rule_fires(rule, accounts_affected=len(accounts), arr_affected=sum(accounts.values())):
            opened[idea_id] = at
    return opened


@transaction.atomic
def _date_flags(*, pm: User | None, now: datetime) -> None:
    """Date each flag when its demand met the rule, acknowledge one as a PM did a few days
    later, and write the notifications PMs and CSMs got then: read, but for those of the
    flags still open, and marked e-mailed, since they are history, not news."""
    opened = _opening_times(risk_rule())
    flags = list(ProductRisk.objects.filter(idea__title__in=TITLES).select_related("idea"))
    for flag in flags:
        flag.opened_at = opened.get(flag.idea_id, flag.opened_at)
        ProductRisk.objects.filter(pk=flag.pk).update(
            opened_at=flag.opened_at, notified_severity=""
        )
        if flag.idea.title == ACKNOWLEDGED_GAP and flag.status == ProductRisk.Status.OPEN:
            risk_acknowledge(flag, pm)
            seen = min(flag.opened_at + timedelta(days=3), now - timedelta(hours=2))
            ProductRisk.objects.filter(pk=flag.pk).update(acknowledged_at=seen)
    product_risks_notify(risk_ids=[flag.pk for flag in flags])
    for flag in flags:
        told = Alert.objects.filter(dedupe_key__startswith=f"risk:{flag.pk}:")
        told.update(
            created_at=flag.opened_at,
            emailed_at=flag.opened_at,
            email_state=Alert.EmailState.SENT,
        )
        if flag.status != ProductRisk.Status.OPEN or flag.idea.title == ACKNOWLEDGED_GAP:
            told.update(acknowledged_at=min(flag.opened_at + timedelta(days=1), now))


@transaction.atomic
def recompute_flags_quietly(*, now: datetime | None = None) -> None:
    """The seed's last product-risk recompute, quiet like the first.

    The usage and renewals seeded after the board move some bands, so this recompute
    may open (or reopen) a flag no story planned. A quiet recompute records it as told;
    here it also gets the notifications a live one would have written, dated now, unread
    and marked e-mailed: every flag on the risks page has its PM's alert, on any date
    and seed.
    """
    now = now or timezone.now()
    product_risk_recompute(notify=False)
    told = {
        key.rsplit(":", 1)[0]
        for key in Alert.objects.filter(dedupe_key__startswith="risk:").values_list(
            "dedupe_key", flat=True
        )
    }
    untold = [
        pk
        for pk, generation in ProductRisk.objects.filter(
            status__in=ProductRisk.ACTIVE_STATUSES
        ).values_list("pk", "generation")
        if f"risk:{pk}:g{generation}" not in told
    ]
    if not untold:
        return
    ProductRisk.objects.filter(pk__in=untold).update(notified_severity="")
    product_risks_notify(risk_ids=untold)
    for pk in untold:
        Alert.objects.filter(dedupe_key__startswith=f"risk:{pk}:").update(
            emailed_at=now, email_state=Alert.EmailState.SENT
        )


@transaction.atomic
def _ship(ships: list[_Ship], *, pm: User | None) -> None:
    """Move the held-back ideas to shipped on their dates; their flags resolve then."""
    clock = _Clock()
    for ship in ships:
        change = services.idea_status_change(
            idea=ship.idea, status=S.SHIPPED, actor=pm, message=ship.message, notify=False
        )
        clock.set(StatusChange, change.pk, ship.at)
        # The flag resolved the day it shipped (the sync stamps "now"; the demo's past
        # is dated like its other rows). A flag that only tickets raised was dated by the
        # recompute: it was up by the ship date at the latest.
        ProductRisk.objects.filter(idea=ship.idea, status=ProductRisk.Status.RESOLVED).update(
            opened_at=Least(F("opened_at"), Value(ship.at)),
            acknowledged_at=None,
            resolved_at=ship.at,
        )
    clock.apply()


def _author(
    rng: random.Random,
    rank: int,
    asking: list[Account],
    members: dict[int, User],
    demo_customer: User | None,
    staff: list[User],
) -> User:
    """Who posted the idea: a board member of an asking account (their own vote comes with
    it), the demo customer for one idea, or now and then the PM or a CSM."""
    asking_ids = {account.pk for account in asking}
    if rank % 7 == 6:
        return rng.choice(staff)
    if rank == 7 and demo_customer is not None and demo_customer.contact.account_id in asking_ids:
        return demo_customer
    authors = [
        user
        for user in members.values()
        if user != demo_customer and user.contact.account_id in asking_ids
    ]
    return authors[rank % len(authors)] if authors else rng.choice(staff)


@dataclass
class _Seeding:
    """What every idea of one seed draws on: the people, the book, the clock."""

    rng: random.Random
    now: datetime
    pm: User
    csms: list[User]
    members: dict[int, User]
    demo_customer: User | None
    book: _Book
    by_account: dict[int, list[Contact]]
    clock: _Clock
    categories: dict[str, Category]
    tags: dict[str, Tag]

    def life(self, spec: DemoIdea, closed: int) -> tuple[datetime, datetime, list[datetime]]:
        """When the idea was posted, when it stopped taking votes, and when each status
        step happened. Closed ideas shipped or were declined about twelve days apart over
        the last three months (the changelog's dates), all within the health demo's
        history, so the impact report has health on both sides of each ship date; the
        others are open to votes until now."""
        rng, now = self.rng, self.now
        steps = PATHS.get(spec.status, [])
        if spec.status in {S.SHIPPED, S.DECLINED}:
            closes = now - timedelta(
                days=CLOSE_FIRST + CLOSE_EVERY * closed + rng.randint(0, CLOSE_JITTER), hours=3
            )
            created = closes - timedelta(days=rng.randint(60, 200))
            return (
                created,
                closes,
                [*sorted(_between(rng, created, closes) for _ in steps[1:]), closes],
            )
        created = now - timedelta(days=rng.randint(3, 260), hours=rng.randint(0, 23))
        return created, now, sorted(_between(rng, created, now - timedelta(days=2)) for _ in steps)

    def post(self, rank: int, spec: DemoIdea, asking: list[Account], created: datetime) -> Idea:
        author = _author(
            self.rng, rank, asking, self.members, self.demo_customer, [self.pm, *self.csms]
        )
        idea = services.idea_create(
            author=author,
            title=spec.title,
            description=spec.description,
            category=self.categories[spec.category],
            tags=[self.tags[name] for name in spec.tags],
        )
        Idea.objects.filter(pk=idea.pk).update(created_at=created)
        return idea

    def voters(
        self, rank: int, spec: DemoIdea, idea: Idea, asking: list[Account], target: int
    ) -> list[Contact]:
        """Who votes: a weighted sample of the asking accounts' people (board members
        three times as likely); for a gap, the accounts at risk too, and always as many
        accounts as the rule counts."""
        rng, author = self.rng, idea.author
        voters = [
            c for a in asking for c in self.by_account.get(a.pk, []) if c.pk != author.contact_id
        ]
        weights = [3.0 if c.pk in self.members else 1.0 for c in voters]
        chosen = _weighted_sample(rng, voters, weights, target - (idea.vote_count or 0))
        if spec.gap:
            at_risk_asking = [a for a in self.book.at_risk() if a in asking]
            wanted = rng.sample(at_risk_asking, min(4, len(at_risk_asking)))
            behind = {c.account_id for c in chosen}
            if author.contact_id:
                behind.add(author.contact.account_id)
            for account in wanted + asking:
                if account not in wanted and len(behind) >= self.book.rule.min_accounts:
                    break
                first = self.by_account[account.pk][0]
                if first not in chosen and first.pk != author.contact_id:
                    chosen.append(first)
                behind.add(account.pk)
        customer = self.demo_customer
        if customer is not None and customer.contact.account in asking and rank in {0, 1, 3, 5}:
            chosen.append(customer.contact)
        return chosen

    def vote(self, idea: Idea, chosen: list[Contact], created: datetime, closes: datetime) -> list:
        """Cast the votes, then date them over the idea's life; returns the activity."""
        for contact in chosen:
            user = self.members.get(contact.pk)
            if user is not None:
                services.vote_cast(idea=idea, actor=user)
            else:
                services.vote_on_behalf(
                    idea=idea,
                    contact=contact,
                    actor=contact.account.csm_owner or self.csms[0],
                    note=self.rng.choice(CSM_NOTES),
                )
        activity = []
        for vote_pk, contact_id in Vote.objects.filter(idea=idea).values_list("pk", "contact"):
            # The author's own vote comes with the idea; the others follow over its life.
            own = contact_id == idea.author.contact_id
            at = created if own else _between(self.rng, created, closes)
            self.clock.set(Vote, vote_pk, at)
            activity.append((at, "vote"))
        return activity

    def comment(
        self, rank: int, spec: DemoIdea, idea: Idea, chosen: list[Contact], span: tuple
    ) -> list:
        """Comments on the livelier ideas: customers, the PM answering, internal notes."""
        rng, (created, closes) = self.rng, span
        activity = []
        if rank < 16:
            speakers = [self.members[c.pk] for c in chosen if c.pk in self.members][:4]
            for user in speakers[: rng.randint(1, 3)]:
                posted = services.comment_add(
                    idea=idea, author=user, body=rng.choice(CUSTOMER_COMMENTS)
                )
                activity.append((self._date(posted, created, closes), "comment"))
            if PATHS.get(spec.status) or rank < 4:
                reply = services.comment_add(idea=idea, author=self.pm, body=rng.choice(PM_REPLIES))
                activity.append((self._date(reply, created, closes), "comment"))
        if spec.gap or rank % 5 == 1:
            note = services.comment_add(
                idea=idea,
                author=rng.choice(self.csms),
                body=rng.choice(INTERNAL_NOTES),
                internal=True,
            )
            self._date(note, created, self.now)
        return activity

    def _date(self, comment: Comment, start: datetime, end: datetime) -> datetime:
        at = _between(self.rng, start, end)
        self.clock.set(Comment, comment.pk, at)
        return at

    def history(self, spec: DemoIdea, idea: Idea, step_times: list[datetime]) -> list[_Ship]:
        """The status history, quietly: past events, not news. Shipping waits for the
        flags (see seed_feedback_demo), so it is returned instead."""
        ships = []
        for step, at in zip(PATHS.get(spec.status, []), step_times, strict=True):
            if step == S.SHIPPED:
                ships.append(_Ship(idea, spec.message, at))
                continue
            change = services.idea_status_change(
                idea=idea,
                status=step,
                actor=self.pm,
                message=spec.message if step == spec.status else STEP_MESSAGES.get(step, ""),
                notify=False,
            )
            self.clock.set(StatusChange, change.pk, at)
        return ships


@transaction.atomic
def _seed_board(*, seed: int, now: datetime) -> tuple[FeedbackDemoSummary, list[_Ship]]:
    rng = random.Random(seed)
    Idea.objects.filter(title__in=TITLES).delete()  # a second run replaces the first
    contacts = list(Contact.objects.select_related("account__csm_owner").order_by("pk"))
    pm = User.objects.filter(role=Role.PM).order_by("pk").first()
    csms = list(User.objects.filter(role=Role.CSM).order_by("pk"))
    if not contacts or pm is None or not csms:
        return FeedbackDemoSummary(0, 0, 0, 0, 0), []

    by_account: dict[int, list[Contact]] = {}
    for contact in contacts:
        by_account.setdefault(contact.account_id, []).append(contact)
    seeding = _Seeding(
        rng=rng,
        now=now,
        pm=pm,
        csms=csms,
        categories={
            name: Category.objects.update_or_create(
                slug=slugify(name), defaults={"name": name, "position": position}
            )[0]
            for position, name in enumerate(CATEGORIES)
        },
        tags={
            name: Tag.objects.get_or_create(slug=slugify(name), defaults={"name": name})[0]
            for name in sorted({tag for idea in IDEAS for tag in idea.tags})
        },
        members=_board_members(rng, contacts),
        demo_customer=User.objects.filter(username="customer", role=Role.CUSTOMER)
        .select_related("contact")
        .first(),
        book=_Book(
            accounts=sorted({c.account for c in contacts}, key=lambda a: a.pk),
            parts=cast_of(seed),
            rule=risk_rule(),
            today=now.date(),
        ),
        by_account=by_account,
        clock=_Clock(),
    )
    # Votes per idea by popularity rank: a Zipf law, the top idea voted by a third of
    # the contacts, the tail by two or three people.
    top = max(3, len(contacts) // 3)
    targets = [max(1, round(top * (rank + 1) ** -1.1)) for rank in range(len(IDEAS))]
    closed = 0
    ships: list[_Ship] = []
    for rank, spec in enumerate(IDEAS):
        created, closes, step_times = seeding.life(spec, closed)
        closed += spec.status in {S.SHIPPED, S.DECLINED}
        asking = seeding.book.eligible(spec) if spec.gap else seeding.book.few(rng, spec)
        idea = seeding.post(rank, spec, asking, created)
        chosen = seeding.voters(rank, spec, idea, asking, targets[rank])
        activity = [(created, "idea"), *seeding.vote(idea, chosen, created, closes)]
        activity += seeding.comment(rank, spec, idea, chosen, (created, closes))
        ships += seeding.history(spec, idea, step_times)
        _link_tickets(idea, spec, csms[0])
        Idea.objects.filter(pk=idea.pk).update(trend_score=services.trend_score_of(activity))

    seeding.clock.apply()
    demo_votes = Vote.objects.filter(idea__title__in=TITLES)
    return FeedbackDemoSummary(
        ideas=len(IDEAS),
        votes=demo_votes.count(),
        votes_by_csms=demo_votes.filter(added_by__isnull=False).count(),
        comments=Comment.objects.filter(idea__title__in=TITLES).count(),
        members=len(seeding.members),
    ), ships


def _link_tickets(idea: Idea, spec: DemoIdea, csm: User) -> None:
    """Link up to four tickets asking for the idea, from accounts that voted for it (a
    ticket of another account would add it to the idea's demand, and to its flag)."""
    if not spec.ticket_subject:
        return
    voting = Vote.objects.filter(idea=idea).values("account_id")
    tickets = Ticket.objects.filter(subject=spec.ticket_subject, account_id__in=voting).order_by(
        "pk"
    )[:4]
    IdeaTicket.objects.bulk_create(
        [IdeaTicket(idea=idea, ticket=ticket, linked_by=csm) for ticket in tickets],
        ignore_conflicts=True,
    )
