from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RoadmapConfig(AppConfig):
    name = "roadmap"
    verbose_name = _("Roadmap")

    def ready(self) -> None:
        from core.navigation import NavItem, register_nav_item
        from feedback import extensions as feedback_extensions
        from roadmap import services

        # A merge carries the duplicate's roadmap items to the idea it went into.
        feedback_extensions.on_merge(services.items_follow_merge)

        register_nav_item(NavItem(_("Roadmap"), "roadmap:public", order=70))
        register_nav_item(NavItem(_("Roadmap editor"), "roadmap:editor", order=60, group="manage"))
