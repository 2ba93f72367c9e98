from django.contrib import admin

from notifications.models import Alert


@admin.register(Alert)
class AlertAdmin(admin.ModelAdmin):
    """Read-only: alerts are raised by the apps and acknowledged by their recipients."""

    list_display = ["title", "kind", "severity", "recipient", "created_at", "acknowledged_at"]
    list_filter = ["kind", "severity"]
    list_select_related = ["recipient"]
    search_fields = ["title", "recipient__username"]
    readonly_fields = [f.name for f in Alert._meta.fields]

    def has_add_permission(self, request) -> bool:
        return False
