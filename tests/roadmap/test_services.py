"""Roadmap writes: dense positions, ship dates, and what moving an item does to the
ideas linked to it and to the people behind them."""

from __future__ import annotations

from datetime import UTC, date, datetime
from unittest import mock

import pytest
from django.core import mail
from django.db import IntegrityError, transaction
from django.utils import timezone

from core.roles import Role
from feedback import notifications
from feedback import services as feedback_services
from feedback.models import Idea, StatusChange
from feedback.statuses import IdeaStatus
from notifications.models import Alert
from roadmap import services
from roadmap.models import Column, RoadmapItem
from tests.accounts.factories import UserFactory
from tests.feedback.factories import IdeaFactory
from tests.roadmap.factories import RoadmapItemFactory

pytestmark = pytest.mark.django_db


def _board() -> dict[str, list[tuple[str, int]]]:
    """Each column's (title, position) pairs in board order."""
    board: dict[str, list[tuple[str, int]]] = {key: [] for key in Column.values}
    for item in RoadmapItem.objects.order_by("column", "position", "pk"):
        board[item.column].append((item.title, item.position))
    return board


def _make(column: str, *titles: str, public: bool = True) -> list[RoadmapItem]:
    return [
        services.item_create(title=title, actor=None, column=column, is_public=public)
        for title in titles
    ]


def _dense(board) -> bool:
    return all([pos for _t, pos in rows] == list(range(len(rows))) for rows in board.values())


# --- Positions -------------------------------------------------------------------------


def test_new_items_go_to_the_end_of_their_column():
    _make(Column.PLANNED, "A", "B", "C")
    _make(Column.IN_PROGRESS, "X")
    assert _board()[Column.PLANNED] == [("A", 0), ("B", 1), ("C", 2)]
    assert _board()[Column.IN_PROGRESS] == [("X", 0)]


def test_reordering_within_a_column_keeps_positions_dense():
    a, _b, c, d = _make(Column.PLANNED, "A", "B", "C", "D")
    services.item_move(item=d, column=Column.PLANNED, position=0)
    assert [t for t, _p in _board()[Column.PLANNED]] == ["D", "A", "B", "C"]
    services.item_move(item=a, column=Column.PLANNED, position=99)  # clamped to the end
    assert [t for t, _p in _board()[Column.PLANNED]] == ["D", "B", "C", "A"]
    services.item_move(item=c, column=Column.PLANNED, position=1)
    assert _board()[Column.PLANNED] == [("D", 0), ("C", 1), ("B", 2), ("A", 3)]


def test_moving_between_columns_closes_the_gap_and_opens_a_slot():
    a, b, c = _make(Column.PLANNED, "A", "B", "C")
    _make(Column.IN_PROGRESS, "X", "Y")
    moved = services.item_move(item=b, column=Column.IN_PROGRESS, position=1)
    assert moved.column == Column.IN_PROGRESS
    assert moved.position == 1
    board = _board()
    assert board[Column.PLANNED] == [("A", 0), ("C", 1)]
    assert board[Column.IN_PROGRESS] == [("X", 0), ("B", 1), ("Y", 2)]
    services.item_move(item=a, column=Column.SHIPPED)  # None: last
    services.item_move(item=c, column=Column.SHIPPED, position=0)
    board = _board()
    assert board[Column.PLANNED] == []
    assert board[Column.SHIPPED] == [("C", 0), ("A", 1)]
    assert _dense(board)


def test_positions_repair_themselves_from_gaps_and_ties():
    a, _b, c = _make(Column.PLANNED, "A", "B", "C")
    RoadmapItem.objects.filter(pk=a.pk).update(position=5)
    RoadmapItem.objects.filter(pk=c.pk).update(position=1)  # tie with B
    services.item_move(item=a, column=Column.PLANNED, position=0)
    assert _board()[Column.PLANNED] == [("A", 0), ("B", 1), ("C", 2)]


def test_deleting_an_item_closes_the_gap():
    _a, b, _c = _make(Column.PLANNED, "A", "B", "C")
    services.item_delete(item=b)
    assert _board()[Column.PLANNED] == [("A", 0), ("C", 1)]


