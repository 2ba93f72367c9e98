"""REST endpoints of accounts and contacts."""

from accounts.api.accounts import (
    AccountSerializer,
    AccountViewSet,
    ContactSerializer,
    ContactViewSet,
    MeSerializer,
    MeView,
)

__all__ = [
    "AccountSerializer",
    "AccountViewSet",
    "ContactSerializer",
    "ContactViewSet",
    "MeSerializer",
    "MeView",
]
