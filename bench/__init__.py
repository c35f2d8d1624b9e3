"""Benchmarks: `scripts/bench.sh [name ...]` runs `python -m bench.<name>` for each."""

import os


def setup_django(*, database):
    """Django with the dev settings, DEBUG off, and the database DATABASE_URL names
    (the services' PostgreSQL under scripts/bench.sh), else a SQLite file per benchmark."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "website.settings.dev")
    os.environ.setdefault("DEBUG", "0")
    os.environ.setdefault("SECRET_KEY", "bench-only-key")
    os.environ.setdefault("ELASTICSEARCH_INDEX_PREFIX", "bench")
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    os.makedirs("var/bench", exist_ok=True)
    os.environ.setdefault("DATABASE_URL", f"sqlite:///var/bench/{database}.sqlite3")
    import django

    django.setup()
