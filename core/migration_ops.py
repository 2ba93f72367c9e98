"""Migration operations for moving a model to another app without moving its data.

The model keeps its table (``Meta.db_table``): the old app's migration removes it from
the migration state only, the new app's migration adds it to the state only, and the
model's content type row changes app label, so permissions, admin history and generic
relations that point at it still do.
"""

from __future__ import annotations

from django.db import migrations
from django.db.migrations.operations.base import Operation


def state_only(*operations: Operation) -> migrations.SeparateDatabaseAndState:
    """``operations`` applied to the migration state; the database is left as it is."""
    return migrations.SeparateDatabaseAndState(state_operations=list(operations))


def content_type_moved(model: str, *, from_app: str, to_app: str) -> migrations.RunPython:
    """Relabel the content type of ``model`` (lower case) from ``from_app`` to ``to_app``;
    the reverse operation relabels it back. A database that never had the old row (a
    new installation) has nothing to relabel."""

    def relabel(source: str, target: str):
        def run(apps, schema_editor) -> None:
            content_types = apps.get_model("contenttypes", "ContentType")
            if content_types.objects.filter(app_label=target, model=model).exists():
                return
            content_types.objects.filter(app_label=source, model=model).update(app_label=target)

        return run

    return migrations.RunPython(relabel(from_app, to_app), relabel(to_app, from_app))
