"""The undo window with real workers: a roadmap action tells its voters only once the
window has passed, once each, whatever the broker redelivers; an undo within the window
tells nobody; several moves within it are told once, with the final state.

Real components: PostgreSQL, a Redis of the test's own and Celery worker processes on
the test database, with a two-second window (``FEEDBACK_NOTIFY_DELAY_SECONDS``) in
this process and in the workers. Nothing is eager and nothing is mocked: the delivery
queued for the end of the window runs on a worker, and the e-mails it leads to are
written by the workers' file backend (``EMAIL_URL=filemail:////dir``), so the test
reads what was sent from another process.
"""

from __future__ import annotations

import email
import re
import subprocess
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.message import EmailMessage
from email.policy import default as default_policy
from pathlib import Path

import pytest
from django.utils import timezone
from pytest_django.fixtures import Settings

from accounts.models import User
from core.i18n import render
from feedback import services as feedback_services
from feedback.models import Idea, PendingNotification
from feedback.statuses import IdeaStatus
from feedback.tasks import deliver_pending_notifications
from notifications.models import Alert
from roadmap import services
from roadmap.models import Column, RoadmapItem
from tests.feedback.factories import IdeaFactory
from tests.processes import RedisServer, broker_at, redis_server, start_worker, stop_all, wait_for
from tests.roadmap.factories import RoadmapItemFactory

pytestmark = [
    pytest.mark.needs_postgres,
    pytest.mark.celery_worker,
    pytest.mark.django_db(transaction=True),
    pytest.mark.timeout(120),
]

WINDOW = 2
#: Long enough for a worker to start and run its tasks on a loaded two-core machine.
PATIENCE = 45
DELIVERY = "feedback.tasks.deliver_pending_notifications"
WATCHED = {DELIVERY, "notifications.tasks.send_alert_emails"}
_RECEIVED = re.compile(r"Task ([\w.]+)\[([0-9a-f-]+)\] received")
_RAN = re.compile(r"Task ([\w.]+)\[([0-9a-f-]+)\] succeeded in [^:]+: (\d+)")


Exports = tuple[RoadmapItem, Idea, list[User]]


@dataclass
class Workers:
    """Worker processes sharing one log, one Redis and one directory of sent e-mails."""

    redis: RedisServer
    log: Path
    mail: Path
    processes: list[subprocess.Popen]

    def tail(self) -> str:
        return self.log.read_text()[-4000:] if self.log.exists() else ""

    def runs(self, task: str = DELIVERY) -> dict[str, int]:
        """The finished runs of ``task``: its id, and what it returned."""
        text = self.log.read_text() if self.log.exists() else ""
        return {id_: int(value) for name, id_, value in _RAN.findall(text) if name == task}

    def settled(self) -> bool:
        """Nothing of the delivery waits in the broker, and every delivery and e-mail
        run a worker took has finished. (A debounced recompute the votes asked for waits
        a minute, unacknowledged: not ours to wait for.)"""
        for process in self.processes:
            if process.poll() is not None:
                raise AssertionError(f"a worker exited:\n{self.tail()}")
        text = self.log.read_text() if self.log.exists() else ""
        taken = {id_ for name, id_ in _RECEIVED.findall(text) if name in WATCHED}
        finished = {id_ for name, id_, _value in _RAN.findall(text) if name in WATCHED}
        return taken == finished and self.redis.queued() == 0

    def wait_settled(self) -> None:
        """Settled twice, a beat apart: a message a worker has just taken from the queue
        is, for an instant, in neither the queue nor the log."""

        def twice() -> bool:
            if not self.settled():
                return False
            time.sleep(0.5)
            return self.settled()

        assert wait_for(twice, PATIENCE, 0.2), self.tail()

    def emails(self) -> list[EmailMessage]:
        """Every e-mail the workers sent (the file backend separates them by a rule)."""
        sent = []
        for path in sorted(self.mail.glob("*.log")):
            for chunk in path.read_bytes().split(b"\n" + b"-" * 79 + b"\n"):
                if chunk.strip():
                    sent.append(email.message_from_bytes(chunk, policy=default_policy))
        return sent


