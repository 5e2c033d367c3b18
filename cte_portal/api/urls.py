from __future__ import annotations

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from . import views

app_name = "api"

# Domain apps add their routers' URLs here as they land (pathways, partners, students...).
urlpatterns = [
    path("", views.ApiRootView.as_view(), name="root"),
    path("auth/token/", views.ObtainTokenView.as_view(), name="token"),
    path("me/", views.MeView.as_view(), name="me"),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api:schema"), name="docs"),
    path("", include("cte_portal.notifications.api.urls")),
    path("", include("pathways.api.urls")),
    path("", include("students.api.urls")),
    path("", include("partners.api.urls")),
    path("", include("workbased.api.urls")),
]