def test_unknown_column_is_refused():
    (a,) = _make(Column.PLANNED, "A")
    with pytest.raises(ValueError, match="unknown column"):
        services.item_move(item=a, column="later", position=0)


# --- Ship dates -------------------------------------------------------------------------


def test_shipping_stamps_todays_utc_date_and_moving_out_clears_it():
    (item,) = _make(Column.IN_PROGRESS, "A")
    # 23:30 on 31 Dec in UTC is already 1 Jan in Tokyo: the ship date is the UTC day.
    frozen = datetime(2026, 12, 31, 23, 30, tzinfo=UTC)
    with mock.patch("django.utils.timezone.now", return_value=frozen):
        shipped = services.item_move(item=item, column=Column.SHIPPED, position=0)
    assert shipped.shipped_on == date(2026, 12, 31)
    item.refresh_from_db()
    assert item.shipped_on == date(2026, 12, 31)
    services.item_move(item=item, column=Column.PLANNED, position=0)
    item.refresh_from_db()
    assert item.column == Column.PLANNED
    assert item.shipped_on is None


def test_reordering_within_shipped_keeps_the_ship_date():
    a, _b = _make(Column.SHIPPED, "A", "B")
    RoadmapItem.objects.filter(pk=a.pk).update(shipped_on=date(2026, 1, 5))
    services.item_move(item=a, column=Column.SHIPPED, position=1)
    a.refresh_from_db()
    assert a.shipped_on == date(2026, 1, 5)


def test_creating_an_item_straight_into_shipped_dates_it():
    (item,) = _make(Column.SHIPPED, "A")
    assert item.shipped_on == timezone.now().date()


@pytest.mark.parametrize(
    ("column", "shipped_on"),
    [(Column.SHIPPED, None), (Column.PLANNED, date(2026, 1, 1))],
    ids=["shipped-without-date", "date-without-shipped"],
)
def test_check_constraint_ties_the_ship_date_to_the_column(column, shipped_on):
    with pytest.raises(IntegrityError), transaction.atomic():
        RoadmapItem.objects.create(title="Bad", column=column, shipped_on=shipped_on)


# --- What the roadmap does to ideas --------------------------------------------------------


@pytest.fixture
def two_ideas(customer_a, customer_b, csm):
    """Two ideas; customer A voted for both, B voted for one, a third person follows one."""
    for customer in (customer_a, customer_b):
        customer.contact.account.csm_owner = csm
        customer.contact.account.save()
    first = IdeaFactory(title="Export to CSV")
    second = IdeaFactory(title="Export to Excel")
    feedback_services.vote_cast(idea=first, actor=customer_a)
    feedback_services.vote_cast(idea=second, actor=customer_a)
    feedback_services.vote_cast(idea=second, actor=customer_b)
    follower = UserFactory(role=Role.CUSTOMER)
    feedback_services.follow_set(idea=first, user=follower)
    Alert.objects.all().delete()  # votes and follows raise nothing, but be sure
    return first, second, follower


def test_shipping_ships_the_ideas_and_tells_each_person_once(
    two_ideas, customer_a, customer_b, csm, pm, django_capture_on_commit_callbacks
):
    first, second, follower = two_ideas
    with django_capture_on_commit_callbacks(execute=True):
        item = services.item_create(
            title="Spreadsheet exports",
            actor=pm,
            column=Column.IN_PROGRESS,
            is_public=True,
            ideas=[first, second],
        )
    Alert.objects.all().delete()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.item_move(item=item, column=Column.SHIPPED, position=0, actor=pm)

    first.refresh_from_db()
    second.refresh_from_db()
    assert first.status == second.status == IdeaStatus.SHIPPED
    assert StatusChange.objects.filter(to_status=IdeaStatus.SHIPPED).count() == 2
    people = Alert.objects.filter(kind=notifications.KIND_IDEA)
    # Customer A voted for both ideas and is told once.
    assert sorted(people.values_list("recipient_id", flat=True)) == sorted(
        [customer_a.pk, customer_b.pk, follower.pk]
    )
    alert = people.get(recipient=customer_a)
    assert alert.title == "Shipped: Spreadsheet exports"
    assert alert.url == f"/changelog/{item.pk}/"
    assert alert.dedupe_key == f"roadmap-shipped:{item.pk}"
    csm_alert = Alert.objects.get(kind=notifications.KIND_IDEA_ACCOUNTS)
    assert csm_alert.recipient == csm
    assert "2 of your accounts" in csm_alert.title
    assert not Alert.objects.filter(recipient=pm).exists()  # the actor is not told
    assert len(mail.outbox) == 4

    # The task run again (a retry, a second delivery): nothing new, no second e-mail.
    with django_capture_on_commit_callbacks(execute=True):
        notifications.idea_event_notify(
            idea_ids=[first.pk, second.pk],
            event_key=f"roadmap-shipped:{item.pk}",
            title="Shipped: Spreadsheet exports",
        )
    assert Alert.objects.count() == 4
    assert len(mail.outbox) == 4


