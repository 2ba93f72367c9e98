from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    """The one inbox every app raises alerts into, and the e-mails that go with them."""

    name = "notifications"
    verbose_name = _("Notifications")

    def ready(self) -> None:
        from core.navigation import NavItem, register_nav_item
        from core.timeline import register_timeline_source
        from notifications import selectors
        from notifications.selectors.timeline import ALERTS

        register_nav_item(
            NavItem(
                _("Notifications"),
                "notifications:inbox",
                order=80,
                count=selectors.unread_alert_count,
            )
        )
        register_timeline_source(ALERTS)
