"""The students API's shapes. Validation of shape only; the services decide."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from cte_portal.users.permissions import is_counselor
from pathways.models import School

from .. import selectors
from ..enums import CTEStatus, EnrollmentStatus
from ..models import CourseRecord, CredentialAward, Enrollment, StudentProfile
from ..selectors import StudentRecord


class StudentSerializer(serializers.ModelSerializer):
    """A student as their counselor or CTE staff see them (never served to employers)."""

    name = serializers.CharField(source="user.full_name", read_only=True)
    email = serializers.EmailField(source="user.email", read_only=True)
    school = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    pathway = serializers.IntegerField(source="pathway_id", read_only=True, allow_null=True)
    cte_status = serializers.ChoiceField(choices=CTEStatus.choices, read_only=True)
    courses_completed = serializers.IntegerField(read_only=True)
    at_risk = serializers.BooleanField(read_only=True)

    class Meta:
        model = StudentProfile
        fields = [
            "id",
            "name",
            "email",
            "school",
            "grade",
            "cohort",
            "district_id",
            "pathway",
            "cte_status",
            "courses_completed",
            "at_risk",
        ]
        read_only_fields = fields


class EnrollmentSerializer(serializers.ModelSerializer):
    student_name = serializers.CharField(source="student.user.full_name", read_only=True)
    pathway = serializers.CharField(source="offering.pathway.name", read_only=True)
    school = serializers.CharField(source="offering.school.name", read_only=True)

    class Meta:
        model = Enrollment
        fields = [
            "id",
            "student",
            "student_name",
            "offering",
            "pathway",
            "school",
            "status",
            "waitlist_position",
            "decline_reason",
            "replaces",
            "note",
            "requested_at",
            "decided_at",
            "ended_at",
        ]
        read_only_fields = fields


class EnrollmentRequestSerializer(serializers.Serializer):
    offering = serializers.IntegerField(min_value=1, max_value=2**31 - 1)
    note = serializers.CharField(required=False, allow_blank=True, max_length=2000, default="")
    change = serializers.BooleanField(
        required=False, default=False, help_text="A change of pathway (replaces the current)."
    )


class DeclineSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=2000)


class CourseRecordSerializer(serializers.ModelSerializer):
    course_code = serializers.CharField(source="course.code", read_only=True)
    course_title = serializers.CharField(source="course.title", read_only=True)

    class Meta:
        model = CourseRecord
        fields = [
            "id",
            "student",
            "course",
            "course_code",
            "course_title",
            "school_year",
            "term",
            "status",
            "mark",
            "credits_earned",
            "college_credits_earned",
        ]
        read_only_fields = fields


class CredentialAwardSerializer(serializers.ModelSerializer):
    credential_name = serializers.CharField(source="credential.name", read_only=True)

    class Meta:
        model = CredentialAward
        fields = ["id", "student", "credential", "credential_name", "awarded_on", "evidence"]
        read_only_fields = fields


# --- /api/v1/me/ sections (registered into cte_portal.api.me by StudentsConfig.ready) -------


class _SchoolBrief(serializers.Serializer):
    slug = serializers.SlugField(read_only=True)
    name = serializers.CharField(read_only=True)


class _PathwayBrief(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    slug = serializers.SlugField(read_only=True)
    name = serializers.CharField(read_only=True)


class _Progress(serializers.Serializer):
    courses_completed = serializers.IntegerField(source="student.courses_completed")
    is_concentrator = serializers.BooleanField(source="student.is_concentrator")
    pathway_courses_done = serializers.IntegerField(source="student.pathway_courses_done")
    pathway_courses_total = serializers.IntegerField(source="student.pathway_courses_total")
    completer_done = serializers.IntegerField(source="student.completer_done")
    completer_total = serializers.IntegerField(source="student.completer_total")
    percent = serializers.IntegerField(source="progress_percent")


class _PendingRequest(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    pathway = serializers.CharField(source="offering.pathway.name", read_only=True)
    status = serializers.ChoiceField(choices=EnrollmentStatus.choices, read_only=True)
    waitlist_position = serializers.IntegerField(read_only=True, allow_null=True)


class MyRecordSerializer(serializers.Serializer):
    """A student's own record in short, for ``/api/v1/me/``: school, grade, pathway, CTE
    status and progress. Never demographics, GPA, IDs or advising notes. ``null`` for
    anyone who is not a student with a record."""

    school = _SchoolBrief(source="student.school", read_only=True)
    grade = serializers.IntegerField(source="student.grade", read_only=True)
    cohort = serializers.IntegerField(source="student.cohort", read_only=True)
    pathway = _PathwayBrief(source="enrollment.offering.pathway", read_only=True, allow_null=True)
    enrollment_status = serializers.ChoiceField(
        source="enrollment.status",
        choices=EnrollmentStatus.choices,
        read_only=True,
        allow_null=True,
    )
    cte_status = serializers.ChoiceField(
        source="student.cte_status", choices=CTEStatus.choices, read_only=True
    )
    progress = _Progress(source="*", read_only=True)
    college_credits = serializers.DecimalField(max_digits=6, decimal_places=1, read_only=True)
    pending_request = _PendingRequest(source="pending", read_only=True, allow_null=True)

    def to_representation(self, instance: Any) -> Any:
        if not isinstance(instance, StudentRecord):  # the user, from MeSerializer
            profile = selectors.profile_of(instance)
            if profile is None:
                return None
            instance = selectors.student_record(student=profile)
        return super().to_representation(instance)


class MyCaseloadSerializer(serializers.Serializer):
    """A counselor's schools, for ``/api/v1/me/`` (``null`` for anyone else)."""

    schools = _SchoolBrief(many=True, read_only=True)

    def to_representation(self, instance: Any) -> Any:
        if not is_counselor(instance):
            return None
        schools = School.objects.filter(counselors__user=instance).order_by("name")
        return {"schools": [{"slug": s.slug, "name": s.name} for s in schools]}
