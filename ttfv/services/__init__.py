"""Writes of onboarding: recomputes, check-offs, starts and milestone templates."""

from ttfv.engine import default_template_ensure
from ttfv.services.onboarding import (
    CHUNK_SIZE,
    JOB_KIND,
    Progress,
    milestone_check,
    milestone_uncheck,
    onboarding_recompute,
    onboarding_recompute_request,
    onboarding_start_set,
    today_utc,
)
from ttfv.services.templates import (
    template_create,
    template_delete,
    template_save,
)

__all__ = [
    "CHUNK_SIZE",
    "JOB_KIND",
    "Progress",
    "default_template_ensure",
    "milestone_check",
    "milestone_uncheck",
    "onboarding_recompute",
    "onboarding_recompute_request",
    "onboarding_start_set",
    "template_create",
    "template_delete",
    "template_save",
    "today_utc",
]
