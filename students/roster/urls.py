"""The roster import pages (namespace ``roster``), included at the site root."""

from __future__ import annotations

from django.urls import path

from . import views

app_name = "roster"

urlpatterns = [
    path("roster/", views.upload, name="upload"),
    path("roster/<int:pk>/", views.run_detail, name="run"),
]
