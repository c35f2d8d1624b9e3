import os

from django.core.wsgi import get_wsgi_application

from website.page_replay import PageReplay

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "website.settings.production")

application = PageReplay(get_wsgi_application())
