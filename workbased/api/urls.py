"""The work-based learning API's routes, included by ``cte_portal/api/urls.py`` (namespace
``api``): ``api:opportunity-list``, ``api:application-accept``... No format suffixes."""

from __future__ import annotations

from rest_framework.routers import SimpleRouter

from . import views

router = SimpleRouter()
router.register("opportunities", views.OpportunityViewSet, basename="opportunity")
router.register("applications", views.ApplicationViewSet, basename="application")
router.register("placements", views.PlacementViewSet, basename="placement")
router.register("hours", views.HoursViewSet, basename="hours")
router.register("school-requests", views.SchoolRequestViewSet, basename="school-request")

urlpatterns = router.urls
