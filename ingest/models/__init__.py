"""Import jobs and the tracking API's write keys."""

from ingest.models.imports import (
    MAX_STORED_ERRORS,
    ImportedAccount,
    ImportJob,
    TrackedUser,
    WriteKey,
    new_write_key,
)

__all__ = [
    "MAX_STORED_ERRORS",
    "ImportJob",
    "ImportedAccount",
    "TrackedUser",
    "WriteKey",
    "new_write_key",
]
