"""The back office for student records (CTE staff only, see users.models.STAFF_MANAGED_APPS).
Seat counts change only through the services, so enrollments are read-only here."""

from __future__ import annotations

from django.contrib import admin

from .models import (
    AccessLog,
    AdvisingNote,
    CounselorProfile,
    CourseRecord,
    CredentialAward,
    Enrollment,
    ExploratoryWorkshop,
    StudentProfile,
)


@admin.register(StudentProfile)
class StudentProfileAdmin(admin.ModelAdmin):
    list_display = ["user", "school", "grade", "cohort", "district_id", "is_active"]
    list_filter = ["grade", "is_active", "school"]
    search_fields = ["user__full_name", "user__email", "district_id"]
    list_select_related = ["user", "school"]
    raw_id_fields = ["user"]


@admin.register(CounselorProfile)
class CounselorProfileAdmin(admin.ModelAdmin):
    list_display = ["user"]
    filter_horizontal = ["schools"]
    raw_id_fields = ["user"]


@admin.register(Enrollment)
class EnrollmentAdmin(admin.ModelAdmin):
    list_display = ["student", "offering", "status", "waitlist_position", "requested_at"]
    list_filter = ["status"]
    list_select_related = ["student__user", "offering__pathway", "offering__school"]
    search_fields = ["student__user__full_name", "student__district_id"]

    def has_add_permission(self, request) -> bool:  # seats move only through the services
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(CourseRecord)
class CourseRecordAdmin(admin.ModelAdmin):
    list_display = ["student", "course", "school_year", "term", "status"]
    list_filter = ["status", "school_year"]
    raw_id_fields = ["student", "course"]
    list_select_related = ["student__user", "course"]


@admin.register(CredentialAward)
class CredentialAwardAdmin(admin.ModelAdmin):
    list_display = ["student", "credential", "awarded_on"]
    raw_id_fields = ["student"]
    list_select_related = ["student__user", "credential"]


@admin.register(ExploratoryWorkshop)
class ExploratoryWorkshopAdmin(admin.ModelAdmin):
    """Staff enter and correct workshops here (also past ones of students now in high
    school); counselors record them from the student's page."""

    list_display = ["student", "title", "sector", "attended_on", "grade", "hours"]
    list_filter = ["sector", "grade"]
    search_fields = ["title", "student__user__full_name", "student__district_id"]
    list_select_related = ["student__user", "sector"]
    raw_id_fields = ["student", "pathway"]
    readonly_fields = ["recorded_by", "recorded_at"]

    def save_model(self, request, obj, form, change) -> None:
        if not change:
            obj.recorded_by = request.user
        super().save_model(request, obj, form, change)


@admin.register(AdvisingNote)
class AdvisingNoteAdmin(admin.ModelAdmin):
    list_display = ["student", "author", "created_at"]
    raw_id_fields = ["student"]


@admin.register(AccessLog)
class AccessLogAdmin(admin.ModelAdmin):
    list_display = ["at", "viewer", "student", "what"]
    list_select_related = ["viewer", "student__user"]

    def has_add_permission(self, request) -> bool:  # append-only: written by the portal
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
