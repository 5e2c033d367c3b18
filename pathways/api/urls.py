"""The catalogue's API routes, included by ``cte_portal/api/urls.py`` (namespace ``api``):
``api:pathway-list``, ``api:pathway-detail``... No format suffixes (SimpleRouter)."""

from __future__ import annotations

from rest_framework.routers import SimpleRouter

from . import views

router = SimpleRouter()
router.register("sectors", views.SectorViewSet, basename="sector")
router.register("pathways", views.PathwayViewSet, basename="pathway")
router.register("courses", views.CourseViewSet, basename="course")
router.register("credentials", views.CredentialViewSet, basename="credential")
router.register("occupations", views.OccupationViewSet, basename="occupation")
router.register("schools", views.SchoolViewSet, basename="school")
router.register("offerings", views.OfferingViewSet, basename="offering")

urlpatterns = router.urls
