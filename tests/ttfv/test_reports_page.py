"""The onboarding reports page and the cohorts API: who may open them, what they show,
filters, empty states and a constant number of queries."""

from __future__ import annotations

import json

import pytest
from django.urls import reverse

from tests.accounts.factories import AccountFactory, UserFactory
from tests.actors import ACTORS
from tests.ttfv.factories import OnboardingFactory

pytestmark = [pytest.mark.django_db, pytest.mark.any_day]

LOGIN, OK, FORBIDDEN, UNAUTHORIZED = "login", 200, 403, 401


@pytest.mark.parametrize(
    ("actor", "expected"), list(zip(ACTORS, [LOGIN, FORBIDDEN, OK, OK, OK], strict=True))
)
def test_reports_page_is_for_staff(actors, actor, expected):
    response = actors[actor].get(reverse("ttfv:reports"))
    if expected == LOGIN:
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login") + "?next=")
    else:
        assert response.status_code == expected


@pytest.mark.parametrize(
    ("actor", "expected"),
    list(zip(ACTORS, [UNAUTHORIZED, FORBIDDEN, OK, OK, OK], strict=True)),
)
def test_cohorts_api_is_for_staff(actors, actor, expected):
    response = actors[actor].get(reverse("api-ttfv-cohorts"), HTTP_ACCEPT="application/json")
    assert response.status_code == expected
    if expected != OK:
        assert "detail" in response.json()


def figure(response, element_id: str) -> dict:
    html = response.content.decode()
    start = html.index(f'<script id="{element_id}" type="application/json">') + len(
        f'<script id="{element_id}" type="application/json">'
    )
    return json.loads(html[start : html.index("</script>", start)])


def test_page_shows_headline_charts_and_tables(client_for, csm):
    OnboardingFactory(ttfv=20)
    OnboardingFactory(ttfv=40)
    OnboardingFactory(ttfv=90)
    OnboardingFactory(ttfv=None)  # 100 days in, target 60: late, decided
    response = client_for(csm).get(reverse("ttfv:reports"))
    assert response.status_code == 200
    report = response.context["report"]
    assert report.summary["started"] == 4
    assert report.summary["median_ttfv_days"] == 40.0
    assert report.summary["within_target_pct"] == 50.0
    html = response.content.decode()
    for element_id in ("ttfv-distribution-data", "ttfv-cohorts-data", "ttfv-trend-data"):
        assert f'data-plotly-figure="{element_id}"' in html
    distribution = figure(response, "ttfv-distribution-data")
    assert distribution["layout"]["title"]["text"] == "Time to first value"
    assert distribution["layout"]["annotations"][0]["text"] == "Target: 60 days"
    assert "vendor/plotly.min.js" in html
    assert "js/charts.js" in html
    assert "How these numbers are counted" in html
    assert "2 of 4 decided" in html  # the headline names its denominator
    assert "<caption" in html


def test_the_target_line_is_the_most_common_target(client_for, pm):
    OnboardingFactory.create_batch(2, target_days=30, ttfv=10)
    OnboardingFactory(target_days=90, ttfv=10)
    response = client_for(pm).get(reverse("ttfv:reports"))
    assert response.context["report"].target_days == 30


def test_filters_narrow_the_report(client_for, csm):
    owner = UserFactory(role="csm")
    OnboardingFactory(account=AccountFactory(segment="SMB", plan="Starter"), ttfv=10)
    OnboardingFactory(
        account=AccountFactory(segment="Enterprise", plan="Growth", csm_owner=owner), ttfv=50
    )
    OnboardingFactory(account=AccountFactory(plan="Enterprise"), days_ago=400, ttfv=70)
    client = client_for(csm)
    url = reverse("ttfv:reports")

    def started(**params) -> int:
        return client.get(url, params).context["report"].summary["started"]

    assert started() == 3
    assert started(segment="SMB") == 1
    assert started(plan="Growth") == 1
    assert started(csm=owner.pk) == 1
    recent = client.get(url).context["report"].months[-1]["group"]
    assert started(start_from=recent) == 2
    assert started(start_to=recent) == 3
    older = client.get(url).context["report"].months[0]["group"]
    assert started(start_from=older, start_to=older) == 1


def test_invalid_filters_are_explained_and_ignored(client_for, csm):
    OnboardingFactory(ttfv=10)
    response = client_for(csm).get(
        reverse("ttfv:reports"), {"start_from": "January", "segment": "Nope"}
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Enter a month as YYYY-MM" in html
    assert response.context["report"].summary["started"] == 1


def test_a_month_range_backwards_is_an_error(client_for, csm):
    response = client_for(csm).get(
        reverse("ttfv:reports"), {"start_from": "2026-05", "start_to": "2026-02"}
    )
    assert "Pick a month on or after" in response.content.decode()


def test_empty_states(client_for, csm):
    client = client_for(csm)
    html = client.get(reverse("ttfv:reports")).content.decode()
    assert "No onboardings have started yet" in html
    assert "plotly" not in html
    OnboardingFactory(account=AccountFactory(segment="SMB"))
    html = client.get(reverse("ttfv:reports"), {"plan": "Enterprise"}).content.decode()
    assert "No onboardings match these filters" not in html  # unknown plan: ignored
    html = client.get(reverse("ttfv:reports"), {"start_from": "2000-01", "start_to": "2000-02"})
    assert "No onboardings match these filters" in html.content.decode()


def test_page_runs_a_constant_number_of_queries(
    client_for, csm, django_assert_max_num_queries, django_assert_num_queries
):
    client = client_for(csm)
    OnboardingFactory(ttfv=10)
    client.get(reverse("ttfv:reports"))  # warm the session and the template cache
    # session, user, onboardings, filter choices (2), the navigation's alert count
    with django_assert_num_queries(6) as few:
        client.get(reverse("ttfv:reports"))
    for index in range(30):
        OnboardingFactory(
            account=AccountFactory(segment=f"S{index % 4}", plan=f"P{index % 3}"),
            days_ago=30 + 11 * index,
            ttfv=None if index % 5 == 0 else index,
        )
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(reverse("ttfv:reports")).status_code == 200