@pytest.fixture
def workers(
    request: pytest.FixtureRequest, settings: Settings, tmp_path: Path
) -> Iterator[Workers]:
    """Real workers with the short window: one, or as many as the test parametrizes
    (``indirect``). This process sends to their Redis."""
    settings.FEEDBACK_NOTIFY_DELAY_SECONDS = WINDOW
    count = getattr(request, "param", 1)
    mail = tmp_path / "mail"
    env = {"FEEDBACK_NOTIFY_DELAY_SECONDS": str(WINDOW), "EMAIL_URL": f"filemail:///{mail}"}
    log = tmp_path / "workers.log"
    with redis_server() as redis, broker_at(redis.url):
        processes = [start_worker(redis.url, log, **env) for _ in range(count)]
        try:
            running = Workers(redis=redis, log=log, mail=mail, processes=processes)
            # Consuming before the action: a run within the window happens within it.
            assert wait_for(lambda: log.read_text().count(" ready.") == count, PATIENCE), (
                running.tail()
            )
            yield running
        finally:
            stop_all(processes)


@pytest.fixture
def exports(customer_a: User, customer_b: User) -> Exports:
    """A public planned item whose idea customers A and B voted for."""
    idea = IdeaFactory(title="Export to CSV", status=IdeaStatus.PLANNED)
    voters = [customer_a, customer_b]
    for voter in voters:
        feedback_services.vote_cast(idea=idea, actor=voter)
    item = RoadmapItemFactory(title="Exports", column=Column.PLANNED, is_public=True)
    item.ideas.add(idea)
    Alert.objects.all().delete()
    return item, idea, voters


def _move(item: RoadmapItem, column: str, actor: User) -> services.UndoPoint:
    """What the editor does: the move, undoable."""
    with services.undoable(item=item, actor=actor) as point:
        services.item_move(item=item, column=column, actor=actor)
    return point


def _nobody_told_before(moment: datetime) -> None:
    """Watch the inbox until shortly before ``moment``: nobody hears of it meanwhile."""
    while timezone.now() < moment - timedelta(seconds=0.3):
        assert not Alert.objects.exists(), "told within the undo window"
        time.sleep(0.1)


def _told(voters: list[User]) -> Counter[int]:
    return Counter(Alert.objects.filter(recipient__in=voters).values_list("recipient", flat=True))


def _emailed(workers: Workers) -> Counter[str]:
    return Counter(str(message["To"]) for message in workers.emails())


@pytest.mark.parametrize("workers", [2], indirect=True, ids=["two workers"])
def test_a_ship_is_told_to_each_voter_once_after_the_window_whatever_is_redelivered(
    workers: Workers, exports: Exports, pm: User
) -> None:
    """GIVEN two workers and an item whose idea two customers voted for
    WHEN it is shipped; a delivery runs within the window (the beat's), and three reach
    the workers at its end (the one the ship queued, a redelivered copy and a retry)
    THEN nobody hears of it within the window; after it, each voter gets one alert and
    one e-mail, and deliveries queued afterwards add nothing."""
    item, idea, voters = exports
    started = time.monotonic()
    point = _move(item, Column.SHIPPED, pm)
    assert point.undo is not None
    row = PendingNotification.objects.get(idea=idea)
    early = deliver_pending_notifications.delay()  # the beat's run, within the window
    duplicates = [deliver_pending_notifications.apply_async(countdown=WINDOW) for _ in range(2)]

    _nobody_told_before(row.send_after)
    assert wait_for(lambda: len(_told(voters)) == len(voters), PATIENCE), workers.tail()
    assert time.monotonic() - started >= WINDOW
    queued = {early.id, *(duplicate.id for duplicate in duplicates)}
    assert wait_for(lambda: queued <= set(workers.runs()), PATIENCE), workers.tail()
    workers.wait_settled()

    assert _told(voters) == Counter({voter.pk: 1 for voter in voters})
    assert set(Alert.objects.values_list("recipient", flat=True)) == {v.pk for v in voters}
    assert {render(alert.title) for alert in Alert.objects.all()} == {"Shipped: Exports"}
    row.refresh_from_db()
    assert row.state == PendingNotification.State.SENT
    assert row.closed_at >= row.send_after
    assert all(alert.created_at >= row.send_after for alert in Alert.objects.all())
    assert sum(workers.runs().values()) == len(voters)  # one run told them, the others none
    assert _emailed(workers) == Counter({voter.email: 1 for voter in voters})
    assert {str(message["Subject"]) for message in workers.emails()} == {"Shipped: Exports"}

    # The beat's next runs, or a retry long after: nobody hears of it twice.
    again = [deliver_pending_notifications.delay() for _ in range(2)]
    assert wait_for(lambda: {d.id for d in again} <= set(workers.runs()), PATIENCE)
    workers.wait_settled()
    assert _told(voters) == Counter({voter.pk: 1 for voter in voters})
    assert _emailed(workers) == Counter({voter.email: 1 for voter in voters})


