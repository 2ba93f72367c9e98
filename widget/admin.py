from django.contrib import admin

from widget.models import AllowedOrigin, NudgeDismissal, WidgetPerson, WidgetSettings


@admin.register(AllowedOrigin)
class AllowedOriginAdmin(admin.ModelAdmin):
    list_display = ["origin", "created_at", "created_by"]
    readonly_fields = ["created_by"]


@admin.register(WidgetSettings)
class WidgetSettingsAdmin(admin.ModelAdmin):
    list_display = ["__str__", "accent_colour", "position", "updated_at"]


@admin.register(WidgetPerson)
class WidgetPersonAdmin(admin.ModelAdmin):
    list_display = ["contact", "read_shipped_on", "nudged_on"]
    raw_id_fields = ["contact"]


@admin.register(NudgeDismissal)
class NudgeDismissalAdmin(admin.ModelAdmin):
    list_display = ["contact", "milestone", "dismissed_at"]
    raw_id_fields = ["contact", "milestone"]