def test_shipping_again_after_moving_back_tells_no_one_twice(
    two_ideas, pm, django_capture_on_commit_callbacks
):
    first, _second, _follower = two_ideas
    with django_capture_on_commit_callbacks(execute=True):
        item = services.item_create(
            title="Exports", actor=pm, column=Column.SHIPPED, is_public=True, ideas=[first]
        )
    told = Alert.objects.count()
    assert told > 0
    with django_capture_on_commit_callbacks(execute=True):
        services.item_move(item=item, column=Column.IN_PROGRESS, actor=pm)
        services.item_move(item=item, column=Column.SHIPPED, actor=pm)
    assert Alert.objects.count() == told
    first.refresh_from_db()
    assert first.status == IdeaStatus.SHIPPED  # moving back does not un-ship ideas


def test_shipping_leaves_declined_and_already_shipped_ideas_alone(
    pm, django_capture_on_commit_callbacks
):
    declined = IdeaFactory(status=IdeaStatus.DECLINED)
    shipped = IdeaFactory(status=IdeaStatus.SHIPPED)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        services.item_create(
            title="A", actor=pm, column=Column.SHIPPED, is_public=True, ideas=[declined, shipped]
        )
    declined.refresh_from_db()
    assert declined.status == IdeaStatus.DECLINED
    assert not StatusChange.objects.exists()
    assert callbacks == []  # no idea shipped now: no event queued


def test_planning_an_item_plans_its_open_ideas_with_a_message(
    two_ideas, customer_a, pm, django_capture_on_commit_callbacks
):
    first, second, _follower = two_ideas
    Idea.objects.filter(pk=second.pk).update(status=IdeaStatus.IN_PROGRESS)
    with django_capture_on_commit_callbacks(execute=True):
        services.item_create(
            title="Exports", actor=pm, column=Column.PLANNED, is_public=True, ideas=[first, second]
        )
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.status == IdeaStatus.PLANNED
    assert second.status == IdeaStatus.IN_PROGRESS  # never moved backwards
    change = StatusChange.objects.get(idea=first)
    assert "Exports" in change.message
    assert Alert.objects.filter(recipient=customer_a, dedupe_key=f"idea-status:{change.pk}")


def test_moving_to_in_progress_moves_planned_ideas_along(
    two_ideas, pm, django_capture_on_commit_callbacks
):
    first, _second, _follower = two_ideas
    with django_capture_on_commit_callbacks(execute=True):
        item = services.item_create(
            title="Exports", actor=pm, column=Column.PLANNED, is_public=True, ideas=[first]
        )
        services.item_move(item=item, column=Column.IN_PROGRESS, actor=pm)
    first.refresh_from_db()
    assert first.status == IdeaStatus.IN_PROGRESS
    assert list(
        StatusChange.objects.filter(idea=first).order_by("pk").values_list("to_status", flat=True)
    ) == [IdeaStatus.PLANNED, IdeaStatus.IN_PROGRESS]


