from .base import *  # noqa: F403
from .base import env

DEBUG = False
SECRET_KEY = "test-only-key"
ALLOWED_HOSTS = ["*"]
BASE_URL = "http://localhost"
WAGTAILADMIN_BASE_URL = BASE_URL

# Fast path on SQLite in memory; the test command sets DATABASE_URL to PostgreSQL.
DATABASES = {"default": env.db_url("DATABASE_URL", default="sqlite://:memory:")}
# Two checkouts may run their suites at once against the same services: each names its run.
TEST_RUN_NAME = env.str("TEST_RUN_NAME", default="")
if TEST_RUN_NAME and "postgresql" in DATABASES["default"]["ENGINE"]:
    DATABASES["default"]["TEST"] = {"NAME": f"test_{DATABASES['default']['NAME']}_{TEST_RUN_NAME}"}

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
STORAGES["staticfiles"]["BACKEND"] = "django.contrib.staticfiles.storage.StaticFilesStorage"  # noqa: F405
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
# Feeds parsed inline, as the pool's own tests compare with (they start one where they need it).
FEEDS_PARSE_PROCESSES = 0
# pytest-xdist runs the suite in several processes: pytest-django gives each its own test
# database (a `_gw0` suffix), and each names its own indexes.
XDIST_WORKER = env.str("PYTEST_XDIST_WORKER", default="")
ELASTICSEARCH_INDEX_PREFIX = "-".join(filter(None, ["test-commons", TEST_RUN_NAME, XDIST_WORKER]))
ANYMAIL = {"WEBHOOK_SECRET": "hooks:test-secret"}  # the provider webhooks exist in tests
