"""REST door onto the caller's own notification preferences.

``GET`` gives every category's delivery (saved, else the role's default); ``PATCH``
changes the categories it names. Which delivery a category may take is the service's
rule: its ValidationError comes back as a 400 naming the category.
"""

from __future__ import annotations

from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from core.access import allow
from core.api import DetailSerializer, ServiceErrorsMixin
from core.roles import ALL_ROLES
from notifications.models import Category, Delivery
from notifications.services import preferences as preference_services


class PreferencesSerializer(serializers.Serializer):
    """One field per category; each ``instant``, ``daily`` or ``off`` (the digest itself
    only ``daily`` or ``off``)."""

    ideas = serializers.ChoiceField(choices=Delivery.choices, required=False)
    comments = serializers.ChoiceField(choices=Delivery.choices, required=False)
    risks = serializers.ChoiceField(choices=Delivery.choices, required=False)
    health = serializers.ChoiceField(choices=Delivery.choices, required=False)
    digest = serializers.ChoiceField(
        choices=[(Delivery.DAILY, Delivery.DAILY.label), (Delivery.OFF, Delivery.OFF.label)],
        required=False,
    )

    def validate(self, attrs: dict) -> dict:
        unknown = set(self.initial_data) - {c.value for c in Category}
        if unknown:
            raise serializers.ValidationError(
                {name: ["There is no such kind of notification."] for name in sorted(unknown)}
            )
        return attrs


@allow(ALL_ROLES)
class PreferencesView(ServiceErrorsMixin, APIView):
    """The caller's own notification preferences: nobody reads or sets someone else's."""

    serializer_class = PreferencesSerializer

    @extend_schema(
        tags=["notifications"],
        summary="Your notification preferences",
        responses={200: PreferencesSerializer},
    )
    def get(self, request: Request) -> Response:
        return Response(preference_services.preferences_of(request.user))  # type: ignore[arg-type]

    @extend_schema(
        tags=["notifications"],
        summary="Change your notification preferences",
        request=PreferencesSerializer,
        responses={200: PreferencesSerializer, 400: OpenApiResponse(DetailSerializer)},
    )
    def patch(self, request: Request) -> Response:
        if not isinstance(request.data, dict):
            raise serializers.ValidationError({"detail": "Send an object of category: delivery."})
        serializer = PreferencesSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        saved = preference_services.preferences_update(
            user=request.user,  # type: ignore[arg-type]
            choices=serializer.validated_data,
        )
        return Response(saved)
