from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HealthscoresConfig(AppConfig):
    name = "healthscores"
    verbose_name = _("Health scores")

    def ready(self) -> None:
        from django.db.models.signals import post_delete, pre_delete

        from accounts.extensions import (
            AccountSection,
            register_account_section,
            register_portfolio_extension,
        )
        from accounts.models import Account
        from accounts.signals import account_data_changed
        from core.jobs import register_job_kind
        from core.navigation import NavItem, register_nav_item
        from core.timeline import register_timeline_source
        from healthscores import receivers
        from healthscores.measures import register_family
        from healthscores.raw_values import BUILTIN_FAMILIES
        from healthscores.selectors import timeline
        from healthscores.services import JOB_KIND, REPLAY_JOB_KIND
        from healthscores.views import account as account_views
        from healthscores.views import portfolio

        register_job_kind(JOB_KIND)
        register_job_kind(REPLAY_JOB_KIND)
        for family in BUILTIN_FAMILIES:
            register_family(family)
        register_nav_item(
            NavItem(_("Health scorecards"), "healthscores:scorecards", order=30, group="manage")
        )
        register_nav_item(
            NavItem(_("Does red predict churn?"), "healthscores:backtest", order=31, group="manage")
        )
        account_data_changed.connect(
            receivers.recompute_after_data_change, dispatch_uid="healthscores.recompute"
        )
        # Deleting (erasing) an account cascades to its snapshots: the days they were
        # counted in are recounted in the same transaction.
        pre_delete.connect(
            receivers.days_before_account_delete,
            sender=Account,
            dispatch_uid="healthscores.totals_days",
        )
        post_delete.connect(
            receivers.recount_after_account_delete,
            sender=Account,
            dispatch_uid="healthscores.totals_recount",
        )
        register_account_section(
            AccountSection(
                key="health",
                template=account_views.SECTION_TEMPLATE,
                context=account_views.section_context,
                slot="top",
                order=10,
                label=_("Health"),
            )
        )
        register_portfolio_extension(portfolio.EXTENSION)
        for source in (timeline.SENTIMENT, timeline.OVERRIDES, timeline.BAND_CHANGES):
            register_timeline_source(source)
