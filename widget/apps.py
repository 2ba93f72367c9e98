from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WidgetConfig(AppConfig):
    name = "widget"
    verbose_name = _("In-app widget")

    def ready(self) -> None:
        from core.navigation import NavItem, register_nav_item

        register_nav_item(NavItem(_("In-app widget"), "widget:settings", order=95, group="manage"))
