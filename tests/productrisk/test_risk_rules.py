"""The product-risk rule, pure: no database."""

from __future__ import annotations

import pandas as pd
import pytest

from productrisk import rules as risk
from productrisk.rules import Rule

RULE = Rule(
    min_accounts=3,
    arr_threshold=250_000,
    renewal_window_days=90,
    arr_reference=500_000,
    medium_score=35,
    high_score=65,
)


def rows(*items: dict) -> pd.DataFrame:
    """Evidence rows with defaults: idea 1, a vote, 10,000 ARR, green, no renewal."""
    base = {
        "idea_id": 1,
        "by_vote": True,
        "by_ticket": False,
        "arr": 10_000.0,
        "band": "green",
        "renews_soon": False,
        "late_onboarding": False,
    }
    return pd.DataFrame([{**base, **item} for item in items], columns=risk.EVIDENCE_COLUMNS)


def test_two_accounts_do_not_fire_three_do():
    two = risk.summarize(rows({"account_id": 1}, {"account_id": 2}), RULE)
    three = risk.summarize(rows({"account_id": 1}, {"account_id": 2}, {"account_id": 3}), RULE)
    assert two.loc[1, "accounts_affected"] == 2
    assert not two.loc[1, "fires"]
    assert three.loc[1, "accounts_affected"] == 3
    assert three.loc[1, "fires"]


def test_one_account_voting_through_several_contacts_counts_once():
    evidence = rows({"account_id": 1}, {"account_id": 1}, {"account_id": 1}, {"account_id": 2})
    summary = risk.summarize(evidence, RULE)
    assert summary.loc[1, "accounts_affected"] == 2
    assert summary.loc[1, "arr_affected"] == 20_000
    assert not summary.loc[1, "fires"]


def test_csm_vote_customer_vote_and_ticket_of_one_account_count_once():
    """A customer's own vote, a vote a CSM added for a colleague and a linked ticket
    all come from account 1: one affected account, both reasons kept."""
    evidence = rows(
        {"account_id": 1, "by_vote": True},
        {"account_id": 1, "by_vote": True},
        {"account_id": 1, "by_vote": False, "by_ticket": True},
        {"account_id": 2},
    )
    pairs = risk.collapse(evidence)
    assert len(pairs) == 2
    first = pairs.set_index("account_id").loc[1]
    assert first["by_vote"]
    assert first["by_ticket"]
    assert risk.summarize(evidence, RULE).loc[1, "accounts_affected"] == 2


def test_arr_threshold_fires_with_few_accounts():
    evidence = rows({"account_id": 1, "arr": 200_000.0}, {"account_id": 2, "arr": 50_000.0})
    summary = risk.summarize(evidence, RULE)
    assert summary.loc[1, "accounts_affected"] == 2
    assert summary.loc[1, "arr_affected"] == 250_000
    assert summary.loc[1, "fires"]
    below = risk.summarize(rows({"account_id": 1, "arr": 249_999.99}), RULE)
    assert not below.loc[1, "fires"]


def test_arr_threshold_zero_turns_the_arr_path_off():
    rule = Rule(min_accounts=3, arr_threshold=0)
    summary = risk.summarize(rows({"account_id": 1, "arr": 9e9}), rule)
    assert not summary.loc[1, "fires"]


def test_arr_at_risk_counts_red_yellow_and_renewing_accounts():
    evidence = rows(
        {"account_id": 1, "band": "red", "arr": 1_000.10},
        {"account_id": 2, "band": "yellow", "arr": 2_000.20},
        {"account_id": 3, "band": "green", "renews_soon": True, "arr": 4_000.30},
        {"account_id": 4, "band": "green", "arr": 8_000.0, "late_onboarding": True},
        {"account_id": 5, "band": "", "arr": 16_000.0},
    )
    s = risk.summarize(evidence, RULE).loc[1]
    assert s["accounts_affected"] == 5
    assert s["arr_affected"] == pytest.approx(31_000.60, abs=1e-9)
    assert s["arr_at_risk"] == pytest.approx(7_000.60, abs=1e-9)
    assert (s["red_accounts"], s["yellow_accounts"]) == (1, 1)
    assert (s["renewing_accounts"], s["late_onboardings"]) == (1, 1)


