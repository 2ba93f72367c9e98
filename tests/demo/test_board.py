"""The feedback and roadmap demo: a lived-in board, exact counters, a three-column roadmap,
the same data on every run, and no e-mail to anyone."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.db.models import Count, Q
from django.utils import timezone

from accounts.models import Account, UsageEvent, User
from demo.cast import DORMANT
from demo.services.accounts import cast_of, seed_demo
from demo.services.board import (
    ACKNOWLEDGED_GAP,
    IDEAS,
    LOCAL_IDEAS,
    LOCAL_TITLES,
    seed_feedback_demo,
)
from demo.services.roadmap import quarter_of, seed_roadmap_demo
from feedback.models import Category, Comment, Idea, IdeaTicket, StatusChange, Vote
from feedback.statuses import IdeaStatus
from notifications.models import Alert
from productrisk.models import ProductRisk, ProductRiskAccount
from productrisk.rules import Rule
from productrisk.rules import fires as rule_fires
from productrisk.selectors.flags import impact_report, resolved_risks
from productrisk.services.flags import risk_rule
from roadmap.models import Column, RoadmapItem
from tests.accounts.factories import TicketFactory

pytestmark = pytest.mark.django_db
#: The pinned clock (tests/clock.py): the demo is dated from it.
NOW = timezone.now()
DAY = NOW.date()


@pytest.fixture
def demo_accounts():
    """The accounts demo without its usage history (not what this demo reads), and
    tickets asking for an export that times out."""
    seed_demo(accounts=25, seed=3, today=DAY, activity=False)
    accounts = list(Account.objects.order_by("pk"))
    for account in accounts[:3]:
        TicketFactory(account=account, subject="Export times out")
    return accounts


def _seed(seed: int = 3) -> None:
    seed_feedback_demo(seed=seed, now=NOW)
    seed_roadmap_demo(seed=seed, today=DAY)


def test_board_is_skewed_with_exact_counters(demo_accounts):
    _seed()

    ideas = list(
        Idea.objects.annotate(
            rows=Count("votes", distinct=True),
            public_comments=Count("comments", filter=Q(comments__is_internal=False), distinct=True),
        ).order_by("-vote_count")
    )
    assert len(ideas) == len(IDEAS) + len(LOCAL_IDEAS) >= 35
    assert all(idea.vote_count == idea.rows for idea in ideas)
    assert all(idea.comment_count == idea.public_comments for idea in ideas)
    # Skewed like real boards: the top fifth of the ideas holds most of the votes.
    counts = [idea.vote_count for idea in ideas]
    assert sum(counts[: len(counts) // 5]) > sum(counts) / 2
    assert counts[0] >= 5 * counts[len(counts) // 2]
    assert min(counts) >= 1
    # Categories, tags and Markdown rendered on write.
    assert Category.objects.count() >= 5
    assert all(idea.category_id for idea in ideas)
    assert not Idea.objects.filter(tags=None).exists()
    assert Idea.objects.filter(description_html__contains="<strong>").exists()


def test_the_spanish_and_greek_customers_post_ideas_and_comments_in_their_language(
    demo_accounts,
):
    _seed()

    for username, language, word in (("lucia", "es", "informes"), ("eleni", "el", "αναφορών")):
        customer = User.objects.get(username=username)
        assert customer.language == language
        # They are board members too, so they may also have posted English ideas.
        ideas = Idea.objects.filter(author=customer, title__in=LOCAL_TITLES)
        assert ideas.count() == 2
        assert ideas.filter(title__contains=word).exists()
        assert Comment.objects.filter(idea__in=ideas, author=customer).count() == 2
    assert Idea.objects.get(title="Ελληνικά στην πύλη πελατών").vote_count == 1


def test_votes_comments_history_and_tickets_are_all_there(demo_accounts):
    _seed()

    # Customers voting for themselves, and CSMs adding votes heard on calls, with a note.
    assert Vote.objects.filter(user__role="customer", added_by=None).count() > 100
    on_behalf = Vote.objects.filter(added_by__role="csm", user=None)
    assert on_behalf.exists()
    assert not on_behalf.filter(note="").exists()
    # The demo customer login voted and posted.
    customer = User.objects.get(username="customer")
    assert Vote.objects.filter(user=customer).count() >= 4
    assert Idea.objects.filter(author=customer).exists()
    # Public and internal comments, the internal ones by staff only.
    assert Comment.objects.filter(is_internal=False, author__role="customer").exists()
    assert Comment.objects.filter(is_internal=False, author__role="pm").exists()
    internal = Comment.objects.filter(is_internal=True)
    assert internal.exists()
    assert not internal.filter(author__role="customer").exists()
    # Each status reached through its history, with a public message at the end.
    for status in ["under_review", "planned", "in_progress", "shipped", "declined"]:
        assert Idea.objects.filter(status=status).exists(), status
    for idea in Idea.objects.exclude(status=IdeaStatus.OPEN):
        history = list(idea.status_changes.values_list("to_status", flat=True))
        assert history[-1] == idea.status
    assert StatusChange.objects.filter(to_status="shipped").exclude(message="").count() >= 3
    # The tickets asking for the export are linked to it, and time ran forward.
    export = Idea.objects.get(title__startswith="Scheduled report exports")
    assert IdeaTicket.objects.filter(idea=export).count() == 3
    for vote in Vote.objects.filter(idea=export):
        assert export.created_at <= vote.created_at <= NOW
    assert export.status_changes.last().created_at < NOW - timedelta(days=5)


def test_flags_mark_the_few_gaps_and_red_or_renewing_accounts_ask_for_the_open_ones(
    demo_accounts,
):
    _seed()

    flagged = ProductRisk.objects.select_related("idea")
    assert 0 < flagged.count() <= len(IDEAS) / 4
    assert {flag.idea.title for flag in flagged} == {idea.title for idea in IDEAS if idea.gap}
    # Every other idea is asked for by at most two accounts, below the rule.
    others = Idea.objects.filter(risk__isnull=True).annotate(
        accounts=Count("votes__account", distinct=True)
    )
    assert max(others.values_list("accounts", flat=True)) <= 2
    # The open gaps have red (dormant) accounts behind them; what shipped has none.
    dormant = [pk for pk, part in cast_of(3).items() if part.usage == DORMANT]
    for flag in flagged:
        asking = set(flag.idea.votes.values_list("account_id", flat=True))
        if flag.status == ProductRisk.Status.RESOLVED:
            assert not asking & set(dormant), flag.idea.title
        else:
            assert asking & set(dormant), flag.idea.title
    statuses = {flag.status for flag in flagged}
    assert statuses == {"open", "acknowledged", "planned", "resolved"}
    assert flagged.get(status="acknowledged").idea.title == ACKNOWLEDGED_GAP


@pytest.mark.any_day
def test_flags_open_when_their_demand_met_the_rule_over_the_boards_history(demo_accounts):
    _seed()

    rule = Rule.of(risk_rule())
    arr = {pk: float(value) for pk, value in Account.objects.values_list("pk", "arr")}

    def fires(accounts: set[int]) -> bool:
        return rule_fires(
            rule, accounts_affected=len(accounts), arr_affected=sum(arr[a] for a in accounts)
        )

    flags = list(ProductRisk.objects.select_related("idea"))
    opened = sorted(flag.opened_at for flag in flags)
    assert opened[-1] - opened[0] > timedelta(days=60)
    for flag in flags:
        votes = list(flag.idea.votes.values_list("account_id", "created_at"))
        before = {account for account, at in votes if at < flag.opened_at}
        upto = {account for account, at in votes if at <= flag.opened_at}
        assert not fires(before), flag.idea.title
        assert fires(upto), flag.idea.title
        assert flag.idea.created_at <= flag.opened_at < NOW
        if flag.acknowledged_at:
            assert flag.opened_at < flag.acknowledged_at < NOW


@pytest.mark.any_day
def test_roadmap_has_three_columns_a_draft_and_dated_shipped_items(demo_accounts):
    _seed()

    items = RoadmapItem.objects.all()
    assert {item.column for item in items} == set(Column.values)
    assert items.filter(is_public=False).count() == 1
    assert all(item.ideas.exists() for item in items)
    shipped = list(items.filter(column=Column.SHIPPED).order_by("position"))
    assert len(shipped) >= 4
    dates = [item.shipped_on for item in shipped]
    assert dates == sorted(dates, reverse=True)  # the column reads like the changelog
    # Spread over months, yet within the health demo's history (see the impact test).
    assert dates[-1] < dates[0] - timedelta(days=45)
    assert dates[-1] >= DAY - timedelta(days=90)
    assert dates[0] < DAY
    for item in shipped:
        assert set(item.ideas.values_list("status", flat=True)) == {IdeaStatus.SHIPPED}
        assert item.target_quarter == quarter_of(item.shipped_on)
    in_progress = items.filter(column=Column.IN_PROGRESS)
    assert {item.target_quarter for item in in_progress} == {quarter_of(DAY)}
    assert all(i.description_html.startswith("<p>") for i in items)


def test_running_twice_gives_the_same_board(demo_accounts):
    def snapshot():
        return (
            sorted(Idea.objects.values_list("title", "status", "vote_count", "comment_count")),
            sorted(Vote.objects.values_list("idea__title", "contact__email", "note")),
            User.objects.count(),
            sorted(RoadmapItem.objects.values_list("title", "column", "position", "shipped_on")),
        )

    _seed()
    first = snapshot()
    _seed()
    assert snapshot() == first
    _seed(seed=4)
    assert snapshot()[1] != first[1]


def test_seeding_emails_nobody_and_dates_what_people_were_told(
    demo_accounts, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        _seed()
    assert mailoutbox == []
    # The PMs and CSMs heard of each flag when it opened; only the open one is unread.
    pm = User.objects.get(username="pm")
    for flag in ProductRisk.objects.select_related("idea"):
        told = Alert.objects.filter(recipient=pm, dedupe_key__startswith=f"risk:{flag.pk}:")
        assert told.count() == 1, flag.idea.title
        alert = told.get()
        assert alert.created_at == alert.emailed_at == flag.opened_at
        assert alert.email_state == Alert.EmailState.SENT
        assert (alert.acknowledged_at is None) == (flag.status == ProductRisk.Status.OPEN)
    assert Alert.objects.filter(kind="feedback.product_risk_accounts").exists()
    flagged = ProductRisk.objects.filter(status__in=ProductRisk.ACTIVE_STATUSES)
    assert flagged.exists()
    assert all(risk.notified_severity == risk.severity for risk in flagged)


def test_seed_demo_command_seeds_the_board_and_the_roadmap():
    call_command("seed_demo", "--accounts", "3", stdout=(out := StringIO()))
    assert Idea.objects.count() == len(IDEAS) + len(LOCAL_IDEAS)
    assert RoadmapItem.objects.filter(column=Column.SHIPPED).exists()
    assert f"{len(IDEAS) + len(LOCAL_IDEAS)} ideas" in out.getvalue()


def test_shipped_ideas_resolve_the_flags_their_demand_raised(demo_accounts):
    _seed()

    # Flags first, then ships: every shipped idea with enough demand has a resolved flag,
    # dated the day it shipped, opened before, with the evidence frozen at shipping.
    shipped = Idea.objects.filter(status=IdeaStatus.SHIPPED, risk__isnull=False)
    assert shipped.exists()
    for idea in shipped.select_related("risk"):
        risk = idea.risk
        shipped_at = idea.status_changes.get(to_status=IdeaStatus.SHIPPED).created_at
        assert risk.status == ProductRisk.Status.RESOLVED
        assert risk.resolved_at == shipped_at < NOW
        assert risk.opened_at < risk.resolved_at
        assert risk.evidence.exists()
        assert risk.notified_severity == risk.severity
    assert not ProductRisk.objects.filter(
        idea__status=IdeaStatus.SHIPPED, status__in=ProductRisk.ACTIVE_STATUSES
    ).exists()


def test_full_demo_shows_the_impact_of_shipping(mailoutbox):
    """The whole seed, as `make run` does it: health history reaches around the ship
    dates, so a resolved flag's impact report has a 30-day before/after."""
    call_command("seed_demo", "--accounts", "12", stdout=StringIO())

    risks = resolved_risks()
    dated = [risk for risk in risks if risk.shipped_on]
    assert dated
    for risk in dated:
        assert risk.resolved_at.date() == risk.shipped_on
    reports = {risk.pk: impact_report([risk]) for risk in dated}
    with_data = [pk for pk, report in reports.items() if report.has_data]
    assert with_data
    thirty = reports[with_data[0]].windows[0]
    assert thirty.days == 30
    assert thirty.known
    assert thirty.baseline_delta is not None
    assert reports[with_data[0]].figure is not None
    pooled = impact_report(risks)
    assert pooled.has_data
    assert pooled.windows[0].known
    assert mailoutbox == []
    # The improvement, if any, comes from usage: the asking accounts use what shipped.
    adopted = UsageEvent.objects.filter(source_id__startswith="demo-adopt-")
    asking = ProductRiskAccount.objects.filter(risk__status=ProductRisk.Status.RESOLVED)
    assert adopted.exists()
    assert set(adopted.values_list("account_id", flat=True)) <= set(
        asking.values_list("account_id", flat=True)
    )
    assert not adopted.filter(occurred_at__lt=min(risk.resolved_at for risk in dated)).exists()
