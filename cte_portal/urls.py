from __future__ import annotations

from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from cte_portal import views

# URLs are not language-prefixed: the language comes from the user's choice (the switcher
# posts to /i18n/setlang/), their profile, or the browser, so a shared link works for everyone.
urlpatterns = [
    path("", include("pathways.urls")),
    path("", include("students.urls")),
    path("", include("students.roster.urls")),
    path("healthz", views.healthz, name="healthz"),
    path("robots.txt", views.robots_txt, name="robots"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("accounts/", include("allauth.urls")),
    path("notifications/", include("cte_portal.notifications.urls")),
    path("partners/", include("partners.urls")),
    path("opportunities/", include("workbased.urls")),
    path("admin/", admin.site.urls),
    path("api/v1/", include("cte_portal.api.urls")),
]

handler404 = "cte_portal.views.page_not_found"
handler500 = "cte_portal.views.server_error"

admin.site.site_header = _("CTE Portal back office")
admin.site.site_title = _("CTE Portal")
