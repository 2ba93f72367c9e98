"""REST endpoints of accounts, contacts and invitations."""

from accounts.api.accounts import (
    AccountSerializer,
    AccountViewSet,
    ContactSerializer,
    ContactViewSet,
    MeSerializer,
    MeView,
)
from accounts.api.invitations import (
    InvitationListView,
    InvitationResendView,
    InvitationRevokeView,
    InvitationSerializer,
)
from accounts.api.timeline import AccountTimelineView

__all__ = [
    "AccountSerializer",
    "AccountTimelineView",
    "AccountViewSet",
    "ContactSerializer",
    "ContactViewSet",
    "InvitationListView",
    "InvitationResendView",
    "InvitationRevokeView",
    "InvitationSerializer",
    "MeSerializer",
    "MeView",
]
