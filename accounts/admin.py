from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from accounts.models import Account, Contact, DailyUsage, Note, SurveyResponse, Ticket, User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ["username", "email", "first_name", "last_name", "role", "is_active"]
    list_filter = ["role", "is_active", "is_staff"]
    list_select_related = ["contact"]
    autocomplete_fields = ["contact"]
    fieldsets = [
        *BaseUserAdmin.fieldsets,
        (_("Role in csplatform"), {"fields": ["role", "contact", "time_zone"]}),
    ]
    add_fieldsets = [
        (
            None,
            {
                "classes": ["wide"],
                "fields": ["username", "role", "contact", "password1", "password2"],
            },
        ),
    ]


class ContactInline(admin.TabularInline):
    model = Contact
    extra = 0
    fields = ["name", "email", "title", "is_champion"]


@admin.register(Account)
class AccountAdmin(admin.ModelAdmin):
    list_display = ["name", "external_id", "plan", "segment", "arr", "csm_owner", "renews_on"]
    list_filter = ["segment", "plan", "lifecycle_stage"]
    search_fields = ["name", "external_id", "domain"]
    list_select_related = ["csm_owner"]
    autocomplete_fields = ["csm_owner"]
    inlines = [ContactInline]


@admin.register(Contact)
class ContactAdmin(admin.ModelAdmin):
    list_display = ["name", "email", "account", "title", "is_champion"]
    list_filter = ["is_champion"]
    search_fields = ["name", "email", "account__name"]
    list_select_related = ["account"]
    autocomplete_fields = ["account"]


# --- Ingested facts and notes: browse and correct, rarely edit -----------------------


@admin.register(Note)
class NoteAdmin(admin.ModelAdmin):
    list_display = ["created_at", "account", "author", "__str__"]
    list_select_related = ["account", "author"]
    search_fields = ["body", "account__name"]
    date_hierarchy = "created_at"
    autocomplete_fields = ["account"]
    raw_id_fields = ["author"]


@admin.register(Ticket)
class TicketAdmin(admin.ModelAdmin):
    list_display = ["external_id", "subject", "account", "priority", "status", "opened_at"]
    list_filter = ["status", "priority"]
    list_select_related = ["account"]
    search_fields = ["external_id", "subject", "account__name"]
    date_hierarchy = "opened_at"
    autocomplete_fields = ["account"]


@admin.register(SurveyResponse)
class SurveyResponseAdmin(admin.ModelAdmin):
    list_display = ["external_id", "account", "contact", "kind", "score", "responded_at"]
    list_filter = ["kind"]
    list_select_related = ["account", "contact"]
    search_fields = ["external_id", "account__name", "comment"]
    date_hierarchy = "responded_at"
    autocomplete_fields = ["account", "contact"]


@admin.register(DailyUsage)
class DailyUsageAdmin(admin.ModelAdmin):
    """Rollups are rebuilt from events by the ingest; editing them by hand would be
    overwritten, so the admin shows them read-only."""

    list_display = ["day", "account", "event", "event_count", "quantity", "active_contacts"]
    list_select_related = ["account"]
    search_fields = ["event", "account__name"]
    date_hierarchy = "day"

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
