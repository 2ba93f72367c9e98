from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Accounts")

    def ready(self) -> None:
        from accounts.extensions import (
            AccountSection,
            register_account_section,
            register_bulk_action,
        )
        from accounts.selectors.timeline import CHANGES, NOTES
        from accounts.views import bulk, renewals
        from accounts.views import timeline as timeline_views
        from core.navigation import NavItem, register_nav_item
        from core.timeline import register_timeline_source

        register_nav_item(NavItem(_("Portfolio"), "accounts:portfolio", order=10))
        register_nav_item(
            NavItem(_("Getting started"), "accounts:getting_started", order=10, group="manage")
        )
        register_nav_item(
            NavItem(
                _("Sign-in from your product"), "accounts:sso_settings", order=75, group="manage"
            )
        )
        register_account_section(
            AccountSection(
                key="renewals",
                template=renewals.SECTION_TEMPLATE,
                context=renewals.section_context,
                slot="bottom",
                order=10,
            )
        )
        register_timeline_source(NOTES)
        register_timeline_source(CHANGES)
        register_account_section(
            AccountSection(
                key="timeline",
                template=timeline_views.SECTION_TEMPLATE,
                context=timeline_views.section_context,
                slot="bottom",
                order=5,
                label=_("Timeline"),
            )
        )
        # The built-in bulk actions go through the same door as other apps' ("start a
        # playbook"), so the portfolio treats them all alike.
        register_bulk_action(bulk.REASSIGN)
        register_bulk_action(bulk.SET_STAGE)
