"""Renewal outcomes on the account page: who may record one, the rules of the service,
and the history shown."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from accounts.models import RenewalOutcome
from accounts.services import renewal_outcome_record
from tests.accounts.factories import RenewalOutcomeFactory
from tests.actors import ACTORS

pytestmark = pytest.mark.django_db


def _url(account) -> str:
    return reverse("accounts:add_renewal", args=[account.pk])


def _form(**changes) -> dict[str, str]:
    yesterday = timezone.now().date() - timedelta(days=1)
    return {
        "renewed_on": yesterday.isoformat(),
        "outcome": "contracted",
        "arr_before": "20000",
        "arr_after": "15000",
    } | changes


@pytest.mark.parametrize(
    ("actor", "expected"), list(zip(ACTORS, [302, 403, 302, 403, 302], strict=True))
)
def test_who_may_record_an_outcome(actors, account_a, actor, expected):
    response = actors[actor].post(_url(account_a), _form())
    assert response.status_code == expected
    assert RenewalOutcome.objects.count() == (1 if actor in ("csm", "admin") else 0)
    if actor == "anonymous":
        assert "/login" in response["Location"]


def test_a_csm_records_an_outcome_and_sees_it_in_the_history(client_for, csm, account_a):
    client = client_for(csm)
    response = client.post(_url(account_a), _form(), HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    outcome = RenewalOutcome.objects.get()
    assert (outcome.outcome, outcome.arr_after, outcome.recorded_by) == (
        "contracted",
        Decimal("15000"),
        csm,
    )
    page = client.get(reverse("accounts:detail", args=[account_a.pk])).content.decode()
    assert 'id="renewals"' in page
    assert "Contracted" in page
    assert "$15,000" in page


def test_a_second_outcome_the_same_day_is_refused_and_shown_in_place(client_for, csm, account_a):
    existing = RenewalOutcomeFactory(account=account_a)
    client = client_for(csm)
    form = _form(renewed_on=existing.renewed_on.isoformat())
    response = client.post(_url(account_a), form, HTTP_HX_REQUEST="true")
    assert "already has an outcome on this date" in response.content.decode()
    plain = client.post(_url(account_a), form)
    assert plain.status_code == 400
    assert "Nothing was saved" in plain.content.decode()
    assert RenewalOutcome.objects.count() == 1


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"renewed_on": timezone.now().date() + timedelta(days=2)}, "renewed_on"),
        ({"outcome": "lost"}, "outcome"),
        ({"arr_before": Decimal(-1)}, "arr_before"),
        ({"outcome": "churned", "arr_after": Decimal(5)}, "arr_after"),
    ],
)
def test_the_service_refuses_what_the_import_refuses(csm, account_a, changes, field):
    values = {
        "renewed_on": timezone.now().date() - timedelta(days=1),
        "outcome": "renewed",
        "arr_before": Decimal(100),
        "arr_after": Decimal(100),
    } | changes
    with pytest.raises(ValidationError) as refused:
        renewal_outcome_record(account=account_a, actor=csm, **values)
    assert set(refused.value.message_dict) == {field}
    assert not RenewalOutcome.objects.exists()
