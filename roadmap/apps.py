from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RoadmapConfig(AppConfig):
    name = "roadmap"
    verbose_name = _("Roadmap")

    def ready(self) -> None:
        from core.navigation import NavItem, register_nav_item
        from core.roles import PRODUCT_ROLES
        from feedback import extensions as feedback_extensions
        from roadmap import selectors, services

        # A merge carries the duplicate's roadmap items to the idea it went into.
        feedback_extensions.on_merge(services.items_follow_merge)
        # Put an idea on the roadmap from where the PM decides on it (its triage row and
        # its page), and show on the idea's page the items that carry it.
        feedback_extensions.register_idea_action(
            feedback_extensions.IdeaAction(
                key="roadmap",
                label=_("Put on the roadmap"),
                url=selectors.put_on_roadmap_url,
                roles=PRODUCT_ROLES,
            )
        )
        feedback_extensions.register_idea_panel(
            feedback_extensions.IdeaPanel(
                key="roadmap",
                template="roadmap/_idea_roadmap.html",
                context=selectors.idea_roadmap,
            )
        )

        register_nav_item(NavItem(_("Roadmap"), "roadmap:public", order=70))
        register_nav_item(NavItem(_("Roadmap editor"), "roadmap:editor", order=60, group="manage"))
