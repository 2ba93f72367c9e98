from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FeedbackConfig(AppConfig):
    name = "feedback"
    verbose_name = _("Feedback")

    def ready(self) -> None:
        from core.navigation import NavItem, register_nav_item
        from core.roles import PRODUCT_ROLES, Role

        register_nav_item(NavItem(_("Triage"), "feedback:triage", order=30))
        register_nav_item(NavItem(_("Ideas"), "feedback:board", order=40))
        register_nav_item(
            NavItem(_("Product risks"), "feedback:risks", order=50, roles=PRODUCT_ROLES)
        )
        register_nav_item(
            NavItem(
                _("Blocked accounts"), "feedback:my_risks", order=60, roles=frozenset({Role.CSM})
            )
        )
        register_nav_item(
            NavItem(_("Product-risk rule"), "feedback:risk_rule", order=80, group="manage")
        )
        from accounts.extensions import AccountSection, register_account_section
        from accounts.signals import account_data_changed
        from feedback import receivers
        from feedback.views.risk import SECTION_TEMPLATE, account_section_context

        account_data_changed.connect(
            receivers.recompute_after_data_change, dispatch_uid="feedback.product_risk"
        )
        # Under health and onboarding: the product gaps that stand between the account
        # and value are part of "how is this account doing", not an appendix.
        register_account_section(
            AccountSection(
                key="product-risks",
                template=SECTION_TEMPLATE,
                context=account_section_context,
                slot="top",
                order=300,
            )
        )
