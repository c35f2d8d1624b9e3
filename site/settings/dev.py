from .base import *  # noqa: F403
from .base import env

DEBUG = env.bool("DEBUG", default=True)
# The built-in key is for local development only: without DEBUG a real one is required.
SECRET_KEY = env.str("SECRET_KEY", default="dev-only-insecure-key-never-use-in-production" if DEBUG else "")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["*"])
STORAGES["staticfiles"]["BACKEND"] = "django.contrib.staticfiles.storage.StaticFilesStorage"  # noqa: F405
