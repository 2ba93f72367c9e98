"""Portfolio: sorting, filters, preserved parameters and the CSV export."""

from __future__ import annotations

import csv
import io
from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import Account
from core.roles import Role
from tests.accounts.factories import AccountFactory, UserFactory
from tests.actors import ACTORS

pytestmark = [pytest.mark.django_db, pytest.mark.any_day]

PORTFOLIO = reverse("accounts:portfolio")
EXPORT = reverse("accounts:portfolio_export")


def _names(response) -> list[str]:
    return [account.name for account in response.context["page"].object_list]


def _csv(response) -> list[dict[str, str]]:
    assert response.streaming
    body = b"".join(response.streaming_content).decode()
    return list(csv.DictReader(io.StringIO(body)))


@pytest.fixture
def three(db):
    today = timezone.localdate()
    return [
        AccountFactory(name="Bravo", arr=Decimal(300), licensed_seats=5, renews_on=None),
        AccountFactory(
            name="Alpha", arr=Decimal(100), licensed_seats=50, renews_on=today + timedelta(20)
        ),
        AccountFactory(
            name="Charlie", arr=Decimal(200), licensed_seats=10, renews_on=today + timedelta(5)
        ),
    ]


# --- Sorting -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("sort", "direction", "expected"),
    [
        ("name", "asc", ["Alpha", "Bravo", "Charlie"]),
        ("name", "desc", ["Charlie", "Bravo", "Alpha"]),
        ("arr", "desc", ["Bravo", "Charlie", "Alpha"]),
        ("arr", "asc", ["Alpha", "Charlie", "Bravo"]),
        ("seats", "desc", ["Alpha", "Charlie", "Bravo"]),
        ("renewal", "asc", ["Charlie", "Alpha", "Bravo"]),  # no renewal date: last
        ("renewal", "desc", ["Alpha", "Charlie", "Bravo"]),  # ... either way
    ],
)
def test_portfolio_sorts_by_column(client_for, pm, three, sort, direction, expected):
    response = client_for(pm).get(PORTFOLIO, {"sort": sort, "dir": direction})
    assert _names(response) == expected


def test_sorted_column_header_carries_aria_sort_and_links_to_the_other_direction(
    client_for, pm, three
):
    html = client_for(pm).get(PORTFOLIO, {"sort": "arr", "dir": "desc"}).content.decode()
    assert 'aria-sort="descending"' in html
    assert "sort=arr&amp;dir=asc" in html
    # Columns not sorted on start with their natural first direction.
    assert "sort=name&amp;dir=asc" in html
    assert "sort=seats&amp;dir=desc" in html


def test_unknown_sort_and_filter_values_are_ignored(client_for, pm, three):
    response = client_for(pm).get(
        PORTFOLIO, {"sort": "password", "dir": "sideways", "segment": "Nope", "renewal": "7"}
    )
    assert response.status_code == 200
    assert _names(response) == ["Alpha", "Bravo", "Charlie"]


# --- Filters -----------------------------------------------------------------------


def test_filters_by_segment_plan_and_stage(client_for, pm):
    AccountFactory(name="Ent Scale", segment="Enterprise", plan="Scale", lifecycle_stage="adoption")
    AccountFactory(name="Ent Growth", segment="Enterprise", plan="Growth", lifecycle_stage="trial")
    AccountFactory(name="SMB Scale", segment="SMB", plan="Scale", lifecycle_stage="adoption")
    client = client_for(pm)
    assert _names(client.get(PORTFOLIO, {"segment": "Enterprise"})) == ["Ent Growth", "Ent Scale"]
    assert _names(client.get(PORTFOLIO, {"plan": "Scale"})) == ["Ent Scale", "SMB Scale"]
    assert _names(client.get(PORTFOLIO, {"stage": "trial"})) == ["Ent Growth"]
    assert _names(client.get(PORTFOLIO, {"segment": "Enterprise", "plan": "Scale"})) == [
        "Ent Scale"
    ]


@pytest.mark.parametrize(("days", "expected"), [(30, ["Soon"]), (90, ["Later", "Soon"])])
def test_filters_by_renewal_window(client_for, pm, days, expected):
    today = timezone.localdate()
    AccountFactory(name="Soon", renews_on=today + timedelta(days=10))
    AccountFactory(name="Later", renews_on=today + timedelta(days=75))
    AccountFactory(name="Lapsed", renews_on=today - timedelta(days=3))
    AccountFactory(name="Undated", renews_on=None)
    assert _names(client_for(pm).get(PORTFOLIO, {"renewal": days})) == expected


def test_filter_choices_come_from_the_data(client_for, pm):
    AccountFactory(segment="Enterprise", plan="Scale", lifecycle_stage="renewal")
    AccountFactory(segment="SMB", plan="", lifecycle_stage="trial")
    form = client_for(pm).get(PORTFOLIO).context["form"]
    assert [value for value, _ in form.fields["segment"].choices] == ["", "Enterprise", "SMB"]
    assert [value for value, _ in form.fields["plan"].choices] == ["", "Scale"]
    assert [value for value, _ in form.fields["stage"].choices] == ["", "trial", "renewal"]


