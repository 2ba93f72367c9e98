"""Reads behind the idea board, an idea's page and the on-behalf vote form.

Privacy is decided here, not in templates: a customer's page data never carries another
account's name, revenue, health, contacts or e-mail addresses, so no template mistake
can show them. Counts come from the counters stored on the idea; votes are never
counted on read for the board.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet, Value
from django.db.models.fields import BooleanField
from django.http import Http404

from accounts.models import Account, Contact
from core.roles import Role
from feedback import policies
from feedback.models import Category, Comment, Follow, Idea, StatusChange, Tag, Vote
from feedback.search import ideas_matching, ideas_similar
from feedback.statuses import VOTABLE_STATUSES, IdeaStatus

#: Sort key -> ORDER BY; each matches one of the board indexes on Idea (idea_top_idx,
#: idea_trending_idx, idea_newest_idx), so a page is the head of an index scan.
BOARD_SORTS: dict[str, tuple[str, ...]] = {
    "top": ("-vote_count", "-id"),
    "trending": ("-trend_score", "-id"),
    "newest": ("-created_at", "-id"),
}
DEFAULT_SORT = "top"
#: Statuses the board can be filtered by: a merged idea is only a redirect.
BOARD_STATUSES = tuple(s for s in IdeaStatus if s != IdeaStatus.MERGED)
SIMILAR_LIMIT = 5
#: Hops followed from a merged idea to the idea that lives on; a cycle cannot loop.
MERGE_CHAIN_LIMIT = 10
#: Public comments an idea's page shows at first, and each "Show earlier comments" adds:
#: the latest ones, so a long thread stays a page and a new comment is always in view.
COMMENTS_PAGE = 20
VOTING_ACCOUNTS_LIMIT = 50


def _voted_by(user) -> Exists | Value:
    """Whether the viewer's vote is on the idea: a customer votes as their contact.

    Staff never vote for themselves (they add votes on behalf of contacts), so the
    answer is a constant and costs nothing.
    """
    if user.role == Role.CUSTOMER and user.contact_id is not None:
        return Exists(Vote.objects.filter(idea=OuterRef("pk"), contact_id=user.contact_id))
    return Value(False, output_field=BooleanField())


def board_ideas(
    *,
    user,
    sort: str = "",
    status: str = "",
    category: Category | None = None,
    tag: Tag | None = None,
    search: str = "",
) -> QuerySet[Idea]:
    """The board's ideas for ``user``, filtered and ordered, each with ``viewer_voted``.

    With a search and no sort chosen, the best matches come first; a chosen sort wins.
    Rows carry their category and tags (one prefetch query for the page).
    """
    ideas = Idea.objects.visible_to(user).on_board()
    if status:
        ideas = ideas.filter(status=status)
    if category is not None:
        ideas = ideas.filter(category=category)
    if tag is not None:
        ideas = ideas.filter(tags=tag)
    if search:
        ideas = ideas_matching(ideas, search)
        if sort in BOARD_SORTS:
            ideas = ideas.order_by(*BOARD_SORTS[sort])
    else:
        ideas = ideas.order_by(*BOARD_SORTS.get(sort, BOARD_SORTS[DEFAULT_SORT]))
    return (
        ideas.select_related("category")
        .prefetch_related(Prefetch("tags", queryset=Tag.objects.order_by("name")))
        .annotate(viewer_voted=_voted_by(user))
    )


@dataclass(frozen=True)
class BoardChoices:
    categories: list[Category]
    tags: list[Tag]


def board_filter_choices() -> BoardChoices:
    return BoardChoices(categories=list(Category.objects.all()), tags=list(Tag.objects.all()))


def similar_ideas(
    text: str,
    *,
    language: str,
    exclude: Collection[int] = (),
    limit: int = SIMILAR_LIMIT,
    user=None,
) -> list[Idea]:
    """Board ideas that may be the one ``text`` asks for: the similar-ideas box under a
    title being typed, and duplicate suggestions in triage (``feedback.search``).

    ``language`` is the language ``text`` is written in; ``exclude`` the ideas not to
    suggest (the idea being edited or triaged). With ``user``, only ideas they may see.
    """
    ideas = Idea.objects.on_board()
    if user is not None:
        ideas = ideas.visible_to(user)
    if exclude:
        ideas = ideas.exclude(pk__in=exclude)
    return list(ideas_similar(ideas, text, language=language)[:limit])


# --- One idea -----------------------------------------------------------------------


@dataclass(frozen=True)
class Authored:
    """A comment or idea with how its author may be shown to the viewer."""

    name: str
    is_team: bool
    #: The author's account, for staff viewers only; None for customers.
    account: Account | None = None


def _authored(person, *, viewer) -> Authored:
    staff_viewer = viewer.role != Role.CUSTOMER
    is_customer = person is not None and person.role == Role.CUSTOMER
    account = None
    if staff_viewer and is_customer and person.contact_id is not None:
        account = person.contact.account
    return Authored(
        name=policies.display_name(person, viewer=viewer),
        is_team=person is not None and not is_customer,
        account=account,
    )


@dataclass(frozen=True)
class CommentRow:
    comment: Comment
    author: Authored


@dataclass(frozen=True)
class VotingAccount:
    account_id: int
    name: str
    arr: Any
    band: str | None
    votes: int
    added_by_csm: int


@dataclass(frozen=True)
class Demand:
    """Who is behind the votes: staff only, never built for a customer."""

    from_customers: int
    added_by_csms: int
    accounts: list[VotingAccount]
    more_accounts: int


@dataclass(frozen=True)
class CommentSlice:
    """The latest public comments before a point, oldest first, and whether earlier
    ones remain (``earlier_than``: the pk of the first shown, for the next slice)."""

    rows: list[CommentRow]
    has_earlier: bool

    @property
    def earlier_than(self) -> int | None:
        return self.rows[0].comment.pk if self.rows else None


@dataclass
class IdeaPage:
    idea: Idea
    author: Authored
    tags: list[Tag]
    history: list[StatusChange]
    comments: CommentSlice
    internal_comments: list[CommentRow]
    viewer_voted: bool
    viewer_follows: bool
    can_vote: bool
    demand: Demand | None = None

    @property
    def is_open_for_votes(self) -> bool:
        return self.idea.status in VOTABLE_STATUSES


class IdeaMerged(Exception):
    """The idea asked for was merged; its page is the target's page."""

    def __init__(self, target: Idea | None) -> None:
        super().__init__(target)
        self.target = target


