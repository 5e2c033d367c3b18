"""Query parameters of the catalogue's lists. The pathway filters are the page's filters:
both hand them to ``selectors.pathway_apply_filters``."""

from __future__ import annotations

from django.db.models import Exists, OuterRef, QuerySet
from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema_field

from ..enums import GRADES, CourseLevel, CredentialKind, PathwayStatus, Schedule, SchoolLevel
from ..models import Course, Credential, Offering, Pathway, PathwayCourse, School
from ..selectors import CatalogueFilters, pathway_apply_filters, pathway_list_visible_to


@extend_schema_field({"type": "integer", "enum": list(GRADES)})
class GradeFilter(filters.TypedChoiceFilter):
    """A grade (6-12); documented as an integer rather than a string."""


class PathwayFilter(filters.FilterSet):
    q = filters.CharFilter(
        max_length=200, help_text="Keywords, ranked by where they occur (name first)."
    )
    sector = filters.CharFilter(max_length=80, help_text="A sector's slug.")
    school = filters.CharFilter(
        max_length=80, help_text="A school's slug: pathways it offers this year or later."
    )
    grade = GradeFilter(
        choices=[(g, g) for g in GRADES], coerce=int, help_text="A grade students can join in."
    )
    credential = filters.CharFilter(
        max_length=80,
        help_text="`any` for pathways leading to at least one credential, or a credential's slug.",
    )
    college_credit = filters.BooleanFilter(help_text="Whether a course earns college credit.")
    extended_day = filters.BooleanFilter(
        help_text="Whether it is offered after school (extended day) this year or later."
    )
    status = filters.ChoiceFilter(
        choices=PathwayStatus.choices, help_text="Only CTE staff see other than published."
    )

    class Meta:
        model = Pathway
        fields: list[str] = []

    def filter_queryset(self, queryset: QuerySet[Pathway]) -> QuerySet[Pathway]:
        return pathway_apply_filters(
            queryset, filters=CatalogueFilters.from_mapping(self.form.cleaned_data)
        )


class CourseFilter(filters.FilterSet):
    level = filters.ChoiceFilter(choices=CourseLevel.choices)
    sector = filters.CharFilter(
        max_length=80, method="in_sector", help_text="Courses in a sector's pathways (slug)."
    )
    pathway = filters.CharFilter(
        max_length=80, method="in_pathway", help_text="Courses in a pathway's sequence (slug)."
    )

    class Meta:
        model = Course
        fields: list[str] = []

    def _placed_in(self, queryset: QuerySet[Course], **pathway: str) -> QuerySet[Course]:
        """Courses in the sequence of a pathway the person may see: a draft's sequence is
        not public, so it neither shows nor counts."""
        visible = pathway_list_visible_to(user=getattr(self.request, "user", None))
        placed = PathwayCourse.objects.filter(
            course=OuterRef("pk"), pathway__in=visible.filter(**pathway)
        )
        return queryset.filter(Exists(placed))

    def in_sector(self, queryset: QuerySet[Course], name: str, value: str) -> QuerySet[Course]:
        return self._placed_in(queryset, sector__slug=value)

    def in_pathway(self, queryset: QuerySet[Course], name: str, value: str) -> QuerySet[Course]:
        return self._placed_in(queryset, slug=value)


class CredentialFilter(filters.FilterSet):
    kind = filters.ChoiceFilter(choices=CredentialKind.choices)
    state_approved = filters.BooleanFilter()

    class Meta:
        model = Credential
        fields: list[str] = []


class SchoolFilter(filters.FilterSet):
    level = filters.ChoiceFilter(choices=SchoolLevel.choices)

    class Meta:
        model = School
        fields: list[str] = []


class OfferingFilter(filters.FilterSet):
    pathway = filters.CharFilter(field_name="pathway__slug", max_length=80)
    school = filters.CharFilter(field_name="school__slug", max_length=80)
    school_year = filters.NumberFilter(
        min_value=2000, max_value=2100, help_text="The year it starts in: 2025 for 2025-26."
    )
    schedule = filters.ChoiceFilter(choices=Schedule.choices)
    open_for_enrollment = filters.BooleanFilter()

    class Meta:
        model = Offering
        fields: list[str] = []
