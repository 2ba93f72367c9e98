"""Settings for csplatform, read from the environment (see README, "Configuration").

Two modes share this one file so that what is in force is visible in one place:

* development (the default): SQLite file, Celery tasks run inline, local-memory cache,
  e-mail printed on the console. Nothing to configure.
* production (``CSPLATFORM_ENV=production``): every secret and service must be given;
  a missing one stops start-up with a single line naming it.

``DATABASE_URL`` and ``REDIS_URL`` work in either mode, which is how the test suite
runs against real PostgreSQL and Redis in CI.
"""

from __future__ import annotations

from pathlib import Path

from csp.constants import NONE, SELF

from csplatform.beat import DEFAULT_ENTRIES, build_schedule
from csplatform.env import ConfigError, env

BASE_DIR = Path(__file__).resolve().parent.parent

ENVIRONMENT = env.choice("CSPLATFORM_ENV", ["development", "production"], "development")
PRODUCTION = ENVIRONMENT == "production"
_IN_PRODUCTION = "CSPLATFORM_ENV is production"

DEBUG = env.bool("DEBUG", default=False)

if PRODUCTION:
    # Debug pages show settings, SQL and source to anyone who triggers an error.
    if DEBUG:
        raise ConfigError(
            "DEBUG=true is refused when CSPLATFORM_ENV is production: "
            "remove DEBUG or set it to false."
        )
    SECRET_KEY = env.secret_key("SECRET_KEY", required_because=_IN_PRODUCTION)
    ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", required_because=_IN_PRODUCTION)
    DATABASES = {"default": env.database("DATABASE_URL", required_because=_IN_PRODUCTION)}
    REDIS_URL = env.str("REDIS_URL", required_because=_IN_PRODUCTION)
else:
    # Development only: this key signs nothing that leaves the developer's machine.
    SECRET_KEY = env.str("SECRET_KEY", "development-only-key-never-used-in-production-0123456789")
    ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]", "testserver"])
    DATABASES = {"default": env.database("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
    REDIS_URL = env.str("REDIS_URL", "")

CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", [])

DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("DB_CONN_MAX_AGE", 60, minimum=0))
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # A busy timeout lets the inline task runner and the web request share the file.
    # IMMEDIATE: a transaction takes the write lock when it begins, so it waits out that
    # timeout. Begun deferred, one that read first and then wrote failed at once with
    # "database is locked" (a 500) whenever another request was writing.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"timeout": 20, "transaction_mode": "IMMEDIATE"}
    )
    DATABASES["default"]["CONN_MAX_AGE"] = 0

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_htmx",
    "csp",
    "allauth",
    "allauth.account",
    "allauth.socialaccount",
    "allauth.socialaccount.providers.openid_connect",
    "core",
    "accounts",
    "notifications",
    "ingest",
    "healthscores",
    "ttfv",
    "feedback",
    "roadmap",
    "productrisk",
    "plays",
    "widget",
    "demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # django-csp's, plus the staff sign-in provider as a form target (see its docstring).
    "core.middleware.ContentSecurityPolicyMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "core.middleware.UserTimezoneMiddleware",
    "core.middleware.UserLanguageMiddleware",
    "core.access.AccessPolicyMiddleware",
    "core.middleware.RefuseNulMiddleware",
]

ROOT_URLCONF = "csplatform.urls"
WSGI_APPLICATION = "csplatform.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "core.navigation.navigation",
            ],
        },
    },
]

