"""The partners API's routes, included by ``cte_portal/api/urls.py`` (namespace ``api``):
``api:organization-list``, ``api:organization-approve``... No format suffixes (SimpleRouter)."""

from __future__ import annotations

from rest_framework.routers import SimpleRouter

from . import views

router = SimpleRouter()
router.register("organizations", views.OrganizationViewSet, basename="organization")
router.register("contacts", views.ContactViewSet, basename="contact")
router.register("interactions", views.InteractionViewSet, basename="interaction")
router.register("agreements", views.AgreementViewSet, basename="agreement")

urlpatterns = router.urls
