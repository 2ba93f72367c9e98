from django.contrib import admin

from ingest.models import ImportJob, WriteKey


@admin.register(ImportJob)
class ImportJobAdmin(admin.ModelAdmin):
    """Jobs are the audit trail of every import; they are written by the pipeline only."""

    list_display = [
        "id",
        "kind",
        "source",
        "status",
        "file_name",
        "rows_seen",
        "rows_inserted",
        "rows_updated",
        "rows_duplicate",
        "rows_rejected",
        "created_by",
        "created_at",
    ]
    list_filter = ["status", "kind", "source", "partial"]
    list_select_related = ["created_by"]
    search_fields = ["file_name", "message"]
    date_hierarchy = "created_at"
    exclude = ["file_path"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(WriteKey)
class WriteKeyAdmin(admin.ModelAdmin):
    """Keys of the tracking API. The key is shown so that an admin can copy it into a
    Segment source; deactivate a leaked key rather than delete it, to keep its history."""

    list_display = ["name", "key", "is_active", "last_used_at", "created_at"]
    list_filter = ["is_active"]
    search_fields = ["name"]
    readonly_fields = ["key", "last_used_at", "created_at"]
    fields = ["name", "key", "is_active", "last_used_at", "created_at"]
