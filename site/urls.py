from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.contrib.sitemaps import Sitemap
from wagtail.contrib.sitemaps.views import sitemap
from wagtail.documents import urls as wagtaildocs_urls

from newsletter.sitemaps import NewsletterArchiveSitemap
from search import views as search_views

from . import views

handler500 = "website.views.server_error"

# The page tree, and the newsletter archive that lives outside it.
SITEMAPS = {"pages": Sitemap, "newsletter": NewsletterArchiveSitemap}

urlpatterns = [
    path("django-admin/", admin.site.urls),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("search/", search_views.site_search, name="search"),
    path("newsletter/", include("newsletter.urls")),
    path("indicators/", include("indicators.urls")),
    path("sitemap.xml", sitemap, {"sitemaps": SITEMAPS}, name="sitemap"),
    path("robots.txt", views.robots_txt, name="robots_txt"),
    path("favicon.ico", views.favicon, name="favicon"),
    path("health/", views.health, name="health"),
]

# Provider webhooks (bounces, complaints) exist only when they can be authenticated.
if settings.ANYMAIL.get("WEBHOOK_SECRET"):
    urlpatterns += [path("anymail/", include("anymail.urls"))]

if settings.DEBUG:
    from django.contrib.staticfiles.urls import staticfiles_urlpatterns

    urlpatterns += staticfiles_urlpatterns()

if settings.SERVE_MEDIA:
    urlpatterns += [path("media/<path:path>", views.media, name="media")]

urlpatterns += [path("", include(wagtail_urls))]
