from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HealthscoresConfig(AppConfig):
    name = "healthscores"
    verbose_name = _("Health scores")

    def ready(self) -> None:
        from accounts.extensions import register_portfolio_extension
        from accounts.signals import account_data_changed
        from healthscores import receivers
        from healthscores.views import portfolio

        account_data_changed.connect(
            receivers.recompute_after_data_change, dispatch_uid="healthscores.recompute"
        )
        register_portfolio_extension(portfolio.EXTENSION)
