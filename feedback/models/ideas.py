"""Ideas customers post, the votes, follows and comments on them, and their links to
support tickets. Counters live on the idea and move in the same transaction as the row
they count, so the board never recounts votes on read."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core.roles import STAFF_ROLES, Role
from feedback.search import ideas_matching
from feedback.statuses import NEEDS_TRIAGE, IdeaStatus


class Category(models.Model):
    name = models.CharField(_("name"), max_length=80, unique=True)
    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("category")
        verbose_name_plural = _("categories")
        ordering = ["position", "name"]

    def __str__(self) -> str:
        return self.name


class Tag(models.Model):
    name = models.CharField(_("name"), max_length=50, unique=True)
    slug = models.SlugField(_("slug"), max_length=50, unique=True)

    class Meta:
        verbose_name = _("tag")
        verbose_name_plural = _("tags")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class StatusLabel(models.Model):
    """An admin's own wording for a status ("Shipped" → "Live"); the code keeps the key."""

    status = models.CharField(_("status"), max_length=16, choices=IdeaStatus.choices, unique=True)
    label = models.CharField(_("label"), max_length=40)

    class Meta:
        verbose_name = _("status label")
        verbose_name_plural = _("status labels")
        ordering = ["status"]

    def __str__(self) -> str:
        return self.label


def language_choices() -> list[tuple[str, str]]:
    """The installation's languages; a callable, so a new language needs no migration."""
    return list(settings.LANGUAGES)


def default_language() -> str:
    return settings.LANGUAGE_CODE


class IdeaQuerySet(models.QuerySet):
    def visible_to(self, user) -> IdeaQuerySet:
        """Signed-in people see the board; anonymous visitors see no idea.

        Ideas themselves are public to every customer (that is the point of a board);
        what stays private is who is behind the votes, which the selectors and
        serializers never hand to a customer.
        """
        if not user.is_authenticated or user.role not in {*STAFF_ROLES, Role.CUSTOMER}:
            return self.none()
        return self

    def on_board(self) -> IdeaQuerySet:
        """Ideas listed on the board: a merged idea lives on only as a redirect."""
        return self.exclude(status=IdeaStatus.MERGED)

    def needs_triage(self) -> IdeaQuerySet:
        """Ideas no PM has decided on yet (the triage queue)."""
        return self.filter(status__in=NEEDS_TRIAGE)

    def matching(self, text: str, *, any_word: bool = False) -> IdeaQuerySet:
        """These ideas containing the words of ``text``, best first (``feedback.search``)."""
        return ideas_matching(self, text, any_word=any_word)


