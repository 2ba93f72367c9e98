"""Triage as a queue: undecided ideas, oldest first or by demand, a count in the header,
likely duplicates one click from the merge confirmation, and the roadmap from the row."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from feedback.models import Idea
from feedback.statuses import IdeaStatus
from tests.accounts.factories import AccountFactory, ContactFactory
from tests.feedback.factories import IdeaFactory, VoteFactory, demand_refresh
from tests.roadmap.factories import RoadmapItemFactory

pytestmark = pytest.mark.django_db

TRIAGE = reverse("feedback:triage")


def _aged(title: str, days: int, status: str = IdeaStatus.OPEN) -> Idea:
    idea = IdeaFactory(title=title, status=status)
    Idea.objects.filter(pk=idea.pk).update(created_at=timezone.now() - timedelta(days=days))
    return idea


def _titles(response) -> list[str]:
    return [idea.title for idea in response.context["page"].object_list]


def test_queue_lists_undecided_ideas_oldest_first(client_for, pm):
    _aged("Newer open idea", 1)
    _aged("Oldest open idea", 30)
    _aged("Under review", 10, IdeaStatus.UNDER_REVIEW)
    for status in (IdeaStatus.PLANNED, IdeaStatus.SHIPPED, IdeaStatus.DECLINED):
        _aged(f"Decided {status}", 60, status)
    response = client_for(pm).get(TRIAGE)
    assert _titles(response) == ["Oldest open idea", "Under review", "Newer open idea"]
    assert response.context["is_queue"]


def test_queue_by_demand_puts_the_most_revenue_first(client_for, pm):
    small, big = _aged("Small demand", 30), _aged("Big demand", 1)
    VoteFactory(idea=small, contact=ContactFactory(account=AccountFactory(arr=Decimal(100))))
    VoteFactory(idea=big, contact=ContactFactory(account=AccountFactory(arr=Decimal(90_000))))
    demand_refresh()
    client = client_for(pm)
    response = client.get(TRIAGE)
    by_demand = next(o for o in response.context["queue_orders"] if o["sort"] == "arr")
    assert not by_demand["active"]
    response = client.get(TRIAGE, {"sort": "arr", "dir": "desc"})
    assert _titles(response) == ["Big demand", "Small demand"]


def test_a_decision_takes_the_idea_out_of_the_queue_and_other_views_stay(client_for, pm):
    idea = _aged("Dark mode", 3)
    client = client_for(pm)
    assert _titles(client.get(TRIAGE)) == ["Dark mode"]
    client.post(reverse("feedback:idea_status", args=[idea.pk]), {"status": "declined"})
    assert _titles(client.get(TRIAGE)) == []
    assert _titles(client.get(TRIAGE, {"status": "all"})) == ["Dark mode"]
    assert _titles(client.get(TRIAGE, {"status": "declined"})) == ["Dark mode"]


def test_header_counts_the_queue_for_pms_in_constant_queries(
    client_for, pm, customer_a, django_assert_max_num_queries
):
    _aged("One", 1)
    _aged("Two", 2, IdeaStatus.UNDER_REVIEW)
    _aged("Planned", 2, IdeaStatus.PLANNED)
    client = client_for(pm)
    html = client.get(reverse("feedback:board")).content.decode()
    assert '2<span class="visually-hidden"> ideas to triage</span>' in html
    with django_assert_max_num_queries(20) as few:
        client.get(reverse("feedback:board"))
    for n in range(20):
        _aged(f"More {n}", n)
    with django_assert_max_num_queries(20) as many:
        html = client.get(reverse("feedback:board")).content.decode()
    assert len(many.captured_queries) == len(few.captured_queries)
    assert "22<span" in html
    customer_html = client_for(customer_a).get(reverse("feedback:board")).content.decode()
    assert "ideas to triage" not in customer_html


def test_rows_show_status_badges_roadmap_link_and_lazy_duplicates(client_for, pm):
    idea = _aged("Export any table to CSV", 2)
    response = client_for(pm).get(TRIAGE)
    html = response.content.decode()
    assert 'class="badge status-open"' in html
    assert f"{reverse('roadmap:editor')}?link_idea={idea.pk}" in html
    assert reverse("feedback:duplicates", args=[idea.pk]) in html


def test_duplicates_link_to_the_merge_confirmation(client_for, pm):
    source = _aged("Export health table to CSV", 1)
    twin = _aged("Export any table to CSV", 20, IdeaStatus.PLANNED)
    _aged("Slack alerts", 5)
    client = client_for(pm)
    response = client.get(reverse("feedback:duplicates", args=[source.pk]))
    assert [other.pk for other in response.context["similar"]] == [twin.pk]
    confirm = f"{reverse('feedback:merge', args=[source.pk])}?target={twin.pk}"
    html = response.content.decode()
    assert confirm in html
    page = client.get(reverse("feedback:merge", args=[source.pk]), {"target": twin.pk})
    assert page.status_code == 200
    assert page.context["preview"] is not None


@pytest.mark.parametrize(
    ("role", "expected"), [("pm", 200), ("admin_user", 200), ("csm", 403), ("customer_a", 403)]
)
def test_duplicates_are_for_product_roles(request, client_for, role, expected):
    idea = _aged("Anything", 1)
    user = request.getfixturevalue(role)
    response = client_for(user).get(reverse("feedback:duplicates", args=[idea.pk]))
    assert response.status_code == expected


def test_idea_page_shows_the_roadmap_item_and_quarter(client_for, pm, customer_a):
    idea = _aged("Scheduled exports", 1)
    public = RoadmapItemFactory(title="Exports v2", target_quarter="2027-Q2", is_public=True)
    draft = RoadmapItemFactory(title="Secret draft", is_public=False)
    public.ideas.add(idea)
    draft.ideas.add(idea)
    url = reverse("feedback:idea", args=[idea.pk])
    pm_html = client_for(pm).get(url).content.decode()
    assert "Exports v2" in pm_html
    assert "target 2027-Q2" in pm_html
    assert "Secret draft" in pm_html
    assert f"?link_idea={idea.pk}" in pm_html  # "Put on the roadmap"
    customer_html = client_for(customer_a).get(url).content.decode()
    assert "Exports v2" in customer_html
    assert "target 2027-Q2" in customer_html
    assert "Secret draft" not in customer_html
    assert "Put on the roadmap" not in customer_html
