"""csplatform: the Django project package (settings, URLs, Celery app, shared helpers)."""

from csplatform.celery import app as celery_app

__all__ = ["celery_app"]