AUTH_USER_MODEL = "accounts.User"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Signing in: django-allauth (see README, "Signing in"). A username or an e-mail address
# with a password, a code sent by e-mail, or, for staff, the company's OpenID Connect
# provider. Customers join by invitation or by their company's verified domain, never by
# an open sign-up form (accounts.adapters.AccountAdapter keeps allauth's closed).
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
ACCOUNT_ADAPTER = "accounts.adapters.AccountAdapter"
ACCOUNT_FORMS = {"login": "accounts.forms.signin.SignInForm"}
SOCIALACCOUNT_ADAPTER = "accounts.adapters.StaffSocialAccountAdapter"
ACCOUNT_LOGIN_METHODS = {"username", "email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "username*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = "none"
ACCOUNT_UNIQUE_EMAIL = True
# Persistent sessions for SESSION_COOKIE_AGE, as before; no "remember me" box to explain.
ACCOUNT_SESSION_REMEMBER = True
ACCOUNT_LOGOUT_ON_GET = False
ACCOUNT_LOGIN_BY_CODE_ENABLED = True
ACCOUNT_LOGIN_BY_CODE_TIMEOUT = env.int("ACCOUNT_LOGIN_BY_CODE_TIMEOUT", 15 * 60, minimum=60)
# Asking for a code or a reset never tells whether the address is known.
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_EMAIL_UNKNOWN_ACCOUNTS = False
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "https" if PRODUCTION else "http"
#: Per address ("key") and per IP. "login_failed" is the lockout: 50 wrong passwords for
#: one address within 30 minutes refuse further tries; the page tells the person to sign
#: in with a code or reset the password (accounts.adapters.AccountAdapter).
ACCOUNT_RATE_LIMITS = {
    "login": env.str("RATE_LIMIT_LOGIN", "30/m/ip"),
    "login_failed": env.str("RATE_LIMIT_LOGIN_FAILED", "100/5m/ip,50/30m/key"),
    "request_login_code": env.str("RATE_LIMIT_LOGIN_CODE", "20/m/ip,5/5m/key"),
    "reset_password": env.str("RATE_LIMIT_RESET_PASSWORD", "20/m/ip,5/5m/key"),
    "reset_password_from_key": "20/m/ip",
    "change_password": "5/m/user",
    "signup": "20/m/ip",
}
#: How long an invitation link stays good.
INVITATION_DAYS = env.int("INVITATION_DAYS", 14, minimum=1)

# Staff single sign-on with OpenID Connect (Google Workspace, Okta, Entra ID, Keycloak…).
# Off unless OIDC_SERVER_URL is set. OIDC_ROLE_CLAIM names the claim (a string or a list
# of groups) and OIDC_ROLE_MAP maps its values to roles ("cs-team=csm,product=pm");
# without a match the role an admin set stays, and a person we do not know is refused.
OIDC_SERVER_URL = env.str("OIDC_SERVER_URL", "")
OIDC_PROVIDER_NAME = env.str("OIDC_PROVIDER_NAME", "Single sign-on")
OIDC_ROLE_CLAIM = env.str("OIDC_ROLE_CLAIM", "groups")
OIDC_ROLE_MAP: dict[str, str] = dict(
    str(item).split("=", 1) for item in env.list("OIDC_ROLE_MAP", []) if "=" in str(item)
)
#: With single sign-on on, staff may be kept from signing in with a password.
STAFF_PASSWORD_LOGIN = env.bool("STAFF_PASSWORD_LOGIN", True)
SOCIALACCOUNT_ONLY = False
SOCIALACCOUNT_LOGIN_ON_GET = False
SOCIALACCOUNT_EMAIL_AUTHENTICATION = False
SOCIALACCOUNT_AUTO_SIGNUP = True
SOCIALACCOUNT_STORE_TOKENS = False
SOCIALACCOUNT_PROVIDERS = {
    "openid_connect": {
        "OAUTH_PKCE_ENABLED": True,
        "APPS": [
            {
                "provider_id": "staff",
                "name": OIDC_PROVIDER_NAME,
                "client_id": env.str("OIDC_CLIENT_ID", ""),
                "secret": env.str("OIDC_CLIENT_SECRET", ""),
                "settings": {"server_url": OIDC_SERVER_URL},
            }
        ]
        if OIDC_SERVER_URL
        else [],
    }
}

# Stored in UTC, shown in each user's zone (User.time_zone, see UserTimezoneMiddleware).
USE_TZ = True
TIME_ZONE = env.str("TIME_ZONE", "UTC")
# Each language names itself, so a reader finds their own in the switcher whatever
# language the page is in. Adding one: see "How to add a language" in README.md.
LANGUAGES = [("en", "English"), ("es", "Español"), ("el", "Ελληνικά")]
# The installation's default: what a visitor reads when neither a saved choice, the
# language cookie nor the browser's Accept-Language names one of LANGUAGES.
LANGUAGE_CODE = env.choice("LANGUAGE_CODE", [code for code, _name in LANGUAGES], "en")
USE_I18N = True
LOCALE_PATHS = [BASE_DIR / "locale"]
# Our date and number formats where Django's differ from how each language is printed
# (Greek dates in words with the month in the genitive, Spanish thousands with a point).
FORMAT_MODULE_PATH = ["csplatform.formats"]
# The currency of every amount (ARR, revenue at risk), as an ISO 4217 code: one per
# installation, shown with the symbol in the reader's language (core.formats.money).
CURRENCY = env.str("CURRENCY", "USD")

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

STATIC_URL = "static/"
# Only the production image collects static files; development serves them from finders.
STATIC_ROOT = env.str("STATIC_ROOT", str(BASE_DIR / "staticfiles")) if PRODUCTION else None
STATICFILES_FINDERS = [
    "django.contrib.staticfiles.finders.FileSystemFinder",
    "django.contrib.staticfiles.finders.AppDirectoriesFinder",
    "core.staticfinders.PlotlyFinder",
]
# Uploaded import files wait here for a worker: a volume shared by web and workers.
MEDIA_ROOT = env.str("MEDIA_ROOT", str(BASE_DIR / "media"))
MEDIA_URL = "media/"

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        # Hashed, compressed files need `collectstatic`, which the production image runs.
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if PRODUCTION
        else "django.contrib.staticfiles.storage.StaticFilesStorage",
    },
}
# In development whitenoise serves straight from the finders, so no collectstatic step.
WHITENOISE_USE_FINDERS = not PRODUCTION
WHITENOISE_AUTOREFRESH = DEBUG

