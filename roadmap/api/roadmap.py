"""REST endpoints of the roadmap: read by anyone, like the public roadmap page; written
by product managers and admins, like the editor, through the roadmap's services.

Anonymous callers and customers see public items only; PMs and admins see drafts too
(``RoadmapItem.objects.visible_to``). Moving an item into "shipped" ships its public
ideas and tells their people, exactly as the editor does: the services decide that.
"""

from __future__ import annotations

import django_filters
from django.db.models import Case, IntegerField, Value, When
from django.utils.translation import gettext_lazy as _
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import SAFE_METHODS, BasePermission
from rest_framework.response import Response

from core.access import RolePermission, public
from core.api import ServiceErrorsMixin, StrictCharField, list_of
from core.roles import PRODUCT_ROLES
from feedback.models import Idea
from feedback.selectors import statuses
from roadmap import selectors, services
from roadmap.models import Column, RoadmapItem, validate_quarter


class EditorsWrite(BasePermission):
    """Reads are public (the class policy says so); writes are for the roadmap's editors."""

    message = _("Only product managers and admins edit the roadmap.")

    def has_permission(self, request, view) -> bool:
        if request.method in SAFE_METHODS:
            return True
        user = request.user
        return bool(user and user.is_authenticated and user.role in PRODUCT_ROLES)


# --- Serializers -----------------------------------------------------------------------


class LinkedIdeaSerializer(serializers.ModelSerializer):
    status_label = serializers.SerializerMethodField()

    class Meta:
        model = Idea
        fields = ["id", "title", "status", "status_label", "vote_count"]
        read_only_fields = fields

    def get_status_label(self, idea: Idea) -> str:
        return self.context["status_labels"][idea.status]


class RoadmapItemSerializer(serializers.ModelSerializer):
    """An item as the public roadmap shows it: what, when, and the ideas behind it."""

    column_label = serializers.CharField(source="get_column_display", read_only=True)
    ideas = LinkedIdeaSerializer(many=True, read_only=True, source="linked_ideas")
    vote_total = serializers.IntegerField(read_only=True, help_text="Votes on the linked ideas.")

    class Meta:
        model = RoadmapItem
        fields = [
            "id",
            "title",
            "description",
            "description_html",
            "column",
            "column_label",
            "position",
            "target_quarter",
            "shipped_on",
            "is_public",
            "ideas",
            "vote_total",
            "updated_at",
        ]
        read_only_fields = fields


class RoadmapItemWriteSerializer(serializers.Serializer):
    title = StrictCharField(max_length=160, trim_whitespace=True)
    description = StrictCharField(
        required=False, allow_blank=True, max_length=20_000, help_text="Public Markdown."
    )
    column = serializers.ChoiceField(Column.choices, required=False)
    target_quarter = StrictCharField(
        required=False,
        allow_blank=True,
        validators=[validate_quarter],
        help_text="YYYY-Qn, from 2000-Q1 to 2099-Q4.",
    )
    is_public = serializers.BooleanField(
        required=False, help_text="Shown on the public roadmap and changelog."
    )
    ideas = list_of(
        serializers.PrimaryKeyRelatedField(queryset=Idea.objects.all()),
        required=False,
        help_text="Linked ideas (all of them: the list replaces the links). A merged idea "
        "is linked as the idea it went into.",
    )


class MoveSerializer(serializers.Serializer):
    column = serializers.ChoiceField(Column.choices)
    position = serializers.IntegerField(
        min_value=0, required=False, allow_null=True, help_text="0 is first; omitted: last."
    )


class RoadmapFilter(django_filters.FilterSet):
    column = django_filters.ChoiceFilter(
        choices=Column.choices, label=_("Only the items of this column.")
    )

    class Meta:
        model = RoadmapItem
        fields = ["column"]


#: Board order: the columns left to right, then each column top to bottom.
COLUMN_ORDER = Case(
    *[When(column=value, then=Value(index)) for index, value in enumerate(Column.values)],
    output_field=IntegerField(),
)