def test_filter_form_is_labelled_and_offers_clear_filters(client_for, pm, three):
    client = client_for(pm)
    html = client.get(PORTFOLIO).content.decode()
    for field in ("id_segment", "id_plan", "id_stage", "id_renewal", "portfolio-search"):
        assert f'for="{field}"' in html
    assert "Clear filters" not in html
    filtered = client.get(PORTFOLIO, {"scope": "all", "segment": "Mid-market", "sort": "arr"})
    html = filtered.content.decode()
    assert "Clear filters" in html
    assert 'href="?scope=all&amp;sort=arr"' in html  # clears filters, keeps scope and sort


def test_pagination_and_sort_links_keep_every_parameter(client_for, pm):
    AccountFactory.create_batch(30, segment="SMB")
    html = (
        client_for(pm)
        .get(
            PORTFOLIO,
            {"scope": "all", "q": "Company", "segment": "SMB", "sort": "arr", "dir": "asc"},
        )
        .content.decode()
    )
    assert (
        'href="?scope=all&amp;q=Company&amp;segment=SMB&amp;sort=arr&amp;dir=asc&amp;page=2"'
        in html
    )
    # A new sort starts again from page 1 and keeps the filters.
    assert 'href="?scope=all&amp;q=Company&amp;segment=SMB&amp;sort=name&amp;dir=asc"' in html


def test_csm_book_and_filters_combine(client_for, csm):
    AccountFactory(name="Mine SMB", csm_owner=csm, segment="SMB")
    AccountFactory(name="Mine Ent", csm_owner=csm, segment="Enterprise")
    AccountFactory(name="Other SMB", csm_owner=UserFactory(role=Role.CSM), segment="SMB")
    client = client_for(csm)
    assert _names(client.get(PORTFOLIO, {"segment": "SMB"})) == ["Mine SMB"]
    assert _names(client.get(PORTFOLIO, {"segment": "SMB", "scope": "all"})) == [
        "Mine SMB",
        "Other SMB",
    ]


@pytest.mark.parametrize("count", [3, 60])
def test_filtered_sorted_portfolio_query_count_does_not_grow(
    client_for, csm, count, django_assert_max_num_queries
):
    AccountFactory.create_batch(count, csm_owner=csm, segment="SMB")
    client = client_for(csm)
    # session, user, filter choices, count, page of rows, the navigation's unread alert
    # count, the health panel's summary and at-risk rows (healthscores), the saved views
    # of the menu and the CSMs a bulk reassignment offers
    with django_assert_max_num_queries(10):
        response = client.get(
            PORTFOLIO, {"scope": "all", "segment": "SMB", "sort": "arr", "dir": "desc"}
        )
    assert response.status_code == 200


# --- CSV export --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("actor", "expected"),
    list(zip(ACTORS, ["login", 403, 200, 200, 200], strict=True)),
)
def test_export_access(actors, actor, expected):
    response = actors[actor].get(EXPORT)
    if expected == "login":
        assert response.status_code == 302
        assert response["Location"].startswith("/login/?next=")
    else:
        assert response.status_code == expected


def test_export_streams_the_filtered_sorted_list_with_all_columns(client_for, pm, csm):
    AccountFactory(
        name="Northwind",
        external_id="NW-1",
        domain="northwind.example",
        plan="Scale",
        segment="Enterprise",
        arr=Decimal("1234.5"),
        licensed_seats=40,
        lifecycle_stage="adoption",
        csm_owner=csm,
    )
    AccountFactory(name="Acme", segment="Enterprise", arr=Decimal(10))
    AccountFactory(name="Small", segment="SMB")
    response = client_for(pm).get(EXPORT, {"segment": "Enterprise", "sort": "arr", "dir": "desc"})
    assert response["Content-Type"] == "text/csv"
    assert response["Content-Disposition"].startswith('attachment; filename="portfolio-')
    rows = _csv(response)
    assert [row["Name"] for row in rows] == ["Northwind", "Acme"]
    first = rows[0]
    assert list(first) == [
        "Name",
        "External ID",
        "Domain",
        "Plan",
        "Segment",
        "ARR",
        "Licensed seats",
        "Lifecycle stage",
        "CSM e-mail",
        "Started on",
        "Renews on",
    ]
    assert first["External ID"] == "NW-1"
    assert first["ARR"] == "1234.50"
    assert first["Licensed seats"] == "40"
    assert first["Lifecycle stage"] == "adoption"
    assert first["CSM e-mail"] == csm.email
    account = Account.objects.get(external_id="NW-1")
    assert first["Renews on"] == account.renews_on.isoformat()
    assert first["Started on"] == account.started_on.isoformat()


def test_export_neutralises_spreadsheet_formulas(client_for, pm):
    AccountFactory(name='=HYPERLINK("http://evil")')
    rows = _csv(client_for(pm).get(EXPORT))
    assert rows[0]["Name"].startswith("'=")


@pytest.mark.parametrize("count", [3, 60])
def test_export_query_count_does_not_grow(client_for, pm, count, django_assert_max_num_queries):
    AccountFactory.create_batch(count, csm_owner=UserFactory(role=Role.CSM))
    client = client_for(pm)
    with django_assert_max_num_queries(4):  # session, user, filter choices, rows
        rows = _csv(client.get(EXPORT))
    assert len(rows) == count
