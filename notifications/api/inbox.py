"""REST endpoints of the notification inbox: the caller's own alerts, and reading them.

The inbox is the shared alert inbox (``accounts.models.Alert``): health drops for a
CSM, close-the-loop notifications for a customer. Everyone sees only their own; an id
of someone else's alert is a 404, never a 403 that would confirm it exists.
"""

from __future__ import annotations

import django_filters
from django.utils.translation import gettext_lazy as _
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from core.access import allow
from core.roles import ALL_ROLES
from notifications import selectors
from notifications.models import Alert
from notifications.services import alerts as alert_services


class NotificationSerializer(serializers.ModelSerializer):
    read = serializers.SerializerMethodField(help_text="You have read (acknowledged) it.")
    read_at = serializers.DateTimeField(source="acknowledged_at", read_only=True, allow_null=True)
    # In the caller's language (Accept-Language, their saved choice), whoever raised it.
    title = serializers.CharField(source="shown_title", read_only=True)
    body = serializers.CharField(source="shown_body", read_only=True)

    class Meta:
        model = Alert
        fields = ["id", "kind", "severity", "title", "body", "url", "read", "read_at", "created_at"]
        read_only_fields = fields

    def get_read(self, alert: Alert) -> bool:
        return alert.acknowledged_at is not None


class ReadAllResultSerializer(serializers.Serializer):
    marked = serializers.IntegerField(help_text="How many notifications this call marked read.")


class NotificationFilter(django_filters.FilterSet):
    # A choice rather than a BooleanFilter, which would read "maybe" as "no filter":
    # a typo answers 400 instead of a list that looks right and is not.
    unread = django_filters.ChoiceFilter(
        choices=[("true", "true"), ("false", "false")],
        method="filter_unread",
        label=_("true: only unread; false: only read."),
    )

    class Meta:
        model = Alert
        fields = ["unread"]

    def filter_unread(self, queryset, name, value):
        return queryset.filter(acknowledged_at__isnull=value == "true")


@allow(ALL_ROLES)
@extend_schema(tags=["notifications"])
@extend_schema_view(
    list=extend_schema(
        summary="Your notifications",
        description="Newest first; filter by `unread`.",
    ),
)
class NotificationViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """The caller's own notifications."""

    serializer_class = NotificationSerializer
    filter_backends = [DjangoFilterBackend]
    filterset_class = NotificationFilter
    lookup_value_regex = r"\d+"

    def get_queryset(self):
        return selectors.alert_inbox(user=self.request.user, only_open=False)

    @extend_schema(
        summary="Mark a notification read",
        request=None,
        responses={
            200: NotificationSerializer,
            404: OpenApiResponse(description="No such notification of yours."),
        },
    )
    @action(detail=True, methods=["post"], filter_backends=[])
    def read(self, request, pk: str) -> Response:
        alert = selectors.alert_for_user(user=request.user, alert_id=int(pk))
        alert_services.alert_acknowledge(alert=alert)
        return Response(NotificationSerializer(alert).data)

    @extend_schema(
        summary="Mark all your notifications read",
        request=None,
        responses={200: ReadAllResultSerializer},
    )
    @action(detail=False, methods=["post"], url_path="read-all", filter_backends=[])
    def read_all(self, request) -> Response:
        marked = alert_services.alerts_acknowledge_all(user=request.user)
        return Response(ReadAllResultSerializer({"marked": marked}).data)
