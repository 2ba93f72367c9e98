"""REST endpoints for invitations: list, send to contacts, resend, revoke.

The rule of who may invite whom lives in accounts.services.access; these views translate
its PermissionDenied and ValidationError into 403 and 400 with a JSON body.
"""

from __future__ import annotations

from typing import Any, cast

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts import services
from accounts.models import Contact, Invitation, User
from core.access import allow
from core.api import ServiceErrorsMixin
from core.roles import Role


class InvitationSerializer(serializers.ModelSerializer):
    status = serializers.CharField(
        read_only=True, help_text="pending, awaiting_approval, accepted, revoked or expired."
    )
    account = serializers.IntegerField(source="contact.account_id", read_only=True)

    class Meta:
        model = Invitation
        fields = [
            "id", "contact", "account", "kind", "email", "status", "send_count",
            "sent_at", "expires_at", "accepted_at", "revoked_at",
        ]  # fmt: skip
        read_only_fields = fields


class InviteSerializer(serializers.Serializer):
    contacts = serializers.ListField(
        child=serializers.IntegerField(min_value=1),
        allow_empty=False,
        max_length=500,
        help_text="Ids of the contacts to invite (one or many, of any account you may invite for).",
    )


def _invitations_of(user: Any) -> QuerySet[Invitation]:
    return Invitation.objects.filter(contact__in=Contact.objects.visible_to(user)).select_related(
        "contact"
    )


@allow(Role.CSM, Role.ADMIN)
class InvitationListView(ServiceErrorsMixin, generics.ListAPIView):
    """GET: invitations (filter with ?account=); POST: invite contacts."""

    serializer_class = InvitationSerializer

    def get_queryset(self):
        queryset = _invitations_of(self.request.user).order_by("-created_at", "-pk")
        account = self.request.query_params.get("account", "")
        if account.isdigit():
            queryset = queryset.filter(contact__account_id=int(account))
        return queryset

    @extend_schema(request=InviteSerializer, responses={201: InvitationSerializer(many=True)})
    def post(self, request: Request) -> Response:
        payload = InviteSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        ids = payload.validated_data["contacts"]
        contacts = list(
            Contact.objects.visible_to(request.user).filter(pk__in=ids).select_related("account")
        )
        missing = sorted(set(ids) - {c.pk for c in contacts})
        if missing:
            return Response(
                {"contacts": [_("Unknown contact ids: %(ids)s") % {"ids": missing}]},
                status=status.HTTP_400_BAD_REQUEST,
            )
        sent = services.invitations_send(actor=cast(User, request.user), contacts=contacts)
        return Response(InvitationSerializer(sent, many=True).data, status=status.HTTP_201_CREATED)


@allow(Role.CSM, Role.ADMIN)
class InvitationResendView(ServiceErrorsMixin, APIView):
    @extend_schema(request=None, responses={200: InvitationSerializer})
    def post(self, request: Request, pk: int) -> Response:
        invitation = get_object_or_404(_invitations_of(request.user), pk=pk)
        invitation = services.invitation_resend(
            actor=cast(User, request.user), invitation=invitation
        )
        return Response(InvitationSerializer(invitation).data)


@allow(Role.CSM, Role.ADMIN)
class InvitationRevokeView(ServiceErrorsMixin, APIView):
    @extend_schema(request=None, responses={200: InvitationSerializer})
    def post(self, request: Request, pk: int) -> Response:
        invitation = get_object_or_404(_invitations_of(request.user), pk=pk)
        invitation = services.invitation_revoke(
            actor=cast(User, request.user), invitation=invitation
        )
        return Response(InvitationSerializer(invitation).data)
