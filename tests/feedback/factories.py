from __future__ import annotations

import factory
from factory.django import DjangoModelFactory

from core.roles import Role
from feedback.models import Category, Comment, Follow, Idea, Tag, Vote
from tests.accounts.factories import ContactFactory, UserFactory


class CategoryFactory(DjangoModelFactory):
    class Meta:
        model = Category
        django_get_or_create = ["slug"]

    name = factory.Sequence(lambda n: f"Category {n}")
    slug = factory.Sequence(lambda n: f"category-{n}")


class TagFactory(DjangoModelFactory):
    class Meta:
        model = Tag
        django_get_or_create = ["slug"]

    name = factory.Sequence(lambda n: f"tag{n}")
    slug = factory.LazyAttribute(lambda o: o.name)


class IdeaFactory(DjangoModelFactory):
    """An idea as stored; its counters start at zero. Use VoteFactory or the services
    to add votes, which keep ``vote_count`` exact."""

    class Meta:
        model = Idea

    title = factory.Sequence(lambda n: f"Idea number {n}")
    description = "It would help us a lot."
    description_html = "<p>It would help us a lot.</p>"
    author = factory.SubFactory(UserFactory, role=Role.CUSTOMER)


class VoteFactory(DjangoModelFactory):
    """A vote row plus the counter it moves, as ``vote_cast`` would."""

    class Meta:
        model = Vote

    idea = factory.SubFactory(IdeaFactory)
    contact = factory.SubFactory(ContactFactory)
    account = factory.SelfAttribute("contact.account")

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        from django.db.models import F

        vote = super()._create(model_class, *args, **kwargs)
        Idea.objects.filter(pk=vote.idea_id).update(vote_count=F("vote_count") + 1)
        return vote


class FollowFactory(DjangoModelFactory):
    class Meta:
        model = Follow

    idea = factory.SubFactory(IdeaFactory)
    user = factory.SubFactory(UserFactory, role=Role.CUSTOMER)


class CommentFactory(DjangoModelFactory):
    class Meta:
        model = Comment

    idea = factory.SubFactory(IdeaFactory)
    author = factory.SubFactory(UserFactory, role=Role.CUSTOMER)
    body = "Same here."
    body_html = "<p>Same here.</p>"


def demand_refresh(today=None):
    """Store every idea's demand as the product-risk recompute does after votes: the
    triage table reads those stored figures (IdeaDemand), not live counts."""
    from productrisk.services.flags import product_risk_recompute

    return product_risk_recompute(today=today, notify=False)
