"""The students API's shapes. Validation of shape only; the services decide."""

from __future__ import annotations

from rest_framework import serializers

from ..enums import CTEStatus
from ..models import CourseRecord, CredentialAward, Enrollment, StudentProfile


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
