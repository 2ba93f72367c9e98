from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    """The shared base: every app may import it, and it imports no app."""

    name = "core"
    verbose_name = _("Core")

    def ready(self) -> None:
        from core.health import register_pending_work
        from core.jobs import oldest_pending
        from core.navigation import NavItem, register_nav_item
        from core.roles import STAFF_ROLES

        register_pending_work("recompute jobs", oldest_pending)
        register_nav_item(NavItem(_("Recompute jobs"), "core:jobs", order=40, group="manage"))
        # Everyone may read the docs of what they may call; the link is for staff, whose
        # integrations use the API.
        register_nav_item(
            NavItem(_("API docs"), "api-docs", order=70, group="manage", roles=STAFF_ROLES)
        )
