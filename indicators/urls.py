from django.urls import path

from . import views

app_name = "indicators"
urlpatterns = [
    path("", views.indicator_index, name="index"),
    path("<slug:slug>/", views.indicator_detail, name="detail"),
    path("partnership/<slug:slug>/report-card.csv", views.report_card_csv, name="report_card_csv"),
]
