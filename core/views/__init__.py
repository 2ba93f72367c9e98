"""Pages of the shared base: the role-based home, sign-in, the health check, the API
schema and docs, and the recompute jobs."""

from core.views.jobs import jobs, jobs_recompute_all
from core.views.pages import DocsView, SchemaView, admin_login, healthz, home, login, logout

__all__ = [
    "DocsView",
    "SchemaView",
    "admin_login",
    "healthz",
    "home",
    "jobs",
    "jobs_recompute_all",
    "login",
    "logout",
]
