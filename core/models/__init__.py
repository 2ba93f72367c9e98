"""The shared base's own rows: recompute jobs and their chunks, the memory of the
hourly write limits, and the audit trail."""

from core.models.audit import AuditEvent
from core.models.jobs import Job, JobChunk
from core.models.limits import RecentWrites

__all__ = ["AuditEvent", "Job", "JobChunk", "RecentWrites"]
