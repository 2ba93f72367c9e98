"""The shared base's own rows: recompute jobs and their chunks."""

from core.models.jobs import Job, JobChunk

__all__ = ["Job", "JobChunk"]
