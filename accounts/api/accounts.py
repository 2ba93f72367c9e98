"""REST endpoints: accounts and contacts (read-only), and who the caller is."""

from __future__ import annotations

import django_filters
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers, viewsets
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.models import Account, Contact, User
from core.access import allow
from core.api import BooleanFilter, UserIdField
from core.roles import ALL_ROLES, STAFF_ROLES


class AccountSerializer(serializers.ModelSerializer):
    csm_owner = UserIdField(help_text="The CSM who owns the account (a user id).")

    class Meta:
        model = Account
        fields = ["id", "external_id", *Account.PROFILE_FIELDS, "created_at", "updated_at"]


class ContactSerializer(serializers.ModelSerializer):
    # Declared: inferred from the model, the e-mail of the (account, email) unique
    # constraint gets a default of "", which is no e-mail address to a schema validator.
    email = serializers.EmailField(read_only=True, allow_blank=True, help_text="Blank if unknown.")

    class Meta:
        model = Contact
        fields = ["id", "account", "name", "email", "title", "is_champion", "created_at"]
        read_only_fields = fields


@allow(STAFF_ROLES)
class AccountViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = AccountSerializer
    filterset_fields = ["segment", "plan", "lifecycle_stage", "csm_owner"]
    search_fields = ["name", "domain", "external_id"]
    ordering_fields = ["name", "arr", "renews_on", "created_at"]
    ordering = ["name"]

    def get_queryset(self):
        return Account.objects.visible_to(self.request.user).select_related("csm_owner")


class ContactFilter(django_filters.FilterSet):
    is_champion = BooleanFilter(label=_("true: only champions; false: only the others."))

    class Meta:
        model = Contact
        fields = ["account", "is_champion"]


@allow(STAFF_ROLES)
class ContactViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = ContactSerializer
    filterset_class = ContactFilter
    search_fields = ["name", "email"]
    ordering = ["name"]

    def get_queryset(self):
        return Contact.objects.visible_to(self.request.user)


class MeSerializer(serializers.ModelSerializer):
    account = serializers.IntegerField(source="account_id", read_only=True, allow_null=True)

    class Meta:
        model = User
        fields = [
            "id",
            "username",
            "first_name",
            "last_name",
            "email",
            "role",
            "time_zone",
            "account",
        ]


@allow(ALL_ROLES)
class MeView(APIView):
    """Who the caller is: useful to check a token."""

    serializer_class = MeSerializer

    def get(self, request):
        return Response(MeSerializer(request.user).data)
