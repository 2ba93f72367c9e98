"""TTFV as a health measure, added through the health measure registry.

Accounts still onboarding get a raw value: the share of their target already used
without first value (0.5 = half the time gone). Accounts not onboarding on the day
scored (not started, or first value reached) have no value, so the measure drops out of
their score instead of rewarding or punishing them for it.
"""

from __future__ import annotations

import pandas as pd
from django.utils.translation import gettext_lazy as _

from healthscores.extensions import (
    LOWER,
    Evidence,
    Family,
    MeasureType,
    RawContext,
    register_evidence,
    register_family,
    register_measure,
)
from ttfv.models import Onboarding
from ttfv.rules import time_used

MEASURE = MeasureType(
    key="ttfv",
    label=_("Time to first value"),
    description=_("Share of the onboarding target used without first value."),
    family="onboarding",
    column="ttfv",
    unit="ratio",
    direction=LOWER,
    points=((0.5, 100), (0.75, 70), (1.0, 40), (1.5, 0)),
    weight=15,
    evidence="onboarding",
)


def load_onboarding(ctx: RawContext) -> pd.DataFrame:
    rows = Onboarding.objects.filter(ctx.scope).values_list(
        "account_id", "started_on", "first_value_on", "target_days"
    )
    frame = pd.DataFrame.from_records(
        list(rows), columns=["account_id", "started_on", "first_value_on", "target_days"]
    ).set_index("account_id")
    if frame.empty:
        return pd.DataFrame({"ttfv": pd.Series(dtype="float64")})
    used = time_used(frame["started_on"], frame["first_value_on"], frame["target_days"], ctx.day)
    return pd.DataFrame({"ttfv": used.astype("float64")})


def register() -> None:
    register_family(Family("onboarding", load_onboarding))
    register_measure(MEASURE)
    # The onboarding section of the account page (ttfv's AccountSection) shows the data.
    register_evidence("onboarding", Evidence("onboarding", _("onboarding milestones")))
