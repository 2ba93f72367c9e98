"""Migration operations for moving a model to another app without moving its data.

The model keeps its table (``Meta.db_table``): the old app's migration removes it from
the migration state only, the new app's migration adds it to the state only, and the
model's content type row changes app label, so permissions, admin history and generic
relations that point at it still do.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from django.db import migrations
from django.db.migrations.operations.base import Operation

if TYPE_CHECKING:
    from django.db.backends.base.schema import BaseDatabaseSchemaEditor
    from django.db.migrations.state import StateApps


def state_only(*operations: Operation) -> migrations.SeparateDatabaseAndState:
    """``operations`` applied to the migration state; the database is left as it is."""
    return migrations.SeparateDatabaseAndState(state_operations=list(operations))


def content_type_moved(
    model: str, *, from_app: str, to_app: str, to_model: str | None = None
) -> migrations.RunPython:
    """Relabel the content type of ``model`` (lower case) from ``from_app`` to ``to_app``
    (and to ``to_model`` when the model was renamed too); the reverse operation relabels
    it back. A database that never had the old row (a new installation) has nothing to
    relabel."""
    new_model = to_model or model

    def relabel(
        source: tuple[str, str], target: tuple[str, str]
    ) -> Callable[[StateApps, BaseDatabaseSchemaEditor], None]:
        def run(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
            content_types = apps.get_model("contenttypes", "ContentType")
            if content_types.objects.filter(app_label=target[0], model=target[1]).exists():
                return
            moved = content_types.objects.filter(app_label=source[0], model=source[1]).first()
            if moved is None:
                return
            moved.app_label, moved.model = target
            moved.save(update_fields=["app_label", "model"])
            if source[1] != target[1]:
                # The default permissions are named after the model: rename them, or
                # the next migrate adds a second set beside the old one.
                permissions = apps.get_model("auth", "Permission")
                for permission in permissions.objects.filter(content_type=moved):
                    action, _sep, rest = permission.codename.partition("_")
                    if rest == source[1]:
                        permission.codename = f"{action}_{target[1]}"
                        permission.save(update_fields=["codename"])

        return run

    old, new = (from_app, model), (to_app, new_model)
    return migrations.RunPython(relabel(old, new), relabel(new, old))