def merged_target(*, user, idea: Idea) -> Idea | None:
    """The idea a merged idea lives on as, following the chain of merges.

    None when the chain is broken or loops, so the merged idea shows its own page.
    """
    ideas = Idea.objects.visible_to(user).only("pk", "status", "merged_into")
    seen = {idea.pk}
    current: Idea | None = idea
    for _hop in range(MERGE_CHAIN_LIMIT):
        if current.merged_into_id is None or current.merged_into_id in seen:
            return None
        current = ideas.filter(pk=current.merged_into_id).first()
        if current is None:
            return None
        if current.status != IdeaStatus.MERGED:
            return current
        seen.add(current.pk)
    return None


def idea_for_user(*, user, pk: int) -> Idea:
    """The idea for writes (vote, follow, comment, edit) if ``user`` may see it."""
    try:
        return Idea.objects.visible_to(user).get(pk=pk)
    except Idea.DoesNotExist as exc:
        raise Http404 from exc


def _comment_authors(user) -> tuple[str, ...]:
    # Staff pages show a customer's account; a customer's page never loads it.
    if user.role == Role.CUSTOMER:
        return ("author",)
    return ("author", "author__contact__account")


def comment_slice(
    *, user, idea: Idea, count: int = COMMENTS_PAGE, before: int | None = None
) -> CommentSlice:
    """The ``count`` latest public comments of ``idea`` (before the comment ``before``),
    oldest first: one query, whatever the length of the thread."""
    comments = Comment.objects.filter(idea=idea, is_internal=False).select_related(
        *_comment_authors(user)
    )
    if before is not None:
        comments = comments.filter(pk__lt=before)
    latest = list(comments.order_by("-created_at", "-pk")[: count + 1])
    rows = [
        CommentRow(comment=comment, author=_authored(comment.author, viewer=user))
        for comment in reversed(latest[:count])
    ]
    return CommentSlice(rows=rows, has_earlier=len(latest) > count)


