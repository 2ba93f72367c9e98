"""Recording changes in the audit trail (``core.models.AuditEvent``).

Services call :func:`audit_changes` inside their own transaction, with the values
before and after, so that the record and the change are one commit. A bulk action
writes every row's record in one INSERT.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from typing import Any

from django.db.models import Model
from django.utils import timezone

from core.models import AuditEvent

#: Rows per INSERT when a bulk action records thousands of changes.
BATCH_SIZE = 2000


def audit_changes(
    *,
    actor: Any,
    action: str,
    model: type[Model],
    changes: Mapping[int, Mapping[str, tuple[Any, Any]]],
    batch: uuid.UUID | None = None,
) -> uuid.UUID:
    """Record ``changes`` (row id -> field -> (before, after)) of rows of ``model``.

    Returns the batch id every record of this call shares. Rows whose changes are empty
    (the value was already what was asked) are not recorded: nothing changed.
    """
    batch = batch or uuid.uuid4()
    now = timezone.now()
    target_type = model._meta.label_lower
    AuditEvent.objects.bulk_create(
        [
            AuditEvent(
                actor=actor,
                action=action,
                target_type=target_type,
                target_id=pk,
                changes={name: [before, after] for name, (before, after) in fields.items()},
                batch=batch,
                created_at=now,
            )
            for pk, fields in changes.items()
            if fields
        ],
        batch_size=BATCH_SIZE,
    )
    return batch
