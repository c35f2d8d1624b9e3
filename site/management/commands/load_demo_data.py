import importlib
import os

from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils.module_loading import module_has_submodule

from website.elasticsearch import elasticsearch_enabled
from website.services import editorial_roles_ensure, home_page_install, indexes_updated_after

DEMO_ADMIN_USERNAME = "admin"
HOME_PAGE = {
    "title": "Home",
    "slug": "home",
    "hero_heading": "What works for kids, from cradle to career",
    "hero_text": (
        "Community partnerships across the country share their data, their practice "
        "and their news here, so every member can learn what worked, and where."
    ),
}


class Command(BaseCommand):
    help = "Load the demo network into the database: safe to run again, it updates in place."

    def handle(self, *args, **options):
        with transaction.atomic(), indexes_updated_after():
            home_page = home_page_install(defaults=HOME_PAGE)
            editorial_roles_ensure()
            for app_config in apps.get_app_configs():
                if module_has_submodule(app_config.module, "demo"):
                    demo = importlib.import_module(f"{app_config.name}.demo")
                    demo.load(home_page=home_page, stdout=self.stdout)
            password = self.create_admin()
        call_command("rebuild_references_index", verbosity=0)
        call_command("update_index", verbosity=0)
        if elasticsearch_enabled():
            call_command("search_index", "rebuild", stdout=self.stdout)
        self.stdout.write(self.style.SUCCESS("Demo data loaded."))
        self.stdout.write(f"Site:  {settings.BASE_URL}/")
        self.stdout.write(f"Admin: {settings.BASE_URL}/admin/  user {DEMO_ADMIN_USERNAME!r}  password {password!r}")

    def create_admin(self):
        password = os.environ.get("DEMO_ADMIN_PASSWORD", "network-demo")
        user, _ = get_user_model().objects.get_or_create(
            username=DEMO_ADMIN_USERNAME,
            defaults={"email": "admin@network-commons.example", "first_name": "Demo", "last_name": "Admin"},
        )
        user.is_staff = user.is_superuser = True
        user.set_password(password)
        user.save()
        return password
