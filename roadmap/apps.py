from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RoadmapConfig(AppConfig):
    name = "roadmap"
    verbose_name = _("Roadmap")

    def ready(self) -> None:
        from core.navigation import NavItem, register_nav_item

        register_nav_item(NavItem(_("Roadmap"), "roadmap:public", order=70))
        register_nav_item(NavItem(_("Roadmap editor"), "roadmap:editor", order=60, group="manage"))
