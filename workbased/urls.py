"""The work-based learning pages, under /opportunities/ (namespace ``workbased``). The
addresses e-mails link to are built by ``workbased.links``; the routes below answer exactly
those (tests/workbased/test_views_links.py compares them)."""

from __future__ import annotations

from django.urls import path

from .views import employer, links, public, staff, student

app_name = "workbased"

urlpatterns = [
    # Anyone: the board, an opportunity, its calendar file; a student applies
    path("", public.opportunity_list, name="opportunity_list"),
    path("<int:pk>/", public.opportunity_detail, name="opportunity_detail"),
    path("<int:pk>/apply/", public.opportunity_apply, name="opportunity_apply"),
    path("<int:pk>/calendar.ics", public.opportunity_calendar, name="opportunity_calendar"),
    # Signed links, no sign-in: a calendar feed, a guardian's consent, a supervisor's review
    path("calendar/<str:token>.ics", links.personal_feed, name="personal_feed"),
    path("calendar/reset/", links.feed_reset, name="feed_reset"),
    path("consent/<str:token>/", links.consent, name="consent"),
    path("hours/review/<str:token>/", links.hours_review, name="hours_review"),
    # A student's own
    path("mine/", student.mine, name="mine"),
    path(
        "mine/applications/<int:pk>/withdraw/",
        student.application_withdraw,
        name="application_withdraw",
    ),
    path("mine/applications/<int:pk>/consent/", student.consent_resend, name="consent_resend"),
    path("mine/placements/<int:pk>/", student.placement, name="placement"),
    path("mine/reflections/<str:about>/<int:pk>/", student.reflection, name="reflection"),
    # A host (and CTE staff for any opportunity)
    path("manage/", employer.manage, name="manage"),
    path("manage/new/", employer.opportunity_new, name="opportunity_new"),
    path("manage/<int:pk>/edit/", employer.opportunity_edit, name="opportunity_edit"),
    path("manage/<int:pk>/submit/", employer.opportunity_submit, name="opportunity_submit"),
    path("manage/<int:pk>/close/", employer.opportunity_close, name="opportunity_close"),
    path("manage/<int:pk>/cancel/", employer.opportunity_cancel, name="opportunity_cancel"),
    path("manage/<int:pk>/applicants/", employer.applicants, name="applicants"),
    path("manage/<int:pk>/attendance/", employer.attendance, name="attendance"),
    path("manage/applications/<int:pk>/", employer.application_decide, name="application_decide"),
    path("manage/hours/", employer.hours_to_approve, name="hours_to_approve"),
    path("manage/hours/<int:pk>/", employer.hours_decide, name="hours_decide"),
    path("manage/placements/<int:pk>/", employer.placement_manage, name="placement_manage"),
    path("manage/placements/<int:pk>/evaluate/", employer.evaluation, name="evaluation"),
    # CTE staff and counselors
    path("review/", staff.review, name="review"),
    path("review/<int:pk>/", staff.review_decide, name="review_decide"),
    path("placements/", staff.placements_overview, name="placements_overview"),
    path("attendance/", staff.attendance_overview, name="attendance_overview"),
    path("students/", staff.students, name="students"),
    # School requests: counselors and staff ask, partners volunteer
    path("requests/", staff.request_list, name="request_list"),
    path("requests/new/", staff.request_new, name="request_new"),
    path("requests/<int:pk>/", staff.school_request, name="school_request"),
    path("requests/<int:pk>/volunteer/", staff.request_volunteer, name="request_volunteer"),
    path("requests/<int:pk>/confirm/", staff.request_confirm, name="request_confirm"),
    path("requests/<int:pk>/opportunity/", staff.request_opportunity, name="request_opportunity"),
    path("requests/<int:pk>/cancel/", staff.request_cancel, name="request_cancel"),
    path("requests/<int:pk>/matching/", staff.request_matching, name="request_matching"),
    path("requests/<int:pk>/invite/", staff.request_invite, name="request_invite"),
]