class Idea(models.Model):
    title = models.CharField(_("title"), max_length=160)
    #: Markdown as written; ``description_html`` is its sanitised rendering, made once on
    #: write so that no page renders Markdown per request.
    description = models.TextField(_("description"), blank=True)
    description_html = models.TextField(editable=False, blank=True)
    #: The language the idea is written in: search stems and drops stop words with that
    #: language's rules (see ``feedback.search``). Set from the poster's language.
    language = models.CharField(
        _("language"), max_length=16, choices=language_choices, default=default_language
    )
    category = models.ForeignKey(
        Category,
        verbose_name=_("category"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="ideas",
    )
    tags = models.ManyToManyField(Tag, verbose_name=_("tags"), blank=True, related_name="ideas")
    status = models.CharField(
        _("status"), max_length=16, choices=IdeaStatus.choices, default=IdeaStatus.OPEN
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="ideas",
    )
    #: Exact number of votes, moved with F() in the vote's own transaction.
    vote_count = models.PositiveIntegerField(_("votes"), default=0)
    #: Public comments only; internal notes are not counted where customers can see.
    comment_count = models.PositiveIntegerField(_("comments"), default=0)
    #: log2 of the decayed activity (see feedback.trending): sorting by it is "trending".
    trend_score = models.FloatField(_("trending score"), default=0.0)
    merged_into = models.ForeignKey(
        "self",
        verbose_name=_("merged into"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="merged_ideas",
    )
    tickets = models.ManyToManyField(
        "accounts.Ticket",
        verbose_name=_("linked tickets"),
        through="IdeaTicket",
        blank=True,
        related_name="ideas",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = IdeaQuerySet.as_manager()

    class Meta:
        verbose_name = _("idea")
        verbose_name_plural = _("ideas")
        ordering = ["-vote_count", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status=IdeaStatus.MERGED) | Q(merged_into__isnull=False),
                name="idea_merged_has_target",
                violation_error_message=_("A merged idea must name the idea it went into."),
            ),
        ]
        indexes = [
            # The board's three sorts (top, trending, newest), each read as the first page
            # of an index scan rather than a sort of every idea.
            models.Index(fields=["-vote_count", "-id"], name="idea_top_idx"),
            models.Index(fields=["-trend_score", "-id"], name="idea_trending_idx"),
            models.Index(fields=["-created_at", "-id"], name="idea_newest_idx"),
            # Rate limit: how many ideas this person posted in the last hour.
            models.Index(fields=["author", "created_at"], name="idea_author_time_idx"),
            # The triage queue, oldest first, and the count beside "Triage" in the header
            # on every PM page: only undecided ideas, so it stays small as the board grows.
            models.Index(
                fields=["created_at", "id"],
                condition=Q(status__in=NEEDS_TRIAGE),
                name="idea_needs_triage_idx",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class Vote(models.Model):
    """One person's vote. The person is a contact: a customer votes as their own
    contact, and a CSM adds a vote on behalf of a contact heard on a call, so one
    unique constraint keeps both kinds to one vote per person."""

    idea = models.ForeignKey(
        Idea, verbose_name=_("idea"), on_delete=models.CASCADE, related_name="votes"
    )
    contact = models.ForeignKey(
        "accounts.Contact",
        verbose_name=_("contact"),
        on_delete=models.CASCADE,
        related_name="idea_votes",
    )
    #: The contact's account, copied at vote time: demand (distinct accounts, their ARR
    #: and health) groups votes by account without joining every vote to its contact.
    account = models.ForeignKey(
        "accounts.Account",
        verbose_name=_("account"),
        on_delete=models.CASCADE,
        related_name="idea_votes",
    )
    #: The portal user who clicked; empty for a vote a CSM added.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("voter"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="idea_votes",
    )
    #: The CSM who added the vote on the contact's behalf; empty for a customer's own.
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("added by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    note = models.TextField(_("note"), blank=True)
    created_at = models.DateTimeField(
        pgettext_lazy("when a vote was cast", "voted"), auto_now_add=True
    )

    class Meta:
        verbose_name = pgettext_lazy("model name", "vote")
        verbose_name_plural = pgettext_lazy("model name", "votes")
        constraints = [
            models.UniqueConstraint(fields=["idea", "contact"], name="vote_once_per_person"),
        ]
        indexes = [
            # Demand per idea by account (triage, product risk): an index-only scan.
            models.Index(fields=["idea", "account"], name="vote_idea_account_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.contact_id} → {self.idea_id}"

    @property
    def on_behalf(self) -> bool:
        return self.added_by_id is not None


class Follow(models.Model):
    """Who hears about an idea: voters and authors by default, anyone who asks."""

    idea = models.ForeignKey(
        Idea, verbose_name=_("idea"), on_delete=models.CASCADE, related_name="follows"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("follower"),
        on_delete=models.CASCADE,
        related_name="idea_follows",
    )
    created_at = models.DateTimeField(_("followed"), auto_now_add=True)

    class Meta:
        verbose_name = _("follow")
        verbose_name_plural = _("follows")
        constraints = [
            models.UniqueConstraint(fields=["idea", "user"], name="follow_once_per_person"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} follows {self.idea_id}"


class Comment(models.Model):
    idea = models.ForeignKey(
        Idea, verbose_name=_("idea"), on_delete=models.CASCADE, related_name="comments"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="idea_comments",
    )
    body = models.TextField(_("comment"))
    body_html = models.TextField(editable=False, blank=True)
    #: Internal comments are for the vendor's staff (CSM, PM, admin) only.
    is_internal = models.BooleanField(_("internal"), default=False)
    created_at = models.DateTimeField(_("posted"), auto_now_add=True)

    class Meta:
        verbose_name = _("comment")
        verbose_name_plural = _("comments")
        ordering = ["created_at", "pk"]
        indexes = [
            models.Index(fields=["idea", "created_at"], name="comment_idea_time_idx"),
            # Rate limit: how many comments this person posted in the last hour.
            models.Index(fields=["author", "created_at"], name="comment_author_time_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.author_id} on {self.idea_id}"


class IdeaTicket(models.Model):
    """A support ticket that asks for an idea: demand heard in support, not on the board."""

    idea = models.ForeignKey(Idea, on_delete=models.CASCADE, related_name="ticket_links")
    ticket = models.ForeignKey(
        "accounts.Ticket", on_delete=models.CASCADE, related_name="idea_links"
    )
    linked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("linked"), auto_now_add=True)

    class Meta:
        verbose_name = _("linked ticket")
        verbose_name_plural = _("linked tickets")
        constraints = [
            models.UniqueConstraint(fields=["idea", "ticket"], name="idea_ticket_once"),
        ]

    def __str__(self) -> str:
        return f"{self.ticket_id} → {self.idea_id}"


class StatusChange(models.Model):
    """The public history of an idea's status, with the PM's message to its voters."""

    idea = models.ForeignKey(
        Idea, verbose_name=_("idea"), on_delete=models.CASCADE, related_name="status_changes"
    )
    from_status = models.CharField(_("from"), max_length=16, choices=IdeaStatus.choices)
    to_status = models.CharField(_("to"), max_length=16, choices=IdeaStatus.choices)
    message = models.TextField(_("message"), blank=True)
    message_html = models.TextField(editable=False, blank=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("changed"), auto_now_add=True)

    class Meta:
        verbose_name = _("status change")
        verbose_name_plural = _("status changes")
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["idea", "created_at"], name="status_change_idea_idx")]

    def __str__(self) -> str:
        return f"{self.idea_id}: {self.from_status} → {self.to_status}"
