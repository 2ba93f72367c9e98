from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DemoConfig(AppConfig):
    """Demo data for every app and the ``seed_demo`` command: the one app allowed to know
    all the others, at the top of the layers."""

    name = "demo"
    verbose_name = _("Demo data")
