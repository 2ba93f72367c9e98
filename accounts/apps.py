from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Accounts")

    def ready(self) -> None:
        from accounts.extensions import AccountSection, register_account_section
        from accounts.views import renewals
        from core.navigation import NavItem, register_nav_item

        register_nav_item(NavItem(_("Portfolio"), "accounts:portfolio", order=10))
        register_nav_item(
            NavItem(_("Getting started"), "accounts:getting_started", order=10, group="manage")
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