def test_ideas_are_summarised_apart():
    evidence = rows(
        {"idea_id": 1, "account_id": 1},
        {"idea_id": 2, "account_id": 1},
        {"idea_id": 2, "account_id": 2},
    )
    summary = risk.summarize(evidence, RULE)
    assert summary["accounts_affected"].to_dict() == {1: 1, 2: 2}


def test_score_exact_values():
    assert risk.score(RULE, arr_at_risk=0, red_accounts=0, renewing_accounts=0) == 0
    assert risk.score(RULE, arr_at_risk=250_000, red_accounts=0, renewing_accounts=0) == 25
    assert risk.score(RULE, arr_at_risk=100_000, red_accounts=1, renewing_accounts=0) == 20
    assert risk.score(RULE, arr_at_risk=500_000, red_accounts=3, renewing_accounts=3) == 100
    assert risk.score(RULE, arr_at_risk=5e9, red_accounts=30, renewing_accounts=30) == 100
    assert risk.score(RULE, arr_at_risk=0, red_accounts=2, renewing_accounts=1) == pytest.approx(
        26.67
    )


@pytest.mark.parametrize(
    ("score", "severity"),
    [(0, "low"), (34.99, "low"), (35, "medium"), (64.99, "medium"), (65, "high"), (100, "high")],
)
def test_severity_thresholds(score, severity):
    assert risk.severity(RULE, score) == severity


def test_score_rises_with_arr_at_risk_red_accounts_and_renewals():
    base = {"arr_at_risk": 100_000.0, "red_accounts": 1, "renewing_accounts": 1}
    start = risk.score(RULE, **base)
    for key, more in (("arr_at_risk", 200_000.0), ("red_accounts", 2), ("renewing_accounts", 2)):
        assert risk.score(RULE, **{**base, key: more}) > start


def test_one_more_affected_account_never_lowers_the_score():
    """Counts, not shares: a new green account joining leaves the score as it was,
    a new red one raises it."""
    evidence = rows(
        {"account_id": 1, "band": "red", "renews_soon": True},
        {"account_id": 2, "band": "red", "renews_soon": True},
        {"account_id": 3, "band": "red", "renews_soon": True},
    )
    before = risk.summarize(evidence, RULE).loc[1, "score"]
    green = pd.concat([evidence, rows({"account_id": 4})])
    red = pd.concat([evidence, rows({"account_id": 4, "band": "red", "arr": 90_000.0})])
    assert risk.summarize(green, RULE).loc[1, "score"] == before
    assert risk.summarize(red, RULE).loc[1, "score"] > before


def test_summary_of_no_evidence_is_empty():
    assert risk.summarize(risk.empty_evidence(), RULE).empty


def test_explain_words_the_rule_and_a_flags_score():
    lines = risk.explain(RULE, {"arr_at_risk": 250_000, "red_accounts": 3, "renewing_accounts": 0})
    text = "\n".join(lines)
    assert "at least 3 distinct accounts" in text
    assert "250,000" in text
    assert "ARR at risk: 25 of 50 points" in text
    assert "Red accounts: 30 of 30 points" in text
    assert lines[-1] == "Score 55: medium."


def test_rule_from_a_row_like_object():
    class Row:
        min_accounts = 4
        arr_threshold = "100000.00"
        renewal_window_days = 60
        arr_reference = "1000000"
        medium_score = 30
        high_score = 70

    rule = Rule.of(Row())
    assert rule.min_accounts == 4
    assert rule.arr_threshold == 100_000.0
    assert risk.explain(Row())[0].startswith("A flag opens when at least 4")
