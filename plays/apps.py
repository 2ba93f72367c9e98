from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlaysConfig(AppConfig):
    """What a CSM does about what the scores say: tasks, playbooks, plays, the rules
    that start them after each recompute, the daily cockpit and whether plays work."""

    name = "plays"
    verbose_name = _("Plays")

    def ready(self) -> None:
        from accounts.extensions import AccountSection, register_account_section
        from core.jobs import on_job_succeeded
        from core.navigation import NavItem, register_nav_item
        from core.roles import Role
        from core.timeline import register_timeline_source
        from plays.selectors.timeline import PLAYS, TASKS
        from plays.services import rules_after_job
        from plays.views.tasks import PANEL_TEMPLATE, account_panel_context

        register_nav_item(NavItem(_("Today"), "plays:today", order=5, roles=frozenset({Role.CSM})))
        register_nav_item(NavItem(_("Team tasks"), "plays:manager", order=85))
        register_nav_item(NavItem(_("Playbooks"), "plays:playbooks", order=70, group="manage"))
        register_nav_item(NavItem(_("Play rules"), "plays:rules", order=71, group="manage"))
        # The rules read what a health, onboarding or product-risk recompute wrote.
        on_job_succeeded(rules_after_job)
        # High on the page: what to do next sits beside how the account is doing.
        register_account_section(
            AccountSection(
                key="tasks",
                template=PANEL_TEMPLATE,
                context=account_panel_context,
                slot="top",
                order=50,
                label=_("Tasks"),
            )
        )
        # Customers never read the timeline: tasks and plays stay among staff.
        register_timeline_source(PLAYS)
        register_timeline_source(TASKS)