def test_linking_an_idea_to_a_planned_item_plans_it(pm):
    item = RoadmapItemFactory(column=Column.PLANNED, is_public=True)
    idea = IdeaFactory()
    services.item_link_ideas(item=item, ideas=[idea], actor=pm)
    idea.refresh_from_db()
    assert idea.status == IdeaStatus.PLANNED
    assert list(item.ideas.all()) == [idea]
    # Linking again changes nothing.
    assert services.item_link_ideas(item=item, ideas=[idea], actor=pm) == []
    assert StatusChange.objects.count() == 1


def test_linking_a_merged_idea_links_its_target(pm):
    target = IdeaFactory()
    merged = IdeaFactory(status=IdeaStatus.MERGED, merged_into=target)
    item = RoadmapItemFactory(column=Column.PLANNED, is_public=False)
    services.item_link_ideas(item=item, ideas=[merged], actor=pm)
    assert list(item.ideas.all()) == [target]


def test_drafts_leave_ideas_alone_until_published(pm, django_capture_on_commit_callbacks):
    idea = IdeaFactory()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        item = services.item_create(
            title="Secret", actor=pm, column=Column.SHIPPED, is_public=False, ideas=[idea]
        )
    idea.refresh_from_db()
    assert idea.status == IdeaStatus.OPEN
    assert callbacks == []
    with django_capture_on_commit_callbacks(execute=True):
        services.item_publish(item=item, public=True, actor=pm)
    idea.refresh_from_db()
    assert idea.status == IdeaStatus.SHIPPED


def test_unlinking_keeps_the_idea_status(pm):
    item = RoadmapItemFactory(column=Column.PLANNED, is_public=True)
    idea = IdeaFactory()
    services.item_link_ideas(item=item, ideas=[idea], actor=pm)
    services.item_unlink_ideas(item=item, ideas=[idea])
    idea.refresh_from_db()
    assert idea.status == IdeaStatus.PLANNED
    assert not item.ideas.exists()


def test_item_update_saves_text_moves_and_relinks_in_one_status_change_per_idea(pm):
    kept, dropped, added = IdeaFactory(), IdeaFactory(), IdeaFactory()
    item = services.item_create(
        title="Old", actor=pm, column=Column.PLANNED, is_public=True, ideas=[kept, dropped]
    )
    item = services.item_update(
        item=item,
        actor=pm,
        title="  New  ",
        description="**Bold** <script>alert(1)</script>",
        target_quarter="2027-Q1",
        column=Column.IN_PROGRESS,
        is_public=True,
        ideas=[kept, added],
    )
    item.refresh_from_db()
    assert item.title == "New"
    assert "<strong>Bold</strong>" in item.description_html
    assert "<script" not in item.description_html
    assert item.column == Column.IN_PROGRESS
    assert set(item.ideas.all()) == {kept, added}
    for idea, status in [
        (kept, IdeaStatus.IN_PROGRESS),
        (added, IdeaStatus.IN_PROGRESS),
        (dropped, IdeaStatus.PLANNED),
    ]:
        idea.refresh_from_db()
        assert idea.status == status
    assert StatusChange.objects.filter(idea=added).count() == 1


@pytest.mark.parametrize("quarter", ["Q1 2027", "0000-Q1", "2026-Q5", "1999-Q4", "2100-Q1"])
def test_item_update_refuses_a_bad_quarter(pm, quarter):
    from django.core.exceptions import ValidationError

    item = RoadmapItemFactory()
    with pytest.raises(ValidationError):
        services.item_update(item=item, actor=pm, target_quarter=quarter)


@pytest.mark.parametrize("quarter", ["2000-Q1", "2026-Q4", "2099-Q4"])
def test_item_update_takes_quarters_of_the_years_a_roadmap_names(pm, quarter):
    item = RoadmapItemFactory()
    services.item_update(item=item, actor=pm, target_quarter=quarter)
    item.refresh_from_db()
    assert item.target_quarter == quarter


def test_the_quarter_pattern_states_the_years_a_quarter_may_name():
    import re

    from roadmap.models import QUARTER_PATTERN, QUARTER_YEARS

    for year in range(1000, 10000):
        assert bool(re.search(QUARTER_PATTERN, f"{year}-Q1")) == (year in QUARTER_YEARS), year