if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "csplatform",
            # The cache is an accelerator (core.cache): with Redis away a page gives up on
            # it within a second and reads the database.
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

_email = env.email("EMAIL_URL", "consolemail://")
EMAIL_BACKEND = _email["EMAIL_BACKEND"]
EMAIL_HOST = _email.get("EMAIL_HOST", "")
EMAIL_PORT = _email.get("EMAIL_PORT") or 25
EMAIL_HOST_USER = _email.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = _email.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = _email.get("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = _email.get("EMAIL_USE_SSL", False)
#: Where ``filemail:////dir`` writes each e-mail (a staging server, tests of real workers).
EMAIL_FILE_PATH = _email.get("EMAIL_FILE_PATH") or None
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", "csplatform <noreply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
#: The address people open the app at; e-mails link back to it.
SITE_URL = env.str("SITE_URL", "http://127.0.0.1:8000")

# Security. The production defaults make `manage.py check --deploy` silent; each can be
# relaxed from the environment (for instance SECURE_SSL_REDIRECT=false behind a proxy
# that already redirects).
SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", PRODUCTION)
# Scripts never read the session cookie; other sites' forms never carry it.
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", PRODUCTION)
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", PRODUCTION)
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", 31_536_000 if PRODUCTION else 0, minimum=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", PRODUCTION)
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", PRODUCTION)
if env.bool("TRUST_X_FORWARDED_PROTO", PRODUCTION):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
#: Reverse proxies in front of the app that append to X-Forwarded-For: how attempt limits
#: (core.throttle) find the client's address. 0 trusts the header not at all.
NUM_PROXIES = env.int("NUM_PROXIES", 0, minimum=0)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Content-Security-Policy (django-csp), the same in every mode so that development shows
# a violation before production does. Only our own files run or style a page: no inline
# script, style or event handler, no eval. Plotly figures travel as JSON (json_script)
# and are drawn by static js/charts.js, with plotly's stylesheet served as a file
# (core/plotly_assets.py); htmx's indicator style lives in app.css (htmx-config in
# base.html). The one nonce is the API docs' (core.views.pages.DocsView), whose page is
# drf-spectacular's. A deployer adds an origin here (README, "Production").
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
    },
}
# Browser features no page of ours uses, turned off for every frame: a script that ever
# got in cannot use them either. Only names Chromium knows (it warns about others).
PERMISSIONS_POLICY: dict[str, list[str]] = {
    feature: []
    for feature in (
        "accelerometer",
        "autoplay",
        "browsing-topics",
        "camera",
        "clipboard-read",
        "compute-pressure",
        "display-capture",
        "encrypted-media",
        "fullscreen",
        "gamepad",
        "geolocation",
        "gyroscope",
        "hid",
        "identity-credentials-get",
        "idle-detection",
        "keyboard-map",
        "local-fonts",
        "magnetometer",
        "microphone",
        "midi",
        "otp-credentials",
        "payment",
        "picture-in-picture",
        "publickey-credentials-create",
        "publickey-credentials-get",
        "screen-wake-lock",
        "serial",
        "storage-access",
        "usb",
        "window-management",
        "xr-spatial-tracking",
    )
}
SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", 14 * 24 * 3600, minimum=60)

