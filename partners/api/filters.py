"""Query parameters of the partners API's lists. The organization filters are the staff
page's filters: both hand them to ``selectors.partner_apply_filters``."""

from __future__ import annotations

from django.db.models import QuerySet
from django_filters import rest_framework as filters

from cte_portal.users.permissions import is_cte_staff

from ..enums import (
    AgreementKind,
    BackgroundCheck,
    ContactStatus,
    InteractionKind,
    OfferKind,
    OrganizationKind,
    OrganizationSize,
    OrganizationStatus,
)
from ..models import Agreement, Contact, Interaction, Organization
from ..selectors import PartnerFilters, partner_apply_filters

MAX_ID = 2**63 - 1  # the largest id the database holds
# Filters on staff's own log: they would let a partner probe it, so only staff's count.
STAFF_ONLY_ORGANIZATION_FILTERS = ("contacted_within", "not_contacted_in")


def _by_staff(request) -> bool:
    return request is not None and is_cte_staff(request.user)


class OrganizationFilter(filters.FilterSet):
    q = filters.CharFilter(max_length=200, help_text="Name, website, city or a contact.")
    sector = filters.CharFilter(max_length=80, help_text="A sector's slug.")
    kind = filters.ChoiceFilter(choices=OrganizationKind.choices)
    size = filters.ChoiceFilter(choices=OrganizationSize.choices)
    status = filters.ChoiceFilter(choices=OrganizationStatus.choices)
    offer = filters.ChoiceFilter(
        choices=OfferKind.choices, help_text="Offers this in at least one sector."
    )
    advisory = filters.ChoiceFilter(
        choices=[("yes", "yes"), ("no", "no")],
        help_text="`yes`: holds a current advisory seat; `no`: holds none.",
    )
    contacted_within = filters.NumberFilter(
        min_value=1,
        max_value=120,
        help_text="Last interaction at most this many months ago (CTE staff only).",
    )
    not_contacted_in = filters.NumberFilter(
        min_value=1,
        max_value=120,
        help_text="No interaction for this many months, or ever (CTE staff only).",
    )

    class Meta:
        model = Organization
        fields: list[str] = []

    def filter_queryset(self, queryset: QuerySet[Organization]) -> QuerySet[Organization]:
        data = dict(self.form.cleaned_data)
        for name in STAFF_ONLY_ORGANIZATION_FILTERS:
            if not _by_staff(self.request):
                data.pop(name, None)  # staff's log is not the partner's to probe
            elif data.get(name) is not None:
                data[name] = int(data[name])
        return partner_apply_filters(queryset, filters=PartnerFilters.from_mapping(data))


class ContactFilter(filters.FilterSet):
    organization = filters.NumberFilter(field_name="organization_id", min_value=1, max_value=MAX_ID)
    status = filters.ChoiceFilter(choices=ContactStatus.choices)
    background_check = filters.ChoiceFilter(
        choices=BackgroundCheck.choices,
        method="filter_background_check",
        help_text="CTE staff only (ignored for anyone else).",
    )
    works_with_students = filters.BooleanFilter()

    class Meta:
        model = Contact
        fields: list[str] = []

    def filter_background_check(
        self, queryset: QuerySet[Contact], name: str, value: str
    ) -> QuerySet[Contact]:
        # A colleague's background check is staff's record: filtering on it would reveal it.
        return queryset.filter(background_check=value) if _by_staff(self.request) else queryset


class InteractionFilter(filters.FilterSet):
    organization = filters.NumberFilter(field_name="organization_id", min_value=1, max_value=MAX_ID)
    kind = filters.ChoiceFilter(choices=InteractionKind.choices)
    since = filters.DateFilter(field_name="occurred_on", lookup_expr="gte")
    until = filters.DateFilter(field_name="occurred_on", lookup_expr="lte")

    class Meta:
        model = Interaction
        fields: list[str] = []


class AgreementFilter(filters.FilterSet):
    organization = filters.NumberFilter(field_name="organization_id", min_value=1, max_value=MAX_ID)
    kind = filters.ChoiceFilter(choices=AgreementKind.choices)
    ends_before = filters.DateFilter(field_name="ends_on", lookup_expr="lte")

    class Meta:
        model = Agreement
        fields: list[str] = []
