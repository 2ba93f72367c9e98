"""Each board rule lives once, in the service that performs the action: the page and the
API reach the same decision because they call the same service (feedback.policies)."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from core.roles import Role
from feedback import policies, services
from feedback.forms import IdeaForm
from feedback.models import Vote
from feedback.statuses import IdeaStatus
from tests.accounts.factories import ContactFactory, UserFactory
from tests.feedback.factories import IdeaFactory

pytestmark = pytest.mark.django_db


def test_only_the_author_edits_an_open_idea_and_nobody_a_merged_one(customer_a, customer_b, pm):
    idea = IdeaFactory(author=customer_a)
    services.idea_update(
        idea=idea, actor=customer_a, title="Better words", description="", category=None
    )
    with pytest.raises(PermissionDenied):
        services.idea_update(
            idea=idea, actor=customer_b, title="Mine now", description="", category=None
        )
    idea.status = IdeaStatus.PLANNED
    idea.save()
    with pytest.raises(PermissionDenied):
        services.idea_update(
            idea=idea, actor=customer_a, title="Too late", description="", category=None
        )
    services.idea_update(
        idea=idea, actor=pm, title="Planned wording", description="", category=None
    )
    merged = IdeaFactory(status=IdeaStatus.MERGED, merged_into=idea)
    with pytest.raises(services.IdeaMerged) as caught:
        services.idea_update(idea=merged, actor=pm, title="Nope", description="", category=None)
    assert caught.value.target_id == idea.pk


def test_comments_close_for_customers_but_not_for_the_team(customer_a, csm):
    idea = IdeaFactory(status=IdeaStatus.SHIPPED)
    with pytest.raises(ValidationError) as caught:
        services.comment_add(idea=idea, author=customer_a, body="Still broken for us")
    assert caught.value.code == "comments_closed"
    assert services.comment_add(idea=idea, author=csm, body="Shipped in 4.2").pk
    with pytest.raises(PermissionDenied):
        services.comment_add(idea=idea, author=customer_a, body="psst", internal=True)


def test_customers_vote_as_themselves_and_only_the_team_votes_for_others(customer_a, csm):
    idea = IdeaFactory()
    other = ContactFactory(account=customer_a.contact.account)
    with pytest.raises(PermissionDenied):
        services.vote_on_behalf(idea=idea, contact=other, actor=customer_a)
    with pytest.raises(PermissionDenied):
        services.vote_cast(idea=idea, actor=customer_a, contact_id=other.pk)
    with pytest.raises(ValidationError):
        services.vote_cast(idea=idea, actor=customer_a, note="from me")
    with pytest.raises(PermissionDenied):
        services.vote_cast(idea=idea, actor=csm)
    with pytest.raises(ValidationError):
        services.vote_on_behalf(idea=idea, contact=None, actor=csm)
    assert services.vote_cast(idea=idea, actor=customer_a, contact_id=customer_a.contact_id)
    assert services.vote_on_behalf(idea=idea, contact=other, actor=csm, note="QBR")
    assert Vote.objects.filter(idea=idea).count() == 2


def test_the_team_cannot_withdraw_a_vote_the_customer_cast(customer_a, csm):
    idea = IdeaFactory()
    services.vote_cast(idea=idea, actor=customer_a)
    with pytest.raises(PermissionDenied):
        services.vote_withdraw(idea=idea, actor=csm, contact=customer_a.contact)
    heard = ContactFactory()
    services.vote_on_behalf(idea=idea, contact=heard, actor=csm)
    assert services.vote_withdraw(idea=idea, actor=csm, contact=heard) is True
    assert services.vote_withdraw(idea=idea, actor=customer_a) is True


def test_a_title_too_short_is_refused_alike_by_the_page_and_the_api(client_for, customer_a):
    short = "x" * (policies.TITLE_MIN - 1)
    assert "title" in IdeaForm({"title": short}).errors
    response = client_for(customer_a).post(
        reverse("idea-list"), {"title": short}, content_type="application/json"
    )
    assert response.status_code == 400
    assert "title" in response.json()
    # Spaces do not count towards the minimum on either door.
    padded = "a  b" + " " * 10
    assert "title" in IdeaForm({"title": padded}).errors


def test_authors_appear_by_one_rule_on_the_page_and_in_the_api(client_for, customer_a, customer_b):
    staff = UserFactory(role=Role.PM, first_name="Pat", last_name="Product")
    mine = IdeaFactory(author=customer_a)
    theirs = IdeaFactory(author=staff)
    client = client_for(customer_a)
    rows = {row["id"]: row for row in client.get(reverse("idea-list")).json()["results"]}
    assert rows[mine.pk]["author_name"] == policies.display_name(customer_a, viewer=customer_a)
    assert rows[theirs.pk]["author_name"] == "Pat"
    assert policies.display_name(None, viewer=customer_b) == "Former user"


@pytest.mark.parametrize(
    "title", ["Export\nto Excel", "Export\r\nBcc: x@y.z", "Tab\tin title", "Nul\x00here"]
)
def test_a_title_with_a_control_character_is_refused_not_joined(title):
    with pytest.raises(ValidationError) as caught:
        policies.clean_title(title)
    assert caught.value.code == "control_characters"


def test_a_title_is_trimmed_and_its_spaces_joined():
    assert policies.clean_title("  Export   to  Excel ") == "Export to Excel"


def test_a_short_title_is_refused_after_joining_spaces():
    with pytest.raises(ValidationError) as caught:
        policies.clean_title("a   b")
    assert caught.value.code == "min_length"
