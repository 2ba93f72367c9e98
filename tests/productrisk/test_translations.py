"""Product risk in Spanish and Greek: the rule explained in whole sentences with the
language's money, and a flag's page with its amounts in the reader's format."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import translation

from productrisk import rules
from tests.accounts.factories import AccountFactory
from tests.productrisk.factories import flag_with_accounts


@pytest.mark.parametrize(
    ("language", "opening"),
    [
        (
            "es",
            "Se abre una alerta cuando hay al menos 3 cuentas distintas afectadas (por el voto "
            "de cualquiera de sus contactos, un voto que un CSM añadió en su nombre o un "
            "ticket vinculado; cada cuenta se contabiliza una sola vez), o cuando el ARR de "
            "las cuentas afectadas alcanza 250.000\xa0$.",
        ),
        ("el", "ή όταν το ARR των επηρεαζόμενων λογαριασμών φτάνει τα 250.000\xa0$."),
    ],
)
def test_the_rule_is_explained_in_whole_sentences_with_local_money(language, opening):
    with translation.override(language):
        lines = rules.explain(rules.Rule())
    assert opening in lines[0]


def test_a_rule_without_an_arr_threshold_leaves_the_clause_out():
    with translation.override("es"):
        first = rules.explain(rules.Rule(min_accounts=1, arr_threshold=0))[0]
    assert first.startswith("Se abre una alerta cuando hay al menos 1 cuenta afectada")
    assert "ARR" not in first


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["es", "el"])
def test_a_flags_page_shows_amounts_in_the_readers_format(client_for, pm, language):
    accounts = [AccountFactory(arr=Decimal("120500")), AccountFactory(arr=Decimal("80000"))]
    flag = flag_with_accounts(accounts, idea__title="Audit log export")
    response = client_for(pm).get(
        reverse("productrisk:risk", args=[flag.pk]), HTTP_ACCEPT_LANGUAGE=language
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "200.500\xa0$" in html
    assert "$200,500" not in html
