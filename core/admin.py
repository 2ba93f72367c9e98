from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib import admin
from django.http import HttpRequest

from core.models import AuditEvent, Job, JobChunk

if TYPE_CHECKING:
    # The admin's classes are generic to the type checker only: Django cannot subscript
    # them at run time.
    _JobChunkInlineBase = admin.TabularInline[JobChunk, Job]
    _JobAdminBase = admin.ModelAdmin[Job]
    _AuditEventAdminBase = admin.ModelAdmin[AuditEvent]
else:
    _JobChunkInlineBase = admin.TabularInline
    _JobAdminBase = admin.ModelAdmin
    _AuditEventAdminBase = admin.ModelAdmin


class JobChunkInline(_JobChunkInlineBase):
    model = JobChunk
    extra = 0
    can_delete = False
    readonly_fields = ["index", "first_id", "last_id", "status", "error"]

    def has_add_permission(self, request: HttpRequest, obj: Job | None = None) -> bool:
        return False


@admin.register(Job)
class JobAdmin(_JobAdminBase):
    """Read-only: jobs are written by ``core.jobs`` alone."""

    list_display = [
        "pk",
        "kind",
        "is_full",
        "day",
        "status",
        "accounts_processed",
        "requested_at",
        "finished_at",
    ]
    list_filter = ["kind", "status", "is_full"]
    inlines = [JobChunkInline]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Job | None = None) -> bool:
        return False


@admin.register(AuditEvent)
class AuditEventAdmin(_AuditEventAdminBase):
    """Read-only: a trail that can be edited proves nothing."""

    list_display = ["created_at", "actor", "action", "target_type", "target_id"]
    list_filter = ["action", "target_type"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: AuditEvent | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: AuditEvent | None = None) -> bool:
        return False
