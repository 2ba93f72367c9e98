"""The product-risk recompute and what PMs do with flags, on the real database."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core import mail
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.utils import timezone

from core.roles import Role
from feedback import services
from feedback.models import IdeaTicket
from feedback.statuses import IdeaStatus
from notifications.models import Alert
from productrisk import services as risk_services
from productrisk.models import ProductRisk, ProductRiskAccount
from productrisk.services import notifications as risk_notifications
from productrisk.services.flags import product_risk_recompute, risk_idea_status_sync
from tests.accounts.factories import AccountFactory, ContactFactory, TicketFactory, UserFactory
from tests.feedback.factories import IdeaFactory, VoteFactory
from tests.healthscores.factories import AccountHealthFactory
from tests.ttfv.factories import OnboardingFactory

pytestmark = [pytest.mark.django_db, pytest.mark.any_day]

#: The pinned day (tests/clock.py): the factories' renewal dates count from it too.
TODAY = timezone.localdate()


@pytest.fixture
def recompute(django_capture_on_commit_callbacks):
    """Recompute as the task does, running what waits for the commit (notifications,
    their e-mails)."""

    def run(today: date = TODAY):
        with django_capture_on_commit_callbacks(execute=True):
            return product_risk_recompute(today=today)

    return run


def vote(idea, account, **kwargs):
    return VoteFactory(idea=idea, contact=ContactFactory(account=account), **kwargs)


@pytest.fixture
def gap(csm):
    """An idea three accounts of one CSM voted for: one through two contacts, one
    through a customer's vote and a CSM's vote for a colleague, one with a ticket too."""
    idea = IdeaFactory(title="SSO with Okta")
    accounts = [
        AccountFactory(name=f"Acme {n}", arr=Decimal("100000"), csm_owner=csm) for n in range(3)
    ]
    vote(idea, accounts[0])
    vote(idea, accounts[0])
    vote(idea, accounts[1])
    vote(idea, accounts[1], added_by=csm)
    vote(idea, accounts[2])
    IdeaTicket.objects.create(idea=idea, ticket=TicketFactory(account=accounts[2]))
    return idea, accounts


def evidence_of(risk):
    return list(
        ProductRiskAccount.objects.filter(risk=risk)
        .order_by("account_id")
        .values_list("id", "account_id", "by_vote", "by_ticket", "arr", "band", "renews_soon")
    )


def flag_state():
    return list(
        ProductRisk.objects.order_by("pk").values(
            *[f.attname for f in ProductRisk._meta.concrete_fields if f.name != "computed_at"]
        )
    )


def test_three_accounts_open_one_flag_with_their_evidence(gap, recompute):
    idea, accounts = gap
    result = recompute()
    risk = ProductRisk.objects.get(idea=idea)
    assert result.opened == 1
    assert risk.status == ProductRisk.Status.OPEN
    assert risk.accounts_affected == 3
    assert risk.arr_affected == Decimal("300000.00")
    assert risk.generation == 1
    rows = {row.account_id: row for row in risk.evidence.all()}
    assert set(rows) == {a.pk for a in accounts}
    assert rows[accounts[2].pk].by_vote
    assert rows[accounts[2].pk].by_ticket
    assert not rows[accounts[0].pk].by_ticket


def test_two_accounts_open_no_flag(recompute):
    idea = IdeaFactory()
    for account in (AccountFactory(), AccountFactory()):
        vote(idea, account)
        vote(idea, account)
    recompute()
    assert not ProductRisk.objects.exists()


def test_one_big_account_opens_a_flag_by_arr(recompute):
    idea = IdeaFactory()
    vote(idea, AccountFactory(arr=Decimal("250000")))
    recompute()
    assert ProductRisk.objects.get(idea=idea).accounts_affected == 1


def test_recompute_twice_gives_the_same_rows(gap, recompute):
    _idea, accounts = gap
    AccountHealthFactory(account=accounts[0], band="red")
    OnboardingFactory(account=accounts[1], ttfv=None, status="late")
    recompute()
    flags, evidence = flag_state(), evidence_of(ProductRisk.objects.get())
    again = recompute()
    assert flag_state() == flags
    assert evidence_of(ProductRisk.objects.get()) == evidence
    assert again.opened == again.updated == again.evidence_inserted == 0
    assert again.evidence_updated == again.evidence_deleted == again.to_notify == 0
    risk = ProductRisk.objects.get()
    assert (risk.red_accounts, risk.late_onboardings) == (1, 1)
    assert risk.arr_at_risk == Decimal("100000.00")


def test_numbers_follow_the_data_and_a_flag_below_the_rule_stays_open(gap, recompute):
    idea, accounts = gap
    recompute()
    risk = ProductRisk.objects.get()
    idea.votes.filter(account=accounts[0]).delete()
    accounts[1].renews_on = TODAY + timedelta(days=30)
    accounts[1].save()
    result = recompute()
    risk.refresh_from_db()
    assert result.evidence_deleted == 1
    assert result.evidence_updated == 1
    assert risk.status == ProductRisk.Status.OPEN
    assert risk.accounts_affected == 2
    assert risk.renewing_accounts == 1
    assert risk.arr_at_risk == Decimal("100000.00")
    assert set(risk.evidence.values_list("account_id", flat=True)) == {
        accounts[1].pk,
        accounts[2].pk,
    }


def test_never_two_flags_for_one_idea(gap, recompute):
    idea, _accounts = gap
    for _ in range(3):
        recompute()
    vote(idea, AccountFactory())
    recompute()
    assert ProductRisk.objects.filter(idea=idea).count() == 1
    assert ProductRisk.objects.get().accounts_affected == 4


def test_dismiss_needs_a_reason_and_reopens_only_when_evidence_grows(gap, recompute, pm):
    idea, _accounts = gap
    recompute()
    risk = ProductRisk.objects.get()
    with pytest.raises(ValidationError):
        risk_services.risk_dismiss(risk, pm, "  ")
    risk_services.risk_dismiss(risk, pm, "Okta is on their side")
    risk.refresh_from_db()
    assert (risk.status, risk.dismissed_accounts, risk.dismissed_by) == ("dismissed", 3, pm)

    recompute()
    risk.refresh_from_db()
    assert risk.status == ProductRisk.Status.DISMISSED

    vote(idea, AccountFactory(arr=Decimal("10")))
    result = recompute()
    risk.refresh_from_db()
    assert result.reopened == 1
    assert risk.status == ProductRisk.Status.OPEN
    assert risk.generation == 2
    assert risk.accounts_affected == 4


def test_acknowledge_and_reopen(gap, recompute, pm):
    recompute()
    risk = risk_services.risk_acknowledge(ProductRisk.objects.get(), pm)
    assert risk.status == ProductRisk.Status.ACKNOWLEDGED
    assert risk.acknowledged_at is not None
    assert risk_services.risk_acknowledge(risk, pm).status == ProductRisk.Status.ACKNOWLEDGED
    risk = risk_services.risk_reopen(risk, pm)
    assert risk.status == ProductRisk.Status.OPEN
    recompute()
    assert ProductRisk.objects.get().status == ProductRisk.Status.OPEN


def test_shipping_resolves_and_planning_plans_through_idea_status_change(gap, recompute, pm):
    idea, accounts = gap
    recompute()
    services.idea_status_change(idea=idea, status=IdeaStatus.PLANNED, actor=pm, notify=False)
    assert ProductRisk.objects.get().status == ProductRisk.Status.PLANNED
    services.idea_status_change(idea=idea, status=IdeaStatus.SHIPPED, actor=pm, notify=False)
    risk = ProductRisk.objects.get()
    assert risk.status == ProductRisk.Status.RESOLVED
    assert risk.resolved_at is not None
    with pytest.raises(ValidationError):
        risk_services.risk_dismiss(risk, pm, "late")

    # The evidence stays as it was at shipping, whatever happens to the accounts after.
    idea.votes.filter(account=accounts[0]).delete()
    recompute()
    risk.refresh_from_db()
    assert risk.status == ProductRisk.Status.RESOLVED
    assert risk.accounts_affected == 3
    assert risk.evidence.count() == 3


def test_a_new_flag_on_a_planned_idea_starts_planned(gap, recompute):
    idea, _accounts = gap
    idea.status = IdeaStatus.IN_PROGRESS
    idea.save()
    recompute()
    assert ProductRisk.objects.get().status == ProductRisk.Status.PLANNED


def test_declining_the_idea_dismisses_its_flag(gap, recompute, pm):
    idea, _accounts = gap
    recompute()
    services.idea_status_change(idea=idea, status=IdeaStatus.DECLINED, actor=pm, notify=False)
    risk = ProductRisk.objects.get()
    assert risk.status == ProductRisk.Status.DISMISSED
    assert risk.dismissed_reason


def test_sync_without_a_flag_is_a_no_op():
    risk_idea_status_sync(idea=IdeaFactory(status=IdeaStatus.SHIPPED))
    assert not ProductRisk.objects.exists()


# --- Notifications ----------------------------------------------------------------


def risk_alerts(kind=risk_notifications.KIND_RISK):
    return Alert.objects.filter(kind=kind)


def test_pms_and_the_csm_are_told_once(gap, recompute, pm, csm):
    second_pm = UserFactory(role=Role.PM)
    UserFactory(role=Role.PM, is_active=False)
    recompute()
    risk = ProductRisk.objects.get()
    assert sorted(risk_alerts().values_list("recipient_id", flat=True)) == sorted(
        [pm.pk, second_pm.pk]
    )
    assert {a.dedupe_key for a in risk_alerts()} == {f"risk:{risk.pk}:g1:low"}
    csm_alert = risk_alerts(risk_notifications.KIND_RISK_ACCOUNTS).get()
    assert csm_alert.recipient == csm
    assert "3 of your accounts" in csm_alert.title
    assert all(f"Acme {n}" in csm_alert.body for n in range(3))
    # Staff take flags as a morning digest unless they chose otherwise.
    assert mail.outbox == []
    assert Alert.objects.filter(email_state=Alert.EmailState.DIGEST).count() == 3
    risk.refresh_from_db()
    assert risk.notified_severity == "low"

    recompute()
    risk_notifications.product_risks_notify(risk_ids=[risk.pk])  # a retried task
    assert Alert.objects.count() == 3
    assert mail.outbox == []


def test_a_severity_rise_tells_pms_again_and_a_new_csm_once(gap, recompute, pm, csm):
    idea, accounts = gap
    recompute()
    for account in accounts:
        AccountHealthFactory(account=account, band="red")
    other_csm = UserFactory(role=Role.CSM)
    globex = AccountFactory(
        name="Globex", csm_owner=other_csm, arr=Decimal("300000"), renews_on=TODAY + timedelta(10)
    )
    vote(idea, globex)
    recompute()
    risk = ProductRisk.objects.get()
    assert risk.severity == "high"
    assert list(risk_alerts().filter(recipient=pm).values_list("dedupe_key", flat=True)) == [
        f"risk:{risk.pk}:g1:high",
        f"risk:{risk.pk}:g1:low",
    ]
    csm_alerts = risk_alerts(risk_notifications.KIND_RISK_ACCOUNTS)
    assert sorted(csm_alerts.values_list("recipient_id", flat=True)) == sorted(
        [csm.pk, other_csm.pk]
    )
    assert "Globex" in csm_alerts.get(recipient=other_csm).body

    # Falling back and rising again to a severity already told: nothing new.
    accounts[0].health.delete()
    recompute()
    AccountHealthFactory(account=accounts[0], band="red")
    recompute()
    assert risk_alerts().filter(recipient=pm).count() == 2


def test_a_reopened_flag_is_a_new_generation_for_everyone(gap, recompute, pm, csm):
    idea, _accounts = gap
    recompute()
    risk_services.risk_dismiss(ProductRisk.objects.get(), pm, "Not now")
    vote(idea, AccountFactory(csm_owner=csm))
    recompute()
    risk = ProductRisk.objects.get()
    keys = set(Alert.objects.filter(recipient__in=[pm, csm]).values_list("dedupe_key", flat=True))
    assert keys == {
        f"risk:{risk.pk}:g1:low",
        f"risk:{risk.pk}:g1:csm",
        f"risk:{risk.pk}:g2:low",
        f"risk:{risk.pk}:g2:csm",
    }


# --- Triggers, the rule -------------------------------------------------------------


def test_votes_queue_a_debounced_recompute(django_capture_on_commit_callbacks, pm):
    """In the embedded mode the task runs inline once committed; it clears the debounce
    key as it starts, so each vote is seen."""
    cache.clear()
    idea = IdeaFactory()
    with django_capture_on_commit_callbacks(execute=True):
        for _ in range(3):
            customer = UserFactory(role=Role.CUSTOMER, contact__account=AccountFactory())
            services.vote_cast(idea=idea, actor=customer)
    assert ProductRisk.objects.get(idea=idea).accounts_affected == 3
    with django_capture_on_commit_callbacks(execute=True):
        services.vote_withdraw(idea=idea, actor=idea.votes.first().user)
    assert ProductRisk.objects.get(idea=idea).accounts_affected == 2


def test_rule_update_validates_and_applies(gap, recompute, pm):
    rule = risk_services.risk_rule()
    assert (rule.min_accounts, rule.arr_threshold) == (3, Decimal("250000"))
    with pytest.raises(ValidationError) as error:
        risk_services.risk_rule_update(pm, medium_score=70, high_score=60)
    assert "high_score" in error.value.message_dict
    with pytest.raises(ValidationError):
        risk_services.risk_rule_update(pm, min_accounts=0)
    with pytest.raises(ValidationError):
        risk_services.risk_rule_update(pm, colour="red")
    risk_services.risk_rule_update(pm, min_accounts=4, arr_threshold=Decimal("0"))
    assert risk_services.risk_rule().updated_by == pm
    recompute()
    assert not ProductRisk.objects.exists()


@pytest.mark.needs_postgres
def test_postgres_copy_path_recompute_is_idempotent(gap, recompute):
    """COPY in and out, temp-table updates and deletes: the PostgreSQL-only code."""
    idea, accounts = gap
    recompute()
    before = (flag_state(), evidence_of(ProductRisk.objects.get()))
    recompute()
    assert (flag_state(), evidence_of(ProductRisk.objects.get())) == before
    idea.votes.filter(account=accounts[0]).delete()
    AccountHealthFactory(account=accounts[1], band="yellow")
    vote(idea, AccountFactory())
    result = recompute()
    assert (result.evidence_inserted, result.evidence_updated, result.evidence_deleted) == (1, 1, 1)


@pytest.mark.needs_postgres
def test_postgres_bulk_insert_rebuilds_the_account_index(gap, recompute, monkeypatch):
    """Past BULK_INSERT_ROWS new rows the (account, risk) index is dropped and built
    again after the insert, in the same transaction: it is there afterwards, and the
    account look-up it serves finds the rows."""
    from django.db import connection

    from productrisk.services import evidence as risk_evidence

    _idea, accounts = gap
    monkeypatch.setattr(risk_evidence, "BULK_INSERT_ROWS", 1)
    assert recompute().evidence_inserted == 3
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_indexes WHERE indexname = 'risk_account_idx'")
        assert cursor.fetchone() == (1,)
    assert ProductRiskAccount.objects.filter(account=accounts[0]).count() == 1


def test_a_flag_whose_votes_are_all_withdrawn_keeps_its_row_with_zero_evidence(gap, recompute):
    idea, _accounts = gap
    recompute()
    idea.votes.all().delete()
    idea.ticket_links.all().delete()
    recompute()
    risk = ProductRisk.objects.get()
    assert risk.status == ProductRisk.Status.OPEN
    assert (risk.accounts_affected, risk.arr_affected, risk.score) == (0, 0, 0)
    assert risk.severity == "low"
    assert not risk.evidence.exists()
