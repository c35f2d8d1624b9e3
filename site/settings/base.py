"""Settings shared by every environment.

Everything that differs between a laptop and production comes from the environment
(see README, "Configuration"); the dev/test/production modules only change defaults.
"""

import os
from pathlib import Path

import environ

PROJECT_DIR = Path(__file__).resolve().parent.parent
BASE_DIR = PROJECT_DIR.parent
VAR_DIR = BASE_DIR / "var"

env = environ.Env()

DEBUG = env.bool("DEBUG", default=False)
SECRET_KEY = env.str("SECRET_KEY", default="")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

# Absolute links in emails and feeds are built from this, never from the request.
BASE_URL = env.str("BASE_URL", default="http://127.0.0.1:8000").rstrip("/")
WAGTAILADMIN_BASE_URL = BASE_URL

INSTALLED_APPS = [
    "website",
    "taxonomy",
    "search",
    "network",
    "practices",
    "news",
    "blog",
    "events",
    "indicators",
    "newsletter",
    "anymail",
    "wagtail.contrib.routable_page",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.contrib.sitemaps",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_tasks",
    "django_tasks_db",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "website.middleware.SecurityHeadersMiddleware",
    # Outside the page cache, so cached pages get it too.
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "website.middleware.CompressionMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.http.ConditionalGetMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "website.page_cache.AnonymousPageCacheMiddleware",
    "website.middleware.KeptSiteMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
]

# The admin's own pages run Wagtail's inline scripts: they keep Wagtail's headers.
CONTENT_SECURITY_POLICY_EXEMPT_PATHS = ["/admin/", "/django-admin/"]
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"

# Anonymous visitors get Wagtail pages from the cache, invalidated on every publish
# (see website/page_cache.py); 0 turns it off (the dev and test default).
PAGE_CACHE_SECONDS = env.int("PAGE_CACHE_SECONDS", default=0)
PAGE_CACHE_EXEMPT_PATHS = CONTENT_SECURITY_POLICY_EXEMPT_PATHS

ROOT_URLCONF = "website.urls"
WSGI_APPLICATION = "website.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
                "website.context_processors.site_name",
            ],
        },
    },
]

# With nothing configured the site runs on a SQLite file in the ignored var/ folder.
if not env.str("DATABASE_URL", default=""):
    VAR_DIR.mkdir(exist_ok=True)
DATABASES = {"default": env.db_url("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'db.sqlite3'}")}
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=0)


def sqlite_tuned(database):
    """SQLite as a real default for a small site. WAL lets readers go on while one
    writer writes; IMMEDIATE takes the write lock when a transaction begins, so two
    writers queue on the busy timeout instead of one failing at once with "database is
    locked" when it upgrades a read to a write; synchronous=NORMAL is durable across a
    process crash in WAL mode. `?mode=ro` in DATABASE_URL opens the file read-only (a
    maintenance window: pages are served, writes answer 503)."""
    options = database.get("OPTIONS", {})
    if mode := options.pop("mode", None):
        database["NAME"] = f"file:{database['NAME'].removeprefix('file:')}?mode={mode}"
    database["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": env.int("SQLITE_BUSY_TIMEOUT", default=20),
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL",
        **options,
    }
    return database


if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    sqlite_tuned(DATABASES["default"])
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-us"
# Email Date headers in the site's zone with its real offset (Django's default is UTC as -0000).
EMAIL_USE_LOCALTIME = True
TIME_ZONE = env.str("TIME_ZONE", default="America/Chicago")
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = env.path("STATIC_ROOT", default=VAR_DIR / "static")
MEDIA_URL = "/media/"
MEDIA_ROOT = env.path("MEDIA_ROOT", default=VAR_DIR / "media")
# Uploaded images and documents are served by Django from MEDIA_ROOT (one machine); turn
# it off when a reverse proxy serves MEDIA_ROOT or object storage serves MEDIA_URL.
SERVE_MEDIA = env.bool("SERVE_MEDIA", default=True)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "website.static_storage.StaticFilesStorage"},
}

# Email: EMAIL_URL (smtp://user:pass@host:port, smtp+tls://..., consolemail://) or,
# unset, one .eml file per message under var/mail so a newcomer can open them.
if env.str("EMAIL_URL", default=""):
    vars().update(env.email_url("EMAIL_URL"))
else:
    EMAIL_BACKEND = "website.mail.EmlFileBackend"
    EMAIL_FILE_PATH = VAR_DIR / "mail"
