"""Admin pages for auditing health data. Scorecards are edited in the app's own editor,
which versions every change; here they are read-only."""

from django.contrib import admin

from healthscores.models import (
    HealthOverride,
    HealthSnapshot,
    Scorecard,
    ScorecardVersion,
    Sentiment,
)


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(HealthSnapshot)
class HealthSnapshotAdmin(ReadOnlyAdmin):
    list_display = [
        "account",
        "day",
        "score",
        "band",
        "override_band",
        "divergent",
        "scorecard_version",
    ]
    list_filter = ["band", "divergent"]
    list_select_related = ["account"]
    search_fields = ["account__name"]
    date_hierarchy = "day"


@admin.register(Sentiment)
class SentimentAdmin(ReadOnlyAdmin):
    list_display = ["account", "value", "set_by", "set_at"]
    list_filter = ["value"]
    list_select_related = ["account", "set_by"]
    search_fields = ["account__name", "comment"]


@admin.register(HealthOverride)
class HealthOverrideAdmin(ReadOnlyAdmin):
    list_display = ["account", "band", "starts_on", "expires_on", "ended_on", "set_by"]
    list_select_related = ["account", "set_by"]
    search_fields = ["account__name", "reason"]


@admin.register(Scorecard)
class ScorecardAdmin(ReadOnlyAdmin):
    list_display = ["name", "segment", "red_below", "green_from", "version", "updated_at"]


@admin.register(ScorecardVersion)
class ScorecardVersionAdmin(ReadOnlyAdmin):
    list_display = ["scorecard", "version", "saved_by", "saved_at"]
    list_select_related = ["scorecard", "saved_by"]
