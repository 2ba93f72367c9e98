from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IngestConfig(AppConfig):
    """Every door data comes in by (the import page, REST, the CLI, the Segment-compatible
    tracking API) and the one pipeline behind them."""

    name = "ingest"
    verbose_name = _("Data import")

    def ready(self) -> None:
        from core.health import register_pending_work
        from core.navigation import NavItem, register_nav_item
        from core.timeline import register_timeline_source
        from ingest.selectors import IMPORTS
        from ingest.services.imports import import_oldest_pending

        register_pending_work("import jobs", import_oldest_pending)
        register_nav_item(NavItem(_("Import data"), "ingest:import", order=20, group="manage"))
        register_timeline_source(IMPORTS)