def test_a_ship_undone_within_the_window_is_told_to_nobody(
    workers: Workers, exports: Exports, pm: User
) -> None:
    """GIVEN a worker and a shipped item
    WHEN its author undoes the ship within the window
    THEN the delivery queued for the end of the window runs on the worker and tells no
    one, nor does a later one: no alert, no e-mail, the item and idea as they were."""
    item, idea, voters = exports
    point = _move(item, Column.SHIPPED, pm)
    assert point.undo is not None
    row = PendingNotification.objects.get(idea=idea)

    services.item_undo(token=point.undo.token, actor=pm)

    assert wait_for(lambda: len(workers.runs()) >= 1, PATIENCE), workers.tail()
    assert timezone.now() >= row.send_after  # the window is over, and the worker ran
    later = deliver_pending_notifications.delay()
    assert wait_for(lambda: later.id in workers.runs(), PATIENCE), workers.tail()
    workers.wait_settled()

    assert not Alert.objects.exists()
    assert workers.emails() == []
    assert set(workers.runs().values()) == {0}
    row.refresh_from_db()
    assert row.state == PendingNotification.State.CANCELLED
    item.refresh_from_db()
    idea.refresh_from_db()
    assert (item.column, item.shipped_on, idea.status) == (Column.PLANNED, None, IdeaStatus.PLANNED)
    assert _told(voters) == Counter()


def test_several_moves_within_the_window_are_told_once_with_the_final_state(
    workers: Workers, exports: Exports, pm: User
) -> None:
    """GIVEN a worker and a planned item
    WHEN it is moved to "in progress" and then shipped, within one window
    THEN each move's delivery runs on the worker, but each voter hears once, after the
    window of the last move, and of the shipping only."""
    item, idea, voters = exports
    _move(item, Column.IN_PROGRESS, pm)
    first = PendingNotification.objects.get(idea=idea).send_after
    _move(item, Column.SHIPPED, pm)
    row = PendingNotification.objects.get(idea=idea)
    assert row.send_after > first  # the last move opens a whole window again

    _nobody_told_before(row.send_after)
    assert wait_for(lambda: len(_told(voters)) == len(voters), PATIENCE), workers.tail()
    assert wait_for(lambda: len(workers.runs()) >= 2, PATIENCE), workers.tail()
    workers.wait_settled()

    assert _told(voters) == Counter({voter.pk: 1 for voter in voters})
    assert {render(alert.title) for alert in Alert.objects.all()} == {"Shipped: Exports"}
    assert all(alert.created_at >= row.send_after for alert in Alert.objects.all())
    row.refresh_from_db()
    assert (row.state, row.status_before) == (PendingNotification.State.SENT, IdeaStatus.PLANNED)
    assert PendingNotification.objects.count() == 1
    assert _emailed(workers) == Counter({voter.email: 1 for voter in voters})
    assert {str(message["Subject"]) for message in workers.emails()} == {"Shipped: Exports"}
