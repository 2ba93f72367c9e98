from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from notifications.models import Alert
from notifications.services.alerts import alert_emails_retry


@admin.register(Alert)
class AlertAdmin(admin.ModelAdmin):
    """Read-only: alerts are raised by the apps and acknowledged by their recipients."""

    list_display = [
        "title",
        "kind",
        "severity",
        "recipient",
        "created_at",
        "email_state",
        "acknowledged_at",
    ]
    list_filter = ["kind", "severity", "email_state"]
    list_select_related = ["recipient"]
    search_fields = ["title", "recipient__username"]
    readonly_fields = [f.name for f in Alert._meta.fields]

    actions = ["email_again"]

    @admin.action(description=_("Send the e-mail again"), permissions=["change"])
    def email_again(self, request: HttpRequest, queryset: QuerySet[Alert]) -> None:
        """After the mail server or an address was fixed: a given-up e-mail waits again."""
        count = alert_emails_retry(queryset)
        self.message_user(
            request,
            ngettext(
                "%(count)d e-mail will be sent again.",
                "%(count)d e-mails will be sent again.",
                count,
            )
            % {"count": count},
        )

    def has_add_permission(self, request) -> bool:
        return False
