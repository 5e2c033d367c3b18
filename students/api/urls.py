"""The students API's routes, included by ``cte_portal/api/urls.py`` (namespace ``api``)."""

from __future__ import annotations

from rest_framework.routers import SimpleRouter

from . import views

router = SimpleRouter()
router.register("students", views.StudentViewSet, basename="student")
router.register("enrollments", views.EnrollmentViewSet, basename="enrollment")
router.register("course-records", views.CourseRecordViewSet, basename="course-record")
router.register("credential-awards", views.CredentialAwardViewSet, basename="credential-award")

urlpatterns = router.urls
