from django.apps import AppConfig


class PracticesConfig(AppConfig):
    name = "practices"
    verbose_name = "Practice case studies"

    def ready(self):
        from . import handlers

        handlers.connect()
