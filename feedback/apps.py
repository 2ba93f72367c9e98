from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FeedbackConfig(AppConfig):
    name = "feedback"
    verbose_name = _("Feedback")

    def ready(self) -> None:
        from core.navigation import NavItem, register_nav_item

        register_nav_item(NavItem(_("Triage"), "feedback:triage", order=30))
        register_nav_item(NavItem(_("Ideas"), "feedback:board", order=40))
