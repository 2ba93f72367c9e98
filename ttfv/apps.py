from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TtfvConfig(AppConfig):
    name = "ttfv"
    verbose_name = _("Time to first value")
