from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Accounts")

    def ready(self) -> None:
        from core.navigation import NavItem, register_nav_item

        register_nav_item(NavItem(_("Portfolio"), "accounts:portfolio", order=10))
        register_nav_item(
            NavItem(_("Getting started"), "accounts:getting_started", order=10, group="manage")
        )