FORBIDDEN = OpenApiResponse(description="Only product managers and admins edit the roadmap.")
NOT_FOUND = OpenApiResponse(description="No such item (or a draft, unless you edit them).")


@public
@extend_schema(tags=["roadmap"])
@extend_schema_view(
    list=extend_schema(
        summary="The roadmap",
        description="Public items for everyone, signed in or not; PMs and admins also "
        "see drafts. In board order: planned, in progress, shipped, each by position.",
    ),
    retrieve=extend_schema(
        summary="One roadmap item", responses={200: RoadmapItemSerializer, 404: NOT_FOUND}
    ),
    create=extend_schema(
        summary="Add a roadmap item",
        description="At the end of its column. Public items move their linked ideas "
        "along (planned, in progress, shipped) and tell the ideas' people.",
        request=RoadmapItemWriteSerializer,
        responses={
            201: RoadmapItemSerializer,
            400: OpenApiResponse(description="Invalid input."),
            403: FORBIDDEN,
        },
    ),
    partial_update=extend_schema(
        summary="Edit a roadmap item",
        description="Text, column (to its end), public flag and linked ideas; what is "
        "left out stays as it is.",
        request=RoadmapItemWriteSerializer,
        responses={
            200: RoadmapItemSerializer,
            400: OpenApiResponse(description="Invalid input."),
            403: FORBIDDEN,
            404: NOT_FOUND,
        },
    ),
    destroy=extend_schema(
        summary="Delete a roadmap item",
        description="Its ideas keep their status.",
        responses={204: None, 403: FORBIDDEN, 404: NOT_FOUND},
    ),
)
class RoadmapItemViewSet(
    ServiceErrorsMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    """Roadmap items."""

    serializer_class = RoadmapItemSerializer
    permission_classes = [RolePermission, EditorsWrite]
    filter_backends = [DjangoFilterBackend]
    filterset_class = RoadmapFilter
    lookup_value_regex = r"\d+"
    # PUT would have to restate every link; PATCH says what changes.
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]

    def get_queryset(self):
        # The cards of the pages: linked ideas prefetched, vote totals summed in SQL.
        items = RoadmapItem.objects.visible_to(self.request.user)
        return selectors.with_cards(items).order_by(COLUMN_ORDER, "position", "pk")

    def get_serializer_context(self):
        context = super().get_serializer_context()
        context["status_labels"] = statuses.labels()
        return context

    # --- Writing (PM, admin) -------------------------------------------------------------

    def create(self, request):
        payload = RoadmapItemWriteSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        item = services.item_create(actor=request.user, **payload.validated_data)
        return Response(self._present(item.pk), status=status.HTTP_201_CREATED)

    def partial_update(self, request, pk: str):
        item = self.get_object()
        payload = RoadmapItemWriteSerializer(data=request.data, partial=True)
        payload.is_valid(raise_exception=True)
        services.item_update(item=item, actor=request.user, **payload.validated_data)
        return Response(self._present(item.pk))

    def destroy(self, request, pk: str):
        services.item_delete(item=self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(
        summary="Move a roadmap item",
        description="To a position in a column; the other items close up. Into "
        "“shipped” stamps today's date and, for a public item, ships its ideas and tells "
        "their people.",
        request=MoveSerializer,
        responses={
            200: RoadmapItemSerializer,
            400: OpenApiResponse(description="Invalid input."),
            403: FORBIDDEN,
            404: NOT_FOUND,
        },
    )
    @action(detail=True, methods=["post"], filter_backends=[])
    def move(self, request, pk: str):
        item = self.get_object()
        payload = MoveSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        services.item_move(
            item=item,
            column=payload.validated_data["column"],
            position=payload.validated_data.get("position"),
            actor=request.user,
        )
        return Response(self._present(item.pk))

    def _present(self, item_id: int) -> dict:
        item = self.get_queryset().get(pk=item_id)
        return self.get_serializer(item).data
