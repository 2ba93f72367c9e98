"""REST endpoints of the board: ideas, votes, follows and comments.

Same people as the pages: every signed-in role reads and posts; anonymous callers get a
401. What a response shows depends on who asks (see ``serializers``): a customer sees
other voters only as a count, never an account, a name beyond a first name, or demand.

A merged idea is not listed, but reading it by id still answers 200, with
``merged_into`` naming the idea its votes, followers and comments went to: a JSON
client is better served by a field it can follow than by a redirect that would turn a
POST into a GET. Votes, follows, comments and edits on a merged idea are a 400.
"""

from __future__ import annotations

from collections.abc import Mapping

import django_filters
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
)
from rest_framework import exceptions, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from accounts.models import Contact
from core.access import allow
from core.api import DetailSerializer
from core.roles import ALL_ROLES
from feedback import policies, services
from feedback.api.errors import IdeaErrorsMixin
from feedback.api.serializers import (
    BOARD_STATUSES,
    CommentSerializer,
    CommentWriteSerializer,
    FollowResultSerializer,
    IdeaDetailDocSerializer,
    IdeaDetailSerializer,
    IdeaDocSerializer,
    IdeaSerializer,
    IdeaWriteSerializer,
    RateLimitedSerializer,
    StaffIdeaDetailSerializer,
    StaffIdeaSerializer,
    VoteRequestSerializer,
    VoteResultSerializer,
    VoteWithdrawResultSerializer,
)
from feedback.models import Category, Idea, Tag
from feedback.search import ideas_matching
from feedback.selectors import api as selectors
from feedback.selectors import statuses
from feedback.selectors.board import BOARD_SORTS

# --- Errors every write can meet -------------------------------------------------------

NOT_FOUND = OpenApiResponse(DetailSerializer, description="No such idea.")
BAD_REQUEST = OpenApiResponse(
    description="Invalid input (field errors by name), or the idea is closed or merged (`detail`)."
)
RATE_LIMITED = OpenApiResponse(
    RateLimitedSerializer,
    description="Over the hourly limit; the `Retry-After` header says when to try again.",
)
FORBIDDEN = OpenApiResponse(DetailSerializer, description="Not allowed for your role.")


# --- Filters ---------------------------------------------------------------------------


class IdeaFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(
        choices=BOARD_STATUSES, label=gettext_lazy("Only ideas with this status.")
    )
    category = django_filters.ModelChoiceFilter(
        queryset=Category.objects.all(),
        to_field_name="slug",
        field_name="category",
        label=gettext_lazy("Only ideas in this category (its slug)."),
    )
    tag = django_filters.ModelChoiceFilter(
        queryset=Tag.objects.all(),
        to_field_name="slug",
        field_name="tags",
        label=gettext_lazy("Only ideas with this tag (its slug)."),
    )
    # Declared before ``ordering``: FilterSet applies filters in this order, so an
    # explicit ordering replaces the relevance order of a search.
    search = django_filters.CharFilter(
        method="filter_search",
        label=gettext_lazy("Words in the title or description; best matches first."),
    )
    ordering = django_filters.ChoiceFilter(
        choices=[(key, key) for key in BOARD_SORTS],
        method="filter_ordering",
        label=gettext_lazy(
            "top (most votes, the default), trending (recent votes and comments, "
            "decaying with age) or newest. With a search, the default is relevance."
        ),
    )

    class Meta:
        model = Idea
        fields = ["status", "category", "tag", "search", "ordering"]

    def filter_search(self, queryset, name, value):
        return ideas_matching(queryset, value)

    def filter_ordering(self, queryset, name, value):
        return queryset.order_by(*BOARD_SORTS[value])


# --- The viewset -----------------------------------------------------------------------


def _idea_url(idea_id: int) -> str:
    return reverse("idea-detail", kwargs={"pk": idea_id})


