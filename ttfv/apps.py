from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TtfvConfig(AppConfig):
    name = "ttfv"
    verbose_name = _("Time to first value")

    def ready(self) -> None:
        from core.jobs import register_job_kind
        from core.timeline import register_timeline_source
        from ttfv.selectors.timeline import MILESTONES
        from ttfv.services import JOB_KIND

        register_job_kind(JOB_KIND)
        from core.navigation import NavItem, register_nav_item

        register_nav_item(NavItem(_("Onboarding"), "ttfv:dashboard", order=20))
        register_nav_item(
            NavItem(_("Onboarding milestones"), "ttfv:templates", order=50, group="manage")
        )
        from accounts.extensions import AccountSection, register_account_section
        from accounts.signals import account_data_changed
        from ttfv import health_measure, receivers
        from ttfv.views.account import SECTION_TEMPLATE, section_context

        health_measure.register()
        account_data_changed.connect(
            receivers.recompute_after_data_change, dispatch_uid="ttfv.recompute"
        )
        # Under the health section (order 100), above usage.
        register_account_section(
            AccountSection(
                key="onboarding",
                template=SECTION_TEMPLATE,
                context=section_context,
                slot="top",
                order=200,
                label=_("Onboarding"),
            )
        )
        register_timeline_source(MILESTONES)
