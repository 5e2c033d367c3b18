"""The work-based learning back office for CTE staff (Django admin). Day-to-day work happens on
the pages and the API, which notify the people concerned; the admin is for corrections. So
statuses, seats taken, consent answers and reviews are read-only here: they change only
through the services."""

from __future__ import annotations

from django.contrib import admin
from django.db import models

from .models import (
    Application,
    Attendance,
    Evaluation,
    GuardianConsent,
    HoursLog,
    Opportunity,
    OpportunitySession,
    Placement,
    Reflection,
    SchoolRequest,
    Volunteer,
)


class SessionInline(admin.TabularInline):
    model = OpportunitySession
    extra = 0
    fields = ["starts_at", "ends_at", "note", "reminder_sent_at"]
    readonly_fields = ["reminder_sent_at"]


@admin.register(Opportunity)
class OpportunityAdmin(admin.ModelAdmin):
    list_display = ["title", "organization", "kind", "status", "seats", "seats_filled", "apply_by"]
    list_filter = ["status", "kind", "is_virtual", "is_paid", "needs_guardian_consent", "sectors"]
    search_fields = ["title", "description", "organization__name"]
    list_select_related = ["organization"]
    raw_id_fields = ["organization", "host", "school"]
    filter_horizontal = ["sectors", "pathways"]
    inlines = [SessionInline]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    readonly_fields = [
        "status",
        "seats_filled",
        "return_reason",
        "submitted_at",
        "decided_at",
        "decided_by",
        "closed_at",
        "created_by",
        "created_at",
        "updated_at",
    ]


class ConsentInline(admin.StackedInline):
    model = GuardianConsent
    extra = 0
    can_delete = False
    readonly_fields = [
        "guardian_name",
        "guardian_email",
        "answer",
        "requested_at",
        "times_requested",
        "answered_at",
        "answered_ip",
        "answered_user_agent",
        "details",
    ]
    exclude = ["nonce", "language"]


@admin.register(Application)
class ApplicationAdmin(admin.ModelAdmin):
    list_display = ["student", "opportunity", "status", "waitlist_position", "guardian_consent"]
    list_filter = ["status", "guardian_consent", "opportunity__kind"]
    search_fields = ["student__user__full_name", "student__district_id", "opportunity__title"]
    list_select_related = ["student__user", "opportunity"]
    raw_id_fields = ["student", "opportunity"]
    inlines = [ConsentInline]
    readonly_fields = [
        "status",
        "waitlist_position",
        "guardian_consent",
        "submitted_at",
        "decided_at",
        "decided_by",
        "withdrawn_at",
    ]


class HoursInline(admin.TabularInline):
    model = HoursLog
    extra = 0
    fields = ["date", "start_time", "end_time", "hours", "status", "reviewed_by", "reviewed_at"]
    readonly_fields = ["status", "reviewed_by", "reviewed_at"]


@admin.register(Placement)
class PlacementAdmin(admin.ModelAdmin):
    list_display = ["__str__", "supervisor", "starts_on", "ends_on", "target_hours", "status"]
    list_filter = ["status"]
    search_fields = [
        "application__student__user__full_name",
        "application__opportunity__title",
    ]
    raw_id_fields = ["application", "supervisor"]
    inlines = [HoursInline]


@admin.register(HoursLog)
class HoursLogAdmin(admin.ModelAdmin):
    list_display = [
        "placement",
        "date",
        "start_time",
        "end_time",
        "hours",
        "status",
        "reviewed_via",
    ]
    list_filter = ["status", "reviewed_via"]
    search_fields = ["placement__application__student__user__full_name"]
    raw_id_fields = ["placement"]
    readonly_fields = ["status", "reviewed_by", "reviewed_at", "reviewed_via", "created_at"]


@admin.register(Evaluation)
class EvaluationAdmin(admin.ModelAdmin):
    list_display = [
        "placement",
        "communication",
        "teamwork",
        "problem_solving",
        "professionalism",
        "technical_skill",
    ]
    raw_id_fields = ["placement"]
    readonly_fields = ["evaluator", "created_at"]


@admin.register(Reflection)
class ReflectionAdmin(admin.ModelAdmin):
    list_display = ["student", "created_at"]
    search_fields = ["student__user__full_name"]
    raw_id_fields = ["student", "application", "placement", "attendance"]


@admin.register(Attendance)
class AttendanceAdmin(admin.ModelAdmin):
    list_display = ["student", "session", "recorded_at"]
    raw_id_fields = ["student", "session"]
    readonly_fields = ["recorded_by", "recorded_at"]


class VolunteerInline(admin.TabularInline):
    model = Volunteer
    extra = 0
    fields = ["organization", "contact", "status", "proposed_starts_at", "created_at"]
    readonly_fields = ["status", "created_at"]
    raw_id_fields = ["organization", "contact"]


@admin.register(SchoolRequest)
class SchoolRequestAdmin(admin.ModelAdmin):
    list_display = ["topic", "school", "pathway", "kind", "status", "earliest_date", "latest_date"]
    list_filter = ["status", "kind"]
    search_fields = ["topic", "school__name", "pathway__name"]
    list_select_related = ["school", "pathway"]
    raw_id_fields = ["school", "pathway", "requested_by", "opportunity"]
    inlines = [VolunteerInline]
    readonly_fields = [
        "status",
        "partners_notified",
        "confirmed_at",
        "confirmed_by",
        "created_at",
    ]
