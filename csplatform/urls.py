from django.contrib import admin
from django.urls import include, path, re_path
from django.utils.translation import gettext_lazy as _
from django.views.generic import RedirectView

from accounts import api as accounts_api
from core import views
from core.access import public
from core.routers import Router
from core.views import errors
from feedback.api.ideas import IdeaViewSet
from healthscores import api as health_api
from ingest.api import imports as ingest_api
from notifications.api import inbox as notifications_api
from productrisk.api.flags import ProductRiskViewSet
from roadmap import api as roadmap_api
from ttfv import api as ttfv_api

admin.site.site_header = _("csplatform administration")
admin.site.site_title = _("csplatform")

router = Router(trailing_slash=True)
router.register("accounts", accounts_api.AccountViewSet, basename="account")
router.register("contacts", accounts_api.ContactViewSet, basename="contact")
router.register("import-jobs", ingest_api.ImportJobViewSet, basename="import-job")
router.register("product-risks", ProductRiskViewSet, basename="product-risk")
router.register("ideas", IdeaViewSet, basename="idea")
router.register("roadmap-items", roadmap_api.RoadmapItemViewSet, basename="roadmap-item")
router.register("notifications", notifications_api.NotificationViewSet, basename="notification")

api_patterns = [
    path("me/", accounts_api.MeView.as_view(), name="api-me"),
    path("import/<str:kind>/", ingest_api.BulkImportView.as_view(), name="api-import"),
    path(
        "accounts/<int:account_id>/health/",
        health_api.AccountHealthView.as_view(),
        name="api-account-health",
    ),
    path("health/", health_api.HealthListView.as_view(), name="api-health-list"),
    path("health/backtest/", health_api.BacktestView.as_view(), name="api-health-backtest"),
    path("schema/", views.SchemaView.as_view(), name="api-schema"),
    path("docs/", views.DocsView.as_view(url_name="api-schema"), name="api-docs"),
    path(
        "accounts/<int:account_id>/onboarding/",
        ttfv_api.AccountOnboardingView.as_view(),
        name="api-account-onboarding",
    ),
    *router.urls,
    path("ttfv/cohorts/", ttfv_api.CohortsView.as_view(), name="api-ttfv-cohorts"),
    # Last: whatever no endpoint matched is a JSON 404, not Django's HTML page.
    re_path(r"^.*$", errors.api_not_found, name=errors.NOT_FOUND_NAME),
]

# Under /api/ these answer JSON; elsewhere the friendly templates.
handler400 = errors.bad_request
handler403 = errors.permission_denied
handler404 = errors.page_not_found
handler500 = errors.server_error

urlpatterns = [
    path("", views.home, name="home"),
    path("login/", views.login, name="login"),
    path("logout/", views.logout, name="logout"),
    path("healthz", views.healthz, name="healthz"),
    # Before the admin's own routes: whoever the admin site turns away meets our sign-in
    # or 403 page, not the admin's sign-in form.
    path("admin/login/", views.admin_login, name="admin-login"),
    path("admin/", admin.site.urls),
    path("jobs/", include("core.urls")),
    # The health app's recompute list became every kind's jobs page.
    path("health/runs/", public(RedirectView.as_view(pattern_name="core:jobs", permanent=True))),
    path("api/", include(api_patterns)),
    # The inbox lived under /accounts/alerts/: links in e-mails already sent still work.
    path(
        "accounts/alerts/",
        public(RedirectView.as_view(pattern_name="notifications:inbox", permanent=True)),
    ),
    path("accounts/import/", include("ingest.urls")),
    path("accounts/", include("accounts.urls")),
    path("notifications/", include("notifications.urls")),
    path("health/", include("healthscores.urls")),
    path("onboarding/", include("ttfv.urls")),
    path("ideas/risks/", include("productrisk.urls")),
    path("ideas/", include("feedback.urls")),
    path("", include("roadmap.urls")),
    path("", include("ingest.tracking_urls")),  # Segment-compatible /v1/...
]
