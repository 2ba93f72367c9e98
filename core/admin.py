from django.contrib import admin

from core.models import Job, JobChunk


class JobChunkInline(admin.TabularInline):
    model = JobChunk
    extra = 0
    can_delete = False
    readonly_fields = ["index", "first_id", "last_id", "status", "error"]

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Job)
class JobAdmin(admin.ModelAdmin):
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

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
