"""What the board's API shows, and to whom.

Two families: what every signed-in person may see of an idea (``IdeaSerializer``), and
what the vendor's staff see on top (``StaffIdeaSerializer``: demand and authorship).
They are separate classes rather than one with hidden fields, so that a customer's
response cannot grow a staff field by accident: the customer classes never name one.
"""

from __future__ import annotations

from django.conf import settings
from django.utils.functional import lazy
from drf_spectacular.utils import extend_schema_field, extend_schema_serializer
from rest_framework import serializers

from accounts.models import Contact
from core.api import StrictCharField, list_of
from feedback import policies
from feedback.models import Category, Comment, Idea, StatusChange, Tag
from feedback.selectors import statuses
from feedback.statuses import IdeaStatus


def _status_labels(context: dict) -> dict[str, str]:
    """The admin-editable status labels, read once per response (the view passes them)."""
    labels = context.get("status_labels")
    if labels is None:
        labels = context["status_labels"] = statuses.labels()
    return labels


def _author_name(context: dict, person) -> str:
    """How ``person`` appears to the caller, by the one rule of every page and endpoint
    (``feedback.policies.display_name``)."""
    request = context.get("request")
    if request is None:
        return ""
    return str(policies.display_name(person, viewer=request.user))


class CategoryRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Category
        fields = ["slug", "name"]
        read_only_fields = fields


class TagRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Tag
        fields = ["slug", "name"]
        read_only_fields = fields


