"""The students' and counselors' pages (namespace ``students``), included at the site root."""

from __future__ import annotations

from django.urls import path

from . import views

app_name = "students"

urlpatterns = [
    path("me/", views.me, name="me"),
    path("me/enroll/<int:offering_id>/", views.enroll, name="enroll"),
    path("me/change/", views.change, name="change"),
    path("me/saved/<int:pathway_id>/", views.save_pathway, name="save"),
    path("enrollments/<int:pk>/withdraw/", views.withdraw, name="withdraw"),
    path("enrollments/<int:pk>/complete/", views.complete, name="complete"),
    path("counselor/", views.caseload, name="caseload"),
    path("counselor/requests/", views.queue, name="queue"),
    path("counselor/requests/<int:pk>/", views.decide, name="decide"),
    path("counselor/students/<int:pk>/", views.student_detail, name="student"),
    path("counselor/students/<int:pk>/notes/", views.note_add, name="note_add"),
    path("counselor/students/<int:pk>/readiness/", views.readiness_add, name="readiness_add"),
    path("counselor/students/<int:pk>/workshops/", views.workshop_add, name="workshop_add"),
    path(
        "counselor/students/<int:pk>/course-records/",
        views.course_record_add,
        name="course_record_add",
    ),
    path(
        "counselor/students/<int:pk>/credentials/",
        views.credential_award_add,
        name="credential_award_add",
    ),
]
