from django.contrib import admin

from feedback.models import Category, Idea, StatusLabel, Tag
from feedback.selectors.statuses import labels_clear


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "position"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Tag)
class TagAdmin(admin.ModelAdmin):
    list_display = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    search_fields = ["name"]


@admin.register(StatusLabel)
class StatusLabelAdmin(admin.ModelAdmin):
    """Admins rename statuses here; every page reads the new label at once."""

    list_display = ["status", "label"]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        labels_clear()

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        labels_clear()


@admin.register(Idea)
class IdeaAdmin(admin.ModelAdmin):
    list_display = ["title", "status", "language", "vote_count", "comment_count", "created_at"]
    list_filter = ["status", "language", "category"]
    search_fields = ["title"]
    readonly_fields = ["vote_count", "comment_count", "trend_score", "merged_into"]
    raw_id_fields = ["author"]
