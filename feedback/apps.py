from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FeedbackConfig(AppConfig):
    name = "feedback"
    verbose_name = _("Feedback")

    def ready(self) -> None:
        from accounts.signals import account_data_changed
        from feedback import receivers

        account_data_changed.connect(
            receivers.recompute_after_data_change, dispatch_uid="feedback.product_risk"
        )
