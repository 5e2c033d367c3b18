"""Query parameters of the students API's lists."""

from __future__ import annotations

from django_filters import rest_framework as filters

from ..enums import STUDENT_GRADES, CTEStatus, EnrollmentStatus
from ..models import Enrollment, StudentProfile


class StudentFilter(filters.FilterSet):
    school = filters.CharFilter(field_name="school__slug", max_length=80, help_text="School slug.")
    grade = filters.TypedChoiceFilter(choices=[(g, g) for g in STUDENT_GRADES], coerce=int)
    pathway = filters.NumberFilter(field_name="pathway_id", help_text="Pathway id.")
    status = filters.ChoiceFilter(field_name="cte_status", choices=CTEStatus.choices)
    at_risk = filters.BooleanFilter()

    class Meta:
        model = StudentProfile
        fields: list[str] = []


class EnrollmentFilter(filters.FilterSet):
    status = filters.ChoiceFilter(choices=EnrollmentStatus.choices)
    offering = filters.NumberFilter()

    class Meta:
        model = Enrollment
        fields: list[str] = []