class IdeaSerializer(serializers.ModelSerializer):
    """An idea as any signed-in person sees it: other voters are only a count."""

    status_label = serializers.SerializerMethodField()
    category = CategoryRefSerializer(read_only=True, allow_null=True)
    tags = TagRefSerializer(many=True, read_only=True)
    author_name = serializers.SerializerMethodField(
        help_text="How the author appears to you: a first name (a customer sees no more), "
        "“You”, or a label when the name is unknown."
    )
    is_author = serializers.SerializerMethodField(help_text="You posted it.")
    voted = serializers.BooleanField(read_only=True, help_text="You have voted for it.")
    following = serializers.BooleanField(read_only=True, help_text="You hear about changes.")
    merged_into = serializers.PrimaryKeyRelatedField(
        read_only=True,
        allow_null=True,
        help_text="Set when the idea was merged into another: read that one instead. "
        "Votes, followers and comments moved there.",
    )

    class Meta:
        model = Idea
        fields = [
            "id",
            "title",
            "description",
            "description_html",
            "language",
            "status",
            "status_label",
            "category",
            "tags",
            "vote_count",
            "comment_count",
            "author_name",
            "is_author",
            "voted",
            "following",
            "merged_into",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields

    def get_status_label(self, idea: Idea) -> str:
        """The status as the admins word it."""
        return _status_labels(self.context)[idea.status]

    def get_author_name(self, idea: Idea) -> str:
        return _author_name(self.context, idea.author)

    def get_is_author(self, idea: Idea) -> bool:
        request = self.context.get("request")
        return bool(request and idea.author_id is not None and idea.author_id == request.user.pk)


class DemandSerializer(serializers.Serializer):
    """The stored demand triage shows, refreshed a minute after votes and hourly."""

    customer_votes = serializers.IntegerField(help_text="Votes customers cast themselves.")
    csm_votes = serializers.IntegerField(help_text="Votes CSMs added on a contact's behalf.")
    accounts = serializers.IntegerField(help_text="Distinct accounts behind the votes.")


class AuthorSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField(source="get_full_name")
    role = serializers.CharField()


class StaffIdeaSerializer(IdeaSerializer):
    """An idea as the vendor's staff see it: with the demand behind it."""

    demand = serializers.SerializerMethodField()
    author = AuthorSerializer(read_only=True, allow_null=True)
    trend_score = serializers.FloatField(read_only=True)

    class Meta(IdeaSerializer.Meta):
        fields = [*IdeaSerializer.Meta.fields, "author", "demand", "trend_score"]
        read_only_fields = fields

    @extend_schema_field(DemandSerializer)
    def get_demand(self, idea: Idea) -> dict[str, int]:
        return {
            "customer_votes": getattr(idea, "customer_votes", 0),
            "csm_votes": getattr(idea, "csm_votes", 0),
            "accounts": getattr(idea, "account_count", 0),
        }


class StatusChangeSerializer(serializers.ModelSerializer):
    """One step of an idea's public status history, with the team's message."""

    to_label = serializers.SerializerMethodField(help_text="The new status as worded.")

    class Meta:
        model = StatusChange
        fields = ["from_status", "to_status", "to_label", "message", "message_html", "created_at"]
        read_only_fields = fields

    def get_to_label(self, change: StatusChange) -> str:
        return _status_labels(self.context)[change.to_status]


class IdeaDetailSerializer(IdeaSerializer):
    """One idea, with its status history (what the team told its voters, and when)."""

    status_changes = StatusChangeSerializer(many=True, read_only=True)

    class Meta(IdeaSerializer.Meta):
        fields = [*IdeaSerializer.Meta.fields, "status_changes"]
        read_only_fields = fields


class StaffIdeaDetailSerializer(StaffIdeaSerializer):
    status_changes = StatusChangeSerializer(many=True, read_only=True)

    class Meta(StaffIdeaSerializer.Meta):
        fields = [*StaffIdeaSerializer.Meta.fields, "status_changes"]
        read_only_fields = fields


class IdeaWriteSerializer(serializers.Serializer):
    """Posting or editing an idea. Category and tags are named by slug."""

    title = StrictCharField(
        max_length=policies.TITLE_MAX,
        min_length=policies.TITLE_MIN,
        trim_whitespace=True,
        # Evaluated when the check fails, so in the language of that request.
        error_messages={"min_length": lazy(policies.title_too_short, str)()},
    )
    description = StrictCharField(
        max_length=policies.DESCRIPTION_MAX,
        required=False,
        allow_blank=True,
        default="",
        help_text="Markdown.",
    )
    category = serializers.SlugRelatedField(
        slug_field="slug",
        queryset=Category.objects.all(),
        required=False,
        allow_null=True,
        default=None,
    )
    tags = list_of(
        serializers.SlugRelatedField(slug_field="slug", queryset=Tag.objects.all()),
        required=False,
        default=list,
    )
    language = serializers.ChoiceField(
        choices=settings.LANGUAGES,
        required=False,
        help_text="The language the idea is written in; search stems it with that "
        "language's rules. Left out, the language of the request (Accept-Language, or "
        "your saved preference).",
    )

    def validate_title(self, value: str) -> str:
        return policies.clean_title(value)


# --- Votes and follows -----------------------------------------------------------------


class VoteRequestSerializer(serializers.Serializer):
    """Customers send an empty body: they vote as themselves. Staff name the contact."""

    contact = serializers.PrimaryKeyRelatedField(
        queryset=Contact.objects.all(),
        required=False,
        help_text="Staff only, and required for them: the person the vote is from.",
    )
    note = StrictCharField(
        max_length=policies.NOTE_MAX,
        required=False,
        allow_blank=True,
        default="",
        help_text="Staff only: where the request was heard (a call, a ticket).",
    )


class VoteResultSerializer(serializers.Serializer):
    voted = serializers.BooleanField()
    vote_count = serializers.IntegerField(help_text="The idea's votes after this call.")
    created = serializers.BooleanField(help_text="False when the vote was there already.")


class VoteWithdrawResultSerializer(serializers.Serializer):
    voted = serializers.BooleanField()
    vote_count = serializers.IntegerField(help_text="The idea's votes after this call.")
    deleted = serializers.BooleanField(help_text="False when there was no vote to remove.")


class FollowResultSerializer(serializers.Serializer):
    following = serializers.BooleanField()


# --- Comments --------------------------------------------------------------------------


class CommentSerializer(serializers.ModelSerializer):
    """A comment. Customers see public ones, with the author's first name at most."""

    author_name = serializers.SerializerMethodField(
        help_text="How the author appears to you: the full name for staff, a first name "
        "(or “You”) for customers."
    )
    author_is_team = serializers.SerializerMethodField(
        help_text="Written by the vendor's team (a CSM, PM or admin)."
    )
    is_mine = serializers.SerializerMethodField()
    internal = serializers.BooleanField(
        source="is_internal", read_only=True, help_text="Staff-only note; never shown to customers."
    )

    class Meta:
        model = Comment
        fields = [
            "id",
            "body",
            "body_html",
            "internal",
            "author_name",
            "author_is_team",
            "is_mine",
            "created_at",
        ]
        read_only_fields = fields

    def get_author_name(self, comment: Comment) -> str:
        return _author_name(self.context, comment.author)

    def get_author_is_team(self, comment: Comment) -> bool:
        return bool(comment.author is not None and comment.author.is_staff_role)

    def get_is_mine(self, comment: Comment) -> bool:
        request = self.context.get("request")
        return bool(request and comment.author_id == request.user.pk)


class CommentWriteSerializer(serializers.Serializer):
    body = StrictCharField(
        max_length=policies.COMMENT_MAX, trim_whitespace=True, help_text="Markdown."
    )
    internal = serializers.BooleanField(
        required=False, default=False, help_text="Staff only: visible to the vendor's team alone."
    )


class RateLimitedSerializer(serializers.Serializer):
    detail = serializers.CharField()
    retry_after = serializers.IntegerField(help_text="Seconds until you may post again.")


#: Statuses a client may filter the board by (a merged idea is not on the board).
BOARD_STATUSES = [(s.value, s.label) for s in IdeaStatus if s != IdeaStatus.MERGED]


# --- For the schema only ----------------------------------------------------------------
# One documented shape per response whoever asks: the staff fields appear as optional,
# so that both a customer's and a staff member's response validate against it. No view
# serialises with these classes.


@extend_schema_serializer(component_name="Idea")
class IdeaDocSerializer(IdeaSerializer):
    """An idea. `author`, `demand` and `trend_score` are present for the vendor's
    staff only: a customer's response never carries them."""

    author = AuthorSerializer(required=False, allow_null=True, help_text="Staff only.")
    demand = DemandSerializer(required=False, help_text="Staff only.")
    trend_score = serializers.FloatField(
        required=False, help_text="Staff only: the trending sort key (log2 of decayed activity)."
    )

    class Meta(IdeaSerializer.Meta):
        fields = [*IdeaSerializer.Meta.fields, "author", "demand", "trend_score"]
        read_only_fields = IdeaSerializer.Meta.fields


@extend_schema_serializer(component_name="IdeaDetail")
class IdeaDetailDocSerializer(IdeaDocSerializer):
    """An idea with its status history. `author`, `demand` and `trend_score` are
    present for the vendor's staff only."""

    status_changes = StatusChangeSerializer(many=True, read_only=True)

    class Meta(IdeaDocSerializer.Meta):
        fields = [*IdeaDocSerializer.Meta.fields, "status_changes"]
        read_only_fields = [*IdeaSerializer.Meta.fields, "status_changes"]
