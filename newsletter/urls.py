from django.urls import path
from django.views.decorators.csrf import csrf_exempt

from . import feeds, views

app_name = "newsletter"
urlpatterns = [
    path("subscribe/", views.signup, name="signup"),
    path("archive/", views.archive, name="archive"),
    path("archive/<int:pk>/", views.archive_issue, name="archive_issue"),
    path("archive/rss/", feeds.ArchiveFeed(), name="archive_rss"),
    path("archive/atom/", feeds.ArchiveAtomFeed(), name="archive_atom"),
    path("subscribe/check-your-email/", views.check_email, name="check_email"),
    path("link/<int:issue_id>/<int:item_id>/", views.follow_link, name="follow_link"),
    path("confirm/<str:token>/", views.confirm, name="confirm"),
    path("preferences/<str:token>/", views.preferences, name="preferences"),
    path("preferences/<str:token>/data-link/", views.data_link, name="data_link"),
    path("preferences/<str:token>/data/", views.data_link_needed),
    path("preferences/<str:token>/erase/", views.data_link_needed),
    path("data/<str:token>/", views.my_data, name="my_data"),
    path("data/<str:token>/download/", views.my_data_download, name="my_data_download"),
    path("data/<str:token>/erase/", views.erase, name="erase"),
    # Mail clients POST here without a session or CSRF token (RFC 8058 one-click); the
    # signed token is the proof.
    path("unsubscribe/<str:token>/", csrf_exempt(views.unsubscribe), name="unsubscribe"),
]