# A transactional email provider through django-anymail instead: EMAIL_BACKEND names its
# backend (e.g. anymail.backends.postmark.EmailBackend) and every ANYMAIL_* variable is
# passed to Anymail (ANYMAIL_POSTMARK_SERVER_TOKEN, ANYMAIL_WEBHOOK_SECRET=user:password
# for the bounce and complaint webhooks at /anymail/<provider>/tracking/).
EMAIL_BACKEND = env.str("EMAIL_BACKEND", default=EMAIL_BACKEND)
ANYMAIL = {name.removeprefix("ANYMAIL_"): value for name, value in os.environ.items() if name.startswith("ANYMAIL_")}
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Network Commons <news@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Practice search talks to Elasticsearch when ELASTICSEARCH_URL names a node; without
# it, search runs on the database. Wagtail's own site-wide search stays on the
# database: see README, "Search".
ELASTICSEARCH_URL = env.str("ELASTICSEARCH_URL", default="")
ELASTICSEARCH_INDEX_PREFIX = env.str("ELASTICSEARCH_INDEX_PREFIX", default="commons")
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}

# Background work goes through Django's tasks framework: inline unless TASKS_BACKEND
# names a queue (production uses the database queue, run by `manage.py db_worker`).
TASKS = {
    "default": {
        "BACKEND": env.str("TASKS_BACKEND", default="django_tasks.backends.immediate.ImmediateBackend"),
    }
}

# Behind reverse proxies REMOTE_ADDR is the nearest proxy: per-client limits (the
# newsletter sign-up) take the client's address from X-Forwarded-For instead, the
# right-most one not added by our own proxies: TRUSTED_PROXIES lists them (addresses or
# networks, comma-separated), or TRUSTED_PROXY_COUNT says how many there are.
TRUSTED_PROXIES = env.list("TRUSTED_PROXIES", default=[])
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)

# Member feeds are fetched only from public addresses; these host:port pairs are the
# exceptions (tests, private deployments). Comma-separated in the environment.
FEEDS_ALLOWED_PRIVATE_HOSTS = env.list("FEEDS_ALLOWED_PRIVATE_HOSTS", default=[])
# How many feeds are fetched at once in all (each host still gets at most 2 at once).
FEEDS_CONCURRENCY = env.int("FEEDS_CONCURRENCY", default=100)
# Processes a refresh pass parses and sanitises feeds in, beside the one that fetches and
# stores them (0: in that one).
FEEDS_PARSE_PROCESSES = env.int("FEEDS_PARSE_PROCESSES", default=2)

# The mailbox the List-Unsubscribe mailto: goes to (a bounce/unsubscribe mailbox).
NEWSLETTER_UNSUBSCRIBE_MAILBOX = env.str("NEWSLETTER_UNSUBSCRIBE_MAILBOX", default="unsubscribe@localhost")
# SMTP sessions each delivery worker keeps open, sending one message on each at a time
# (1: one message at a time; a crash leaves at most this many messages resent). Ten, as
# listmonk's SMTP default: the fewest that kept a local sink as busy as one raw loop (#16).
NEWSLETTER_SMTP_CONNECTIONS = env.int("NEWSLETTER_SMTP_CONNECTIONS", default=10)

CACHES = {"default": env.cache_url("CACHE_URL", default="locmemcache://")}

WAGTAIL_SITE_NAME = env.str("SITE_NAME", default="Network Commons")
# No request leaves the site: Wagtail would fetch editors' avatars from Gravatar, and the
# admin dashboard would ask releases.wagtail.org for the latest version.
WAGTAIL_GRAVATAR_PROVIDER_URL = None
WAGTAIL_ENABLE_UPDATE_CHECK = False
WAGTAILIMAGES_IMAGE_MODEL = "website.CustomImage"
WAGTAILDOCS_EXTENSIONS = ["csv", "docx", "key", "odt", "pdf", "pptx", "rtf", "txt", "xlsx", "zip"]
# Partnership editors upload documents too: bounded as images are (those by Wagtail's
# default, 10 MiB); annual reports run larger, hence 20 MiB unless configured.
WAGTAILDOCS_MAX_UPLOAD_SIZE = env.int("DOCUMENTS_MAX_UPLOAD_MB", default=20) * 2**20
WAGTAILEMBEDS_RESPONSIVE_HTML = True
WAGTAIL_MODERATION_ENABLED = True
WAGTAIL_WORKFLOW_ENABLED = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
        "json": {"()": "website.log_format.JsonFormatter"},
    },
    # LOG_FORMAT=json: one JSON object per line, with each event's fields (feed refresh,
    # newsletter delivery) for a log collector.
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": env.str("LOG_FORMAT", default="plain")}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        "elastic_transport": {"level": "WARNING"},
        "django_tasks": {"level": env.str("TASKS_LOG_LEVEL", default="WARNING")},
    },
}
