"""Configuration comes from the environment only; production settings pass Django's deploy checks."""

import email
import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.core import mail
from django.core.management import call_command

REPO = Path(__file__).resolve().parents[2]


CONFIGURATION = ("DATABASE_URL", "EMAIL_URL", "ELASTICSEARCH_URL", "SECRET_KEY", "BASE_URL", "DJANGO_")


def run(arguments, **environment):
    """Run Python in a fresh process with only the given configuration variables."""
    env = {key: value for key, value in os.environ.items() if not key.startswith(CONFIGURATION)}
    env.update(environment)
    return subprocess.run([sys.executable, *arguments], cwd=REPO, env=env, capture_output=True, text=True, timeout=120)


def run_django(code, **environment):
    return run(["-c", f"import django; django.setup(); {code}"], **environment)


def test_production_settings_pass_the_deploy_check_without_a_warning():
    result = run(
        ["manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        DJANGO_SETTINGS_MODULE="website.settings.production",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="network.example",
    )

    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_production_refuses_to_start_without_a_secret_key():
    result = run_django("", DJANGO_SETTINGS_MODULE="website.settings.production")

    assert result.returncode != 0
    assert "Set SECRET_KEY in the environment" in result.stderr


def test_dev_defaults_need_nothing_configured(tmp_path):
    code = (
        "from django.conf import settings as s; "
        "print(s.DATABASES['default']['ENGINE'], s.EMAIL_BACKEND, s.ELASTICSEARCH_URL == '', "
        "s.WAGTAILSEARCH_BACKENDS['default']['BACKEND'], s.TASKS['default']['BACKEND'])"
    )
    result = run_django(code, DJANGO_SETTINGS_MODULE="website.settings.dev")

    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "django.db.backends.sqlite3",
        "website.mail.EmlFileBackend",
        "True",
        "wagtail.search.backends.database",
        "django_tasks.backends.immediate.ImmediateBackend",
    ]


def test_services_switch_on_through_environment_variables():
    code = (
        "from django.conf import settings as s; d = s.DATABASES['default']; "
        "print(d['ENGINE'], d['HOST'], d['PORT'], d['NAME'], s.EMAIL_BACKEND, s.EMAIL_HOST, s.EMAIL_PORT, "
        "s.ELASTICSEARCH_URL, s.BASE_URL)"
    )
    result = run_django(
        code,
        DJANGO_SETTINGS_MODULE="website.settings.dev",
        DATABASE_URL="postgres://commons@db.internal:5433/network",
        EMAIL_URL="smtp://127.0.0.1:2525",
        ELASTICSEARCH_URL="http://127.0.0.1:9200",
        BASE_URL="https://network.example/",
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "django.db.backends.postgresql",
        "db.internal",
        "5433",
        "network",
        "django.core.mail.backends.smtp.EmailBackend",
        "127.0.0.1",
        "2525",
        "http://127.0.0.1:9200",
        "https://network.example",
    ]


def test_default_email_backend_writes_one_eml_file_per_message(settings, tmp_path):
    settings.EMAIL_BACKEND = "website.mail.EmlFileBackend"
    settings.EMAIL_FILE_PATH = tmp_path

    sent = mail.send_mass_mail(
        [
            ("Welcome", "Hello one", "news@network.example", ["one@example.org"]),
            ("Digest", "Hello two", "news@network.example", ["two@example.org"]),
        ]
    )

    files = sorted(tmp_path.glob("*.eml"))
    assert sent == 2 and len(files) == 2
    subjects = {email.message_from_bytes(path.read_bytes())["Subject"] for path in files}
    assert subjects == {"Welcome", "Digest"}


@pytest.mark.django_db
def test_models_and_migrations_agree():
    call_command("makemigrations", "--check", "--dry-run", verbosity=0)
