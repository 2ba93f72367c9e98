import allauth.urls
from django.contrib import admin
from django.urls import include, path, re_path
from django.utils.translation import gettext_lazy as _
from django.views.generic import RedirectView

from accounts import api as accounts_api
from accounts import views as accounts_views
from core import views
from core.access import declare_policies, public
from core.roles import ALL_ROLES, STAFF_ROLES
from core.routers import Router
from core.views import errors
from feedback.api.ideas import IdeaViewSet
from healthscores import api as health_api
from ingest.api import imports as ingest_api
from notifications.api import inbox as notifications_api
from notifications.api import preferences as notification_preferences_api
from plays.api.tasks import TaskViewSet
from productrisk.api.flags import ProductRiskViewSet
from roadmap import api as roadmap_api
from ttfv import api as ttfv_api
from widget import views as widget_views

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
router.register("tasks", TaskViewSet, basename="task")

api_patterns = [
    path("me/", accounts_api.MeView.as_view(), name="api-me"),
    path("invitations/", accounts_api.InvitationListView.as_view(), name="api-invitations"),
    path(
        "invitations/<int:pk>/resend/",
        accounts_api.InvitationResendView.as_view(),
        name="api-invitation-resend",
    ),
    path(
        "invitations/<int:pk>/revoke/",
        accounts_api.InvitationRevokeView.as_view(),
        name="api-invitation-revoke",
    ),
    path("import/<str:kind>/", ingest_api.BulkImportView.as_view(), name="api-import"),
    path(
        "accounts/<int:account_id>/health/",
        health_api.AccountHealthView.as_view(),
        name="api-account-health",
    ),
    path(
        "accounts/<int:account_id>/timeline/",
        accounts_api.AccountTimelineView.as_view(),
        name="api-account-timeline",
    ),
    path("health/", health_api.HealthListView.as_view(), name="api-health-list"),
    path("health/backtest/", health_api.BacktestView.as_view(), name="api-health-backtest"),
    path(
        "health/scorecards/<int:scorecard_id>/previews/",
        health_api.ScorecardPreviewRequestView.as_view(),
        name="api-scorecard-preview-request",
    ),
    path(
        "health/scorecards/<int:scorecard_id>/previews/<int:job_id>/",
        health_api.ScorecardPreviewView.as_view(),
        name="api-scorecard-preview",
    ),
    path(
        "health/scorecards/<int:scorecard_id>/previews/<int:job_id>/cancel/",
        health_api.ScorecardPreviewCancelView.as_view(),
        name="api-scorecard-preview-cancel",
    ),
    path("schema/", views.SchemaView.as_view(), name="api-schema"),
    path("docs/", views.DocsView.as_view(url_name="api-schema"), name="api-docs"),
    path(
        "accounts/<int:account_id>/onboarding/",
        ttfv_api.AccountOnboardingView.as_view(),
        name="api-account-onboarding",
    ),
    path(
        "notifications/preferences/",
        notification_preferences_api.PreferencesView.as_view(),
        name="api-notification-preferences",
    ),
    *router.urls,
    path("ttfv/cohorts/", ttfv_api.CohortsView.as_view(), name="api-ttfv-cohorts"),
    path("ttfv/guidance/", ttfv_api.GuidanceView.as_view(), name="api-ttfv-guidance"),
    # Last: whatever no endpoint matched is a JSON 404, not Django's HTML page.
    re_path(r"^.*$", errors.api_not_found, name=errors.NOT_FOUND_NAME),
]

# Under /api/ these answer JSON; elsewhere the friendly templates.
handler400 = errors.bad_request
handler403 = errors.permission_denied
handler404 = errors.page_not_found
handler500 = errors.server_error

# django-allauth's pages (sign-in codes, password reset, single sign-on) under /auth/.
# Getting in is open to anyone; managing a password needs a signed-in person; changing
# the e-mail address allauth keeps is not offered (a customer's address is their
# contact's), so it is refused like every route not named here.
allauth_patterns = declare_policies(
    list(allauth.urls.urlpatterns),
    public_names={
        "account_login",
        "account_logout",
        "account_inactive",
        "account_signup",
        "account_reset_password",
        "account_reset_password_done",
        "account_reset_password_from_key",
        "account_reset_password_from_key_done",
        "account_request_login_code",
        "account_confirm_login_code",
        "account_confirm_email",
        "account_email_verification_sent",
        "socialaccount_login_cancelled",
        "socialaccount_login_error",
        "socialaccount_signup",
        "openid_connect_login",
        "openid_connect_callback",
    },
    allowed={
        "account_change_password": ALL_ROLES,
        "account_set_password": ALL_ROLES,
        "account_reauthenticate": ALL_ROLES,
        "socialaccount_connections": STAFF_ROLES,
    },
)

urlpatterns = [
    path("", views.home, name="home"),
    # Our addresses for allauth's sign-in and sign-out: links in old e-mails, bookmarks
    # and the tests keep working, and allauth's own links lead here too (first name wins).
    path("login/", views.login, name="login"),
    path("login/", views.login, name="account_login"),
    path("logout/", views.logout, name="logout"),
    path("logout/", views.logout, name="account_logout"),
    path("auth/", include(allauth_patterns)),
    path("invite/<str:token>/", accounts_views.invitation_accept, name="invitation_accept"),
    path("join/", accounts_views.signup, name="signup"),
    # Django's own name, so {% url 'set_language' %} and its documentation still apply.
    path("i18n/setlang/", accounts_views.language_set, name="set_language"),
    path("me/", accounts_views.user_settings, name="user_settings"),
    # Sign-in from the vendor's product: a signed token in the link (README, "SSO token").
    path("sso/", accounts_views.sso_sign_in, name="sso"),
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
    path("", include("plays.urls")),  # /today/ and /plays/...
    path("ideas/", include("feedback.urls")),
    path("", include("roadmap.urls")),
    path("", include("ingest.tracking_urls")),  # Segment-compatible /v1/...
    # The in-app widget: the address vendors paste (a redirect to the hashed script),
    # its API for widget.js, and its settings page.
    path("widget.js", widget_views.script, name="widget-script"),
    path("widget/", include("widget.urls")),
]