REST_FRAMEWORK = {
    # Token first: its WWW-Authenticate header turns an anonymous call into a 401.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["core.access.RolePermission"],
    "DEFAULT_PARSER_CLASSES": [
        "core.parsers.PlainTextJSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_PAGINATION_CLASS": "core.api.Pagination",
    "PAGE_SIZE": 50,
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "rest_framework.filters.SearchFilter",
        "rest_framework.filters.OrderingFilter",
    ],
    "DEFAULT_SCHEMA_CLASS": "core.schema.AutoSchema",
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"]
    + (["rest_framework.renderers.BrowsableAPIRenderer"] if DEBUG else []),
    "EXCEPTION_HANDLER": "core.api.exception_handler",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "csplatform API",
    "DESCRIPTION": "Customer 360, health, time to first value, feedback and roadmap.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["core.access.RolePermission"],
    # /api/schema/ and /api/docs/ show each reader the operations their role may call
    # (the views' own permissions, asked with the reader's request); anonymous readers
    # get the public roadmap. `manage.py spectacular` still writes the whole API.
    "SERVE_PUBLIC": False,
    # Request bodies are documented as JSON, the API's language. Forms are still read
    # (REST framework's parsers), but a list or an object has no one form encoding.
    "PARSER_WHITELIST": ["core.parsers.PlainTextJSONParser"],
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # Health bands appear under several field names (band, effective_band): one enum.
    "ENUM_NAME_OVERRIDES": {
        "HealthBandEnum": "healthscores.models.snapshots.Band",
        # "status" and "severity" also name other choice sets (imports, alerts).
        "ProductRiskStatusEnum": "productrisk.models.flags.ProductRisk.Status",
        "ProductRiskSeverityEnum": "productrisk.models.flags.ProductRisk.Severity",
        "ProductRiskSettableStatusEnum": "productrisk.api.flags.SETTABLE",
        "IdeaStatusEnum": "feedback.statuses.IdeaStatus",
        # One delivery choice set for every kind of notification (ideas, comments, …).
        "NotificationDeliveryEnum": "notifications.models.preferences.Delivery",
    },
}

# Celery. Without REDIS_URL tasks run inline in the calling process (the embedded mode).
CELERY_BROKER_URL = REDIS_URL or "memory://localhost/"
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
# Results live in our own job rows (see RecomputeRun), not in the result backend.
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_TIME_LIMIT = env.int("CELERY_TASK_TIME_LIMIT", 30 * 60, minimum=1)
CELERY_TASK_SOFT_TIME_LIMIT = env.int("CELERY_TASK_SOFT_TIME_LIMIT", 28 * 60, minimum=1)
# Who recovers work lost with a worker: our rows, not the broker. Every job, chunk and
# import is a row with a heartbeat; the reaper (beat, every minute) hands work whose
# heartbeat stopped to another worker within about two minutes, and fails it with a
# reason after JOB_MAX_ATTEMPTS. The broker's own redelivery is only a late backstop:
# * acks late: a message is acknowledged when its task returns, so one whose whole
#   worker was killed stays in Redis and comes back after the visibility timeout, in
#   case beat is not running; the row then says whether there is anything left to do
#   (a claim takes a queued row, or a running one whose heartbeat stopped).
# * not rejected on worker lost: when a pool process dies (out of memory, SIGKILL) its
#   message is acknowledged, not put straight back: a task that kills its worker would
#   otherwise come back forever; the reaper retries it, a bounded number of times.
# * visibility timeout above the hard time limit: Redis never hands a task that may
#   still be running to a second worker.
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = False
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": CELERY_TASK_TIME_LIMIT + 5 * 60,
    # A web request sending to a Redis that is away gives up quickly (core.queue).
    "socket_connect_timeout": 2,
}
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TIMEZONE = "UTC"
#: Accounts per health-recompute task: a full run is split into chunks of this many so
#: that every worker on every machine takes a share.
HEALTH_CHUNK_SIZE = env.int("HEALTH_CHUNK_SIZE", 5000, minimum=1)
# The life of background work (core/jobs.py): seconds between heartbeats of running
# work; a heartbeat older than JOB_STALE_SECONDS means its worker is gone; claims before
# it is failed; seconds a queued row waits for a worker before its message is sent again.
JOB_HEARTBEAT_SECONDS = env.int("JOB_HEARTBEAT_SECONDS", 10, minimum=1)
JOB_STALE_SECONDS = env.int("JOB_STALE_SECONDS", 60, minimum=2)
JOB_MAX_ATTEMPTS = env.int("JOB_MAX_ATTEMPTS", 3, minimum=1)
JOB_RESEND_SECONDS = env.int("JOB_RESEND_SECONDS", 60, minimum=1)
# How long a recompute of some accounts waits for a worker, gathering the requests that
# follow it (a burst of tracking batches) into one run; see core.jobs.job_request.
JOB_DEBOUNCE_SECONDS = env.int("JOB_DEBOUNCE_SECONDS", 5, minimum=0)
#: /healthz answers 503 when work has waited for a worker longer than this.
HEALTHZ_PENDING_MAX_SECONDS = env.int("HEALTHZ_PENDING_MAX_SECONDS", 15 * 60, minimum=1)
CELERY_BEAT_SCHEDULE = build_schedule(DEFAULT_ENTRIES, env)

