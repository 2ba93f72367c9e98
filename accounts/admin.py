from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from accounts.models import Account, Contact, User


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
