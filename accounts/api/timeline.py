"""REST door onto the account timeline: the same selector as the page."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts import selectors
from core.access import allow
from core.api import DetailSerializer, ServiceErrorsMixin
from core.roles import STAFF_ROLES
from core.timeline import MAX_PAGE_SIZE, PAGE_SIZE


class TimelineEntrySerializer(serializers.Serializer):
    at = serializers.DateTimeField(
        help_text="When it happened, with its UTC offset; midnight UTC for a day."
    )
    kind = serializers.CharField(help_text="note, alert, band, sentiment, override, …")
    id = serializers.IntegerField(help_text="The row's id in its kind.")
    title = serializers.CharField()
    detail = serializers.CharField(allow_blank=True)
    actor = serializers.CharField(allow_blank=True, help_text="Who did it; blank if nobody.")
    url = serializers.CharField(allow_blank=True, help_text="A page to read more.")
    all_day = serializers.BooleanField(help_text="``at`` is a day, not an instant.")


class TimelinePageSerializer(serializers.Serializer):
    results = TimelineEntrySerializer(many=True)
    next = serializers.CharField(
        allow_null=True, help_text="The next (older) page; null at the end."
    )


@allow(STAFF_ROLES)
class AccountTimelineView(ServiceErrorsMixin, APIView):
    """An account's timeline, newest first, by cursor."""

    @extend_schema(
        tags=["accounts"],
        operation_id="account_timeline",
        parameters=[
            OpenApiParameter(
                "kind",
                OpenApiTypes.STR,
                OpenApiParameter.QUERY,
                many=True,
                description="Keep these kinds only (repeat the parameter).",
            ),
            OpenApiParameter(
                "after",
                OpenApiTypes.STR,
                OpenApiParameter.QUERY,
                description="The cursor of `next`.",
            ),
            OpenApiParameter(
                "limit",
                OpenApiTypes.INT,
                OpenApiParameter.QUERY,
                description=f"Entries per page, 1 to {MAX_PAGE_SIZE} (default {PAGE_SIZE}).",
            ),
        ],
        responses={
            200: TimelinePageSerializer,
            400: OpenApiResponse(
                DetailSerializer, description="Unknown kind, bad cursor or limit."
            ),
            404: OpenApiResponse(DetailSerializer, description="No such account."),
        },
    )
    def get(self, request, account_id: int):
        raw_limit = request.query_params.get("limit") or str(PAGE_SIZE)
        if not raw_limit.isdigit():
            raise ValidationError(
                {"limit": [_("Must be a whole number from 1 to %(max)d.") % {"max": MAX_PAGE_SIZE}]}
            )
        cursor = request.query_params.get("after", "")
        _account, page = selectors.account_timeline_page(
            user=request.user,
            account_id=account_id,
            kinds=[k for k in request.query_params.getlist("kind") if k],
            cursor=cursor,
            limit=int(raw_limit),
        )
        next_url = None
        if page.next_cursor:
            query = request.query_params.copy()
            query["after"] = page.next_cursor
            next_url = request.build_absolute_uri(
                reverse("api-account-timeline", args=[account_id]) + "?" + query.urlencode()
            )
        return Response(
            {
                "results": TimelineEntrySerializer(page.entries, many=True).data,
                "next": next_url,
            }
        )