@allow(ALL_ROLES)
@extend_schema(tags=["ideas"])
@extend_schema_view(
    list=extend_schema(
        summary="The board",
        description="Ideas on the board (merged ones are left out), top first, with your "
        "own vote and follow. Staff also get the demand behind each idea.",
        responses={200: IdeaDocSerializer(many=True), 400: BAD_REQUEST},
    ),
    retrieve=extend_schema(
        summary="One idea",
        description="A merged idea answers too, with `merged_into` set: read that one.",
        responses={200: IdeaDetailDocSerializer, 404: NOT_FOUND},
    ),
    create=extend_schema(
        summary="Post an idea",
        description="You follow your idea; a customer's idea also gets their vote. "
        "At most `FEEDBACK_IDEAS_PER_HOUR` per person per hour.",
        request=IdeaWriteSerializer,
        responses={201: IdeaDetailDocSerializer, 400: BAD_REQUEST, 429: RATE_LIMITED},
    ),
    update=extend_schema(
        summary="Edit an idea",
        description="Its author while it is open; product managers and admins always. "
        "At most `FEEDBACK_EDITS_PER_HOUR` edits per person per hour.",
        request=IdeaWriteSerializer,
        responses={
            200: IdeaDetailDocSerializer,
            400: BAD_REQUEST,
            403: FORBIDDEN,
            404: NOT_FOUND,
            429: RATE_LIMITED,
        },
    ),
    partial_update=extend_schema(
        summary="Edit part of an idea",
        description="Its author while it is open; product managers and admins always. "
        "At most `FEEDBACK_EDITS_PER_HOUR` edits per person per hour.",
        request=IdeaWriteSerializer,
        responses={
            200: IdeaDetailDocSerializer,
            400: BAD_REQUEST,
            403: FORBIDDEN,
            404: NOT_FOUND,
            429: RATE_LIMITED,
        },
    ),
)
class IdeaViewSet(IdeaErrorsMixin, viewsets.GenericViewSet):
    """Ideas on the board, and what a person does with them."""

    filter_backends = [DjangoFilterBackend]
    filterset_class = IdeaFilter
    lookup_value_regex = r"\d+"
    serializer_class = IdeaSerializer

    def get_queryset(self):
        return selectors.ideas_for_api(user=self.request.user, board_only=self.action == "list")

    def get_serializer_class(self):
        staff = policies.is_staff(self.request.user)
        if self.action == "list":
            return StaffIdeaSerializer if staff else IdeaSerializer
        # One idea (read, or answered after a post or an edit) carries its history.
        return StaffIdeaDetailSerializer if staff else IdeaDetailSerializer

    def get_serializer_context(self):
        context = super().get_serializer_context()
        # Read once per response, not per row (it is cached, but not free to ask).
        context["status_labels"] = statuses.labels()
        context["staff"] = policies.is_staff(self.request.user)
        return context

    # --- Reading -------------------------------------------------------------------------

    def list(self, request: Request) -> Response:
        ideas = self.filter_queryset(self.get_queryset())
        page = self.paginate_queryset(ideas)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    def retrieve(self, request: Request, pk: str) -> Response:
        idea = self._one(int(pk))
        if idea is None:
            raise exceptions.NotFound(_("No such idea."))
        return Response(self.get_serializer(idea).data)

    # --- Writing -------------------------------------------------------------------------

    def create(self, request: Request) -> Response:
        payload = IdeaWriteSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        idea = services.idea_create(author=request.user, **payload.validated_data)
        return Response(
            self._present(idea.pk),
            status=status.HTTP_201_CREATED,
            headers={"Location": _idea_url(idea.pk)},
        )

    def update(self, request: Request, pk: str, partial: bool = False) -> Response:
        idea = self._idea(pk)
        payload = IdeaWriteSerializer(data=request.data, partial=partial)
        payload.is_valid(raise_exception=True)
        values = {
            "title": idea.title,
            "description": idea.description,
            "category": idea.category,
            "tags": None,  # None keeps the tags as they are
            **payload.validated_data,
        }
        services.idea_update(idea=idea, actor=request.user, **values)
        return Response(self._present(idea.pk))

    def partial_update(self, request: Request, pk: str) -> Response:
        return self.update(request, pk, partial=True)

    # --- Votes ---------------------------------------------------------------------------

    @extend_schema(
        methods=["POST"],
        summary="Vote for an idea",
        description="A customer votes as themself and sends no body. Staff (CSM, PM, admin) "
        "add a vote on behalf of a `contact`, with a `note` saying where they heard it. "
        "One vote per person: repeating the call is harmless (`created` is then false).",
        request=VoteRequestSerializer,
        responses={
            200: VoteResultSerializer,
            400: BAD_REQUEST,
            403: FORBIDDEN,
            404: NOT_FOUND,
        },
    )
    @extend_schema(
        methods=["DELETE"],
        summary="Withdraw a vote",
        description="A customer withdraws their own vote. Staff withdraw a vote they or "
        "another CSM added, naming the `contact`; a vote a customer cast themself is "
        "theirs to withdraw. Repeating the call is harmless.",
        parameters=[
            OpenApiParameter(
                "contact",
                OpenApiTypes.INT,
                OpenApiParameter.QUERY,
                description="Staff only, and required for them: whose vote to withdraw.",
            )
        ],
        request=None,
        responses={
            200: VoteWithdrawResultSerializer,
            400: BAD_REQUEST,
            403: FORBIDDEN,
            404: NOT_FOUND,
        },
    )
    @action(detail=True, methods=["post", "delete"], filter_backends=[], pagination_class=None)
    def vote(self, request: Request, pk: str) -> Response:
        idea = self._idea(pk)
        if request.method == "DELETE":
            return self._withdraw(request, idea)
        if policies.may_vote_on_behalf(request.user):
            payload = VoteRequestSerializer(data=request.data)
            payload.is_valid(raise_exception=True)
            created = services.vote_on_behalf(
                idea=idea,
                contact=payload.validated_data.get("contact"),
                actor=request.user,
                note=payload.validated_data["note"],
            )
        else:
            if not isinstance(request.data, Mapping):
                raise exceptions.ValidationError({"detail": _("Send a JSON object, or no body.")})
            # The contact as sent, unresolved: whether another id exists is no customer's
            # business, and the service refuses anyone but themself.
            named = request.data.get("contact")
            note = request.data.get("note", "")
            created = services.vote_cast(
                idea=idea, actor=request.user, contact_id=named, note=str(note or "")
            )
        return Response(
            VoteResultSerializer(
                {"voted": True, "vote_count": selectors.vote_count(idea.pk), "created": created}
            ).data
        )

    def _withdraw(self, request: Request, idea: Idea) -> Response:
        team = policies.may_vote_on_behalf(request.user)
        contact = self._contact_param(request) if team else None
        deleted = services.vote_withdraw(idea=idea, actor=request.user, contact=contact)
        return Response(
            VoteWithdrawResultSerializer(
                {"voted": False, "vote_count": selectors.vote_count(idea.pk), "deleted": deleted}
            ).data
        )

    # --- Follows -------------------------------------------------------------------------

    @extend_schema(
        methods=["POST"],
        summary="Follow an idea",
        description="Hear about its status changes and shipping. Voting and posting "
        "follow by default.",
        request=None,
        responses={
            200: FollowResultSerializer,
            400: BAD_REQUEST,
            404: NOT_FOUND,
            429: RATE_LIMITED,
        },
    )
    @extend_schema(
        methods=["DELETE"],
        summary="Unfollow an idea",
        request=None,
        responses={
            200: FollowResultSerializer,
            400: BAD_REQUEST,
            404: NOT_FOUND,
            429: RATE_LIMITED,
        },
    )
    @action(detail=True, methods=["post", "delete"], filter_backends=[], pagination_class=None)
    def follow(self, request: Request, pk: str) -> Response:
        idea = self._idea(pk)
        following = services.follow_set(
            idea=idea, user=request.user, following=request.method == "POST"
        )
        return Response(FollowResultSerializer({"following": following}).data)

    # --- Comments ------------------------------------------------------------------------

    @extend_schema(
        methods=["GET"],
        summary="An idea's comments",
        description="Oldest first. Internal comments are listed for staff only.",
        responses={200: CommentSerializer(many=True), 404: NOT_FOUND},
    )
    @extend_schema(
        methods=["POST"],
        summary="Comment on an idea",
        description="Customers comment while the idea takes votes; staff also after it "
        "shipped or was declined, and may post an `internal` note only staff see. "
        "At most `FEEDBACK_COMMENTS_PER_HOUR` per person per hour.",
        request=CommentWriteSerializer,
        responses={
            201: CommentSerializer,
            400: BAD_REQUEST,
            403: FORBIDDEN,
            404: NOT_FOUND,
            429: RATE_LIMITED,
        },
    )
    @action(detail=True, methods=["get", "post"], filter_backends=[])
    def comments(self, request: Request, pk: str) -> Response:
        idea = self._idea(pk)
        if request.method == "GET":
            comments = selectors.comments_for_api(user=request.user, idea=idea)
            page = self.paginate_queryset(comments)
            data = CommentSerializer(page, many=True, context=self.get_serializer_context()).data
            return self.get_paginated_response(data)
        payload = CommentWriteSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        comment = services.comment_add(
            idea=idea,
            author=request.user,
            body=payload.validated_data["body"],
            internal=payload.validated_data["internal"],
        )
        return Response(
            CommentSerializer(comment, context=self.get_serializer_context()).data,
            status=status.HTTP_201_CREATED,
        )

    # --- Helpers -------------------------------------------------------------------------

    def _idea(self, pk: str) -> Idea:
        idea = selectors.idea_for_update(user=self.request.user, pk=int(pk))
        if idea is None:
            raise exceptions.NotFound(_("No such idea."))
        return idea

    def _one(self, idea_id: int) -> Idea | None:
        """One idea with everything its detail shows, merged or not."""
        ideas = selectors.ideas_for_api(user=self.request.user, board_only=False)
        return ideas.prefetch_related("status_changes").filter(pk=idea_id).first()

    def _present(self, idea_id: int) -> dict:
        return self.get_serializer(self._one(idea_id)).data

    @staticmethod
    def _contact_param(request: Request) -> Contact:
        raw = request.query_params.get("contact", "")
        if not raw.isdigit():
            raise exceptions.ValidationError({"contact": [_("Name the person, by contact id.")]})
        contact = Contact.objects.visible_to(request.user).filter(pk=int(raw)).first()
        if contact is None:
            raise exceptions.ValidationError({"contact": [_("No such contact.")]})
        return contact
