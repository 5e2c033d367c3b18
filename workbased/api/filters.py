"""Query parameters of the work-based learning API's lists. The opportunity filters are the
board page's filters: both hand them to ``selectors.opportunity_apply_filters``."""

from __future__ import annotations

from django.db.models import QuerySet
from django_filters import rest_framework as filters

from pathways.models import Pathway, Sector

from ..bounds import validate_date
from ..enums import (
    ApplicationStatus,
    HoursStatus,
    OpportunityKind,
    OpportunityStatus,
    PlacementStatus,
    RequestKind,
    SchoolRequestStatus,
)
from ..models import Application, HoursLog, Opportunity, Placement, SchoolRequest
from ..selectors import BoardFilters, opportunity_apply_filters

MAX_ID = 2**63 - 1  # the largest id the database holds


def _id(name: str, **kwargs) -> filters.NumberFilter:
    return filters.NumberFilter(field_name=name, min_value=1, max_value=MAX_ID, **kwargs)


class OpportunityFilter(filters.FilterSet):
    """``from`` and ``to`` (Python keywords) are added below the class."""

    kind = filters.ChoiceFilter(choices=OpportunityKind.choices, help_text="The type.")
    sector = filters.CharFilter(max_length=80, help_text="A sector's slug.")
    pathway = filters.CharFilter(
        max_length=80,
        help_text="A pathway's slug: opportunities chosen for it, or open to its sector.",
    )
    virtual = filters.BooleanFilter()
    paid = filters.BooleanFilter()
    status = filters.ChoiceFilter(
        choices=OpportunityStatus.choices,
        help_text="Only CTE staff and the host organization see other than published.",
    )
    organization = _id("organization_id", help_text="The host organization's id.")
    q = filters.CharFilter(max_length=200, help_text="Words in the title, description or host.")

    class Meta:
        model = Opportunity
        fields: list[str] = []

    def filter_queryset(self, queryset: QuerySet[Opportunity]) -> QuerySet[Opportunity]:
        data = self.form.cleaned_data
        sector = pathway = None
        if data.get("sector"):
            sector = Sector.objects.filter(slug=data["sector"]).values_list("pk", flat=True).first()
            if sector is None:
                return queryset.none()
        if data.get("pathway"):
            pathway = (
                Pathway.objects.filter(slug=data["pathway"]).values_list("pk", flat=True).first()
            )
            if pathway is None:
                return queryset.none()
        organization = data.get("organization")
        board = BoardFilters(
            kind=data.get("kind") or "",
            sector=sector,
            pathway=pathway,
            starts_from=data.get("from"),
            starts_until=data.get("to"),
            virtual=data.get("virtual"),
            paid=data.get("paid"),
            status=data.get("status") or "",
            organization=int(organization) if organization is not None else None,
            q=(data.get("q") or "").strip(),
        )
        return opportunity_apply_filters(queryset, filters=board)


OpportunityFilter.base_filters["from"] = filters.DateFilter(
    field_name="sessions__starts_at",
    help_text="Has a session starting on or after this day (2000 to 2100).",
    validators=[validate_date],
)
OpportunityFilter.base_filters["to"] = filters.DateFilter(
    field_name="sessions__starts_at",
    help_text="Has a session starting on or before this day (2000 to 2100).",
    validators=[validate_date],
)


class ApplicationFilter(filters.FilterSet):
    status = filters.ChoiceFilter(choices=ApplicationStatus.choices)
    opportunity = _id("opportunity_id", help_text="The opportunity's id.")

    class Meta:
        model = Application
        fields: list[str] = []


class PlacementFilter(filters.FilterSet):
    status = filters.ChoiceFilter(choices=PlacementStatus.choices)
    opportunity = _id("application__opportunity_id", help_text="The opportunity's id.")

    class Meta:
        model = Placement
        fields: list[str] = []


class HoursFilter(filters.FilterSet):
    status = filters.ChoiceFilter(choices=HoursStatus.choices)
    placement = _id("placement_id", help_text="The placement's id.")
    since = filters.DateFilter(field_name="date", lookup_expr="gte")
    until = filters.DateFilter(field_name="date", lookup_expr="lte")

    class Meta:
        model = HoursLog
        fields: list[str] = []


class SchoolRequestFilter(filters.FilterSet):
    status = filters.ChoiceFilter(choices=SchoolRequestStatus.choices)
    kind = filters.ChoiceFilter(choices=RequestKind.choices)
    school = filters.CharFilter(field_name="school__slug", max_length=80, help_text="School slug.")

    class Meta:
        model = SchoolRequest
        fields: list[str] = []
