"""The shared base's own rows: recompute jobs and their chunks, and the memory of the
hourly write limits."""

from core.models.jobs import Job, JobChunk
from core.models.limits import RecentWrites

__all__ = ["Job", "JobChunk", "RecentWrites"]