def idea_page(*, user, pk: int, comments_shown: int = COMMENTS_PAGE) -> IdeaPage:
    """Everything an idea's page shows to ``user``, in a fixed number of queries; the
    latest ``comments_shown`` public comments."""
    staff = user.role != Role.CUSTOMER
    related = ["category", "author"]
    if staff:
        related.append("author__contact__account")
    idea = (
        Idea.objects.visible_to(user)
        .select_related(*related)
        .annotate(viewer_voted=_voted_by(user))
        .annotate(
            viewer_follows=Exists(Follow.objects.filter(idea=OuterRef("pk"), user_id=user.pk))
        )
        .filter(pk=pk)
        .first()
    )
    if idea is None:
        raise Http404
    if idea.status == IdeaStatus.MERGED:
        target = merged_target(user=user, idea=idea)
        if target is not None:
            raise IdeaMerged(target)
    internal = []
    if staff:
        notes = Comment.objects.filter(idea=idea, is_internal=True)
        internal = [
            CommentRow(comment=comment, author=_authored(comment.author, viewer=user))
            for comment in notes.select_related(*_comment_authors(user))
        ]
    return IdeaPage(
        idea=idea,
        author=_authored(idea.author, viewer=user),
        tags=list(idea.tags.order_by("name")),
        history=list(StatusChange.objects.filter(idea=idea)),
        comments=comment_slice(user=user, idea=idea, count=comments_shown),
        internal_comments=internal,
        viewer_voted=idea.viewer_voted,
        viewer_follows=idea.viewer_follows,
        can_vote=user.role == Role.CUSTOMER and user.contact_id is not None,
        demand=idea_demand(idea=idea) if staff else None,
    )


def idea_demand(*, idea: Idea) -> Demand:
    """Votes split by who cast them, and the voting accounts, for the vendor's staff."""
    votes = Vote.objects.filter(idea=idea)
    totals = votes.aggregate(
        customers=Count("pk", filter=Q(added_by__isnull=True)),
        csms=Count("pk", filter=Q(added_by__isnull=False)),
        accounts=Count("account", distinct=True),
    )
    rows = (
        votes.values(
            "account_id", "account__name", "account__arr", "account__health__effective_band"
        )
        .annotate(votes=Count("pk"), added=Count("pk", filter=Q(added_by__isnull=False)))
        .order_by("-votes", "-account__arr", "account__name")[:VOTING_ACCOUNTS_LIMIT]
    )
    accounts = [
        VotingAccount(
            account_id=row["account_id"],
            name=row["account__name"],
            arr=row["account__arr"],
            band=row["account__health__effective_band"],
            votes=row["votes"],
            added_by_csm=row["added"],
        )
        for row in rows
    ]
    return Demand(
        from_customers=totals["customers"],
        added_by_csms=totals["csms"],
        accounts=accounts,
        more_accounts=max(0, totals["accounts"] - len(accounts)),
    )


# --- Vote on behalf -----------------------------------------------------------------

ACCOUNT_CHOICES_LIMIT = 50


def accounts_for_on_behalf(*, user, search: str = "") -> list[Account]:
    """Accounts a CSM may add a vote for, matching a search; the CSM's own book first."""
    accounts = Account.objects.visible_to(user).only("pk", "name", "domain", "csm_owner_id")
    search = search.strip()
    if search:
        accounts = accounts.filter(Q(name__icontains=search) | Q(domain__icontains=search))
    return list(
        accounts.annotate(mine=Q(csm_owner_id=user.pk)).order_by("-mine", "name")[
            :ACCOUNT_CHOICES_LIMIT
        ]
    )


def contacts_for_on_behalf(*, user, account: Account, idea: Idea) -> list[Contact]:
    """The account's contacts, each with ``has_voted`` on the idea."""
    return list(
        Contact.objects.visible_to(user)
        .filter(account=account)
        .annotate(has_voted=Exists(Vote.objects.filter(idea=idea, contact=OuterRef("pk"))))
        .order_by("name")
    )
