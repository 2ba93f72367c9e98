from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TtfvConfig(AppConfig):
    name = "ttfv"
    verbose_name = _("Time to first value")

    def ready(self) -> None:
        from accounts.signals import account_data_changed
        from ttfv import health_measure, receivers

        health_measure.register()
        account_data_changed.connect(
            receivers.recompute_after_data_change, dispatch_uid="ttfv.recompute"
        )
