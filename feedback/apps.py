from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FeedbackConfig(AppConfig):
    name = "feedback"
    verbose_name = _("Feedback")

    def ready(self) -> None:
        from core.navigation import NavItem, register_nav_item
        from core.timeline import register_timeline_source
        from feedback.selectors.demand import needs_triage_count
        from feedback.selectors.timeline import IDEAS

        register_nav_item(
            NavItem(
                _("Triage"),
                "feedback:triage",
                order=30,
                # The same queue for every PM: the viewer does not change the count.
                count=lambda user: needs_triage_count(),
                count_template="feedback/nav_triage_count.html",
            )
        )
        register_nav_item(NavItem(_("Ideas"), "feedback:board", order=40))
        register_timeline_source(IDEAS)
