from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProductriskConfig(AppConfig):
    """Product gaps that block several accounts at once: flags, their evidence, who is
    told, and what shipping changed."""

    name = "productrisk"
    verbose_name = _("Product risk")

    def ready(self) -> None:
        from accounts.extensions import AccountSection, register_account_section
        from accounts.signals import account_data_changed
        from core.jobs import register_job_kind
        from core.navigation import NavItem, register_nav_item
        from core.roles import PRODUCT_ROLES, Role
        from feedback import extensions as feedback_extensions
        from productrisk import receivers, selectors
        from productrisk.services import flags
        from productrisk.views.flags import SECTION_TEMPLATE, account_section_context

        register_job_kind(flags.JOB_KIND)

        register_nav_item(
            NavItem(_("Product risks"), "productrisk:risks", order=50, roles=PRODUCT_ROLES)
        )
        register_nav_item(
            NavItem(
                _("Blocked accounts"),
                "productrisk:my_risks",
                order=60,
                roles=frozenset({Role.CSM}),
            )
        )
        register_nav_item(
            NavItem(_("Product-risk rule"), "productrisk:rule", order=80, group="manage")
        )
        account_data_changed.connect(
            receivers.recompute_after_data_change, dispatch_uid="productrisk.recompute"
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
                label=_("Product gaps"),
            )
        )
        # What the board's services and triage table need from product risk.
        feedback_extensions.on_status_change(flags.risk_idea_status_sync)
        feedback_extensions.on_demand_change(flags.product_risk_recompute_after_commit)
        feedback_extensions.register_demand_clock(selectors.demand_as_of)
        feedback_extensions.register_idea_badge(
            feedback_extensions.IdeaBadge(
                key="product-risk",
                template="productrisk/triage_risk_badge.html",
                annotate=selectors.with_risk_badge,
            )
        )
