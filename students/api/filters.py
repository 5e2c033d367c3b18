"""Query parameters of the students API's lists. An id is a whole number a database key can
hold: ``abc``, ``1.5`` or a number of twenty digits is a 400 saying so, never a 500 nor a
silent empty list."""

from __future__ import annotations

from django import forms
from django_filters import rest_framework as filters

from ..enums import STUDENT_GRADES, CTEStatus, EnrollmentStatus
from ..models import CourseRecord, CredentialAward, Enrollment, StudentProfile

ID_MAX = 2**31 - 1  # PostgreSQL's integer


class IdFilter(filters.NumberFilter):
    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", ID_MAX)
        super().__init__(*args, **kwargs)


class StudentFilter(filters.FilterSet):
    school = filters.CharFilter(field_name="school__slug", max_length=80, help_text="School slug.")
    grade = filters.TypedChoiceFilter(choices=[(g, g) for g in STUDENT_GRADES], coerce=int)
    pathway = IdFilter(field_name="pathway_id", help_text="Pathway id.")
    status = filters.ChoiceFilter(field_name="cte_status", choices=CTEStatus.choices)
    at_risk = filters.BooleanFilter()

    class Meta:
        model = StudentProfile
        fields: list[str] = []


class EnrollmentFilter(filters.FilterSet):
    status = filters.ChoiceFilter(choices=EnrollmentStatus.choices)
    offering = IdFilter(help_text="Offering id.")
    student = IdFilter(field_name="student_id", help_text="Student record id.")

    class Meta:
        model = Enrollment
        fields: list[str] = []


class CourseRecordFilter(filters.FilterSet):
    student = IdFilter(field_name="student_id", help_text="Student record id.")

    class Meta:
        model = CourseRecord
        fields: list[str] = []


class CredentialAwardFilter(filters.FilterSet):
    student = IdFilter(field_name="student_id", help_text="Student record id.")

    class Meta:
        model = CredentialAward
        fields: list[str] = []