# --- Feedback board ------------------------------------------------------------------
#: Posts per person per rolling hour; beyond them the page and the API answer 429.
FEEDBACK_IDEAS_PER_HOUR = env.int("FEEDBACK_IDEAS_PER_HOUR", 5, minimum=1)
FEEDBACK_COMMENTS_PER_HOUR = env.int("FEEDBACK_COMMENTS_PER_HOUR", 30, minimum=1)
FEEDBACK_EDITS_PER_HOUR = env.int("FEEDBACK_EDITS_PER_HOUR", 60, minimum=1)
FEEDBACK_FOLLOWS_PER_HOUR = env.int("FEEDBACK_FOLLOWS_PER_HOUR", 100, minimum=1)
#: How long a change that tells people (an idea's status, a roadmap item shipped) waits
#: before anyone is told: the time its author has to undo it, and within which several
#: changes to one idea are told as one. 0 tells at once (no undo).
FEEDBACK_NOTIFY_DELAY_SECONDS = env.int("FEEDBACK_NOTIFY_DELAY_SECONDS", 60, minimum=0)

# --- Sign-in from the vendor's product (SSO token, accounts/services/sso.py) ----------
#: Hours a secret replaced by a rotation is still accepted, so the vendor's servers can
#: switch to the new one without a moment where sign-ins fail.
SSO_SECRET_GRACE_HOURS = env.int("SSO_SECRET_GRACE_HOURS", 24, minimum=0)
#: The longest a token may live (exp minus now, and exp minus iat when given): a link
#: that leaks is useless after this.
SSO_TOKEN_MAX_LIFETIME_SECONDS = env.int("SSO_TOKEN_MAX_LIFETIME_SECONDS", 600, minimum=10)
#: Clock difference between the vendor's server and this one that is forgiven on exp.
SSO_CLOCK_SKEW_SECONDS = env.int("SSO_CLOCK_SKEW_SECONDS", 30, minimum=0)
#: Sign-in attempts per client IP address and minute at /sso/; beyond them 429.
SSO_ATTEMPTS_PER_MINUTE = env.int("SSO_ATTEMPTS_PER_MINUTE", 30, minimum=1)
# A stand-in vendor page embedding the in-app widget at /widget/demo/ (`make run` turns
# it on): it signs tokens for any account, so it is never for production.
WIDGET_DEMO_PAGE = env.bool("WIDGET_DEMO_PAGE", default=DEBUG)
if WIDGET_DEMO_PAGE and PRODUCTION:
    raise ConfigError("WIDGET_DEMO_PAGE=true is refused when CSPLATFORM_ENV is production.")

# --- Tracking API ----------------------------------------------------------------------
#: Whether a Segment group call may replace an account's name, plan and segment. By
#: default it only fills those left empty: the CRM import owns them.
TRACKING_GROUP_TRAITS_OVERWRITE = env.bool("TRACKING_GROUP_TRAITS_OVERWRITE", False)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", "INFO").upper()},
    "loggers": {
        "django.db.backends": {"level": "INFO"},
        # Inline tasks would log every success into the runserver console.
        "celery.app.trace": {"level": "WARNING" if CELERY_TASK_ALWAYS_EAGER else "INFO"},
    },
}
