"""The catalogue's pages. ``/`` keeps the name ``home`` (every page's header links to it);
the rest are under the ``pathways`` namespace."""

from __future__ import annotations

from django.urls import include, path

from . import views

catalogue = [
    path("pathways/", views.pathway_list, name="list"),
    # Before <slug>: "compare" is reserved (models.RESERVED_PATHWAY_SLUGS).
    path("pathways/compare/", views.pathway_compare, name="compare"),
    path("pathways/<slug:slug>/", views.pathway_detail, name="detail"),
    path("sectors/<slug:slug>/", views.sector_detail, name="sector"),
    path("schools/<slug:slug>/", views.school_detail, name="school"),
]

urlpatterns = [
    path("", views.home, name="home"),
    path("", include((catalogue, "pathways"))),
]
