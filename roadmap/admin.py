"""Roadmap items in the admin site, to look at only: every change goes through the
editor's services, which keep positions dense, stamp ship dates and tell the people
behind the linked ideas. An admin-site edit would do none of that."""

from django.contrib import admin

from roadmap.models import RoadmapItem


@admin.register(RoadmapItem)
class RoadmapItemAdmin(admin.ModelAdmin):
    list_display = ["title", "column", "position", "is_public", "target_quarter", "shipped_on"]
    list_filter = ["column", "is_public"]
    search_fields = ["title"]
    ordering = ["column", "position", "pk"]
    filter_horizontal = ["ideas"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
