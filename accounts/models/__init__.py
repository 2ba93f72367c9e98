"""Models of the accounts app, one module per concern."""

from accounts.models.core import (
    Account,
    AccountQuerySet,
    Contact,
    ContactQuerySet,
    CsplatformUserManager,
    User,
    validate_time_zone,
)
from accounts.models.facts import (
    DailyActivity,
    DailyEventContact,
    DailyUsage,
    Note,
    Source,
    SurveyResponse,
    Ticket,
    UsageEvent,
)
from accounts.models.imports import MAX_STORED_ERRORS, ImportJob, WriteKey

__all__ = [
    "MAX_STORED_ERRORS",
    "Account",
    "AccountQuerySet",
    "Contact",
    "ContactQuerySet",
    "CsplatformUserManager",
    "DailyActivity",
    "DailyEventContact",
    "DailyUsage",
    "ImportJob",
    "Note",
    "Source",
    "SurveyResponse",
    "Ticket",
    "UsageEvent",
    "User",
    "WriteKey",
    "validate_time_zone",
]
