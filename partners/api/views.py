"""The partners API. Staff see and act on every partner; an employer reads their own
organization, colleagues and agreements; anonymous callers get 401, other roles 403.

Approve and decline are actions on an organization that call the same services as the staff
pages: a refusal answers 400 (a missing reason) or 409 (the organization's state forbids it).
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import APIException, ValidationError
from rest_framework.parsers import JSONParser
from rest_framework.request import Request
from rest_framework.response import Response

from cte_portal.users.permissions import IsCTEStaff, is_cte_staff

from .. import selectors, services
from ..models import Agreement, Contact, Interaction, Organization
from ..permissions import IsStaffOrEmployer
from ..services import PartnerError
from . import filters
from .serializers import (
    AgreementSerializer,
    ContactSerializer,
    DecisionSerializer,
    EmployerAgreementSerializer,
    EmployerContactSerializer,
    EmployerOrganizationSerializer,
    InteractionSerializer,
    OrganizationSerializer,
)

ID = r"[0-9]+"


class Conflict(APIException):
    status_code = status.HTTP_409_CONFLICT
    default_code = "conflict"


def refusal(exc: PartnerError) -> APIException:
    """A service's refusal as the API says it: 409 for a state conflict, else 400."""
    if exc.conflict:
        return Conflict(exc.message)
    if exc.field:
        return ValidationError({exc.field: [exc.message]})
    return ValidationError({"detail": exc.message})


REFUSALS = {
    400: OpenApiResponse(description="Refused: see `errors` (e.g. no reason to decline)."),
    404: OpenApiResponse(description="No such organization (or not yours to see)."),
    409: OpenApiResponse(description="The organization's state forbids it now."),
}


class ByRoleSerializer:
    """Staff read everything; a partner's contacts read a shape without staff's own records.
    The schema documents the staff shape, whose staff-only fields are optional."""

    serializer_class: type
    employer_serializer_class: type

    def get_serializer_class(self):
        if getattr(self, "swagger_fake_view", False) or is_cte_staff(self.request.user):
            return self.serializer_class
        return self.employer_serializer_class


@extend_schema_view(
    list=extend_schema(tags=["partners"]),
    retrieve=extend_schema(tags=["partners"]),
)
class OrganizationViewSet(ByRoleSerializer, viewsets.ReadOnlyModelViewSet):
    """Partner organizations: CTE staff see all, an employer sees their own (without staff's
    last interaction date or who decided)."""

    serializer_class = OrganizationSerializer
    employer_serializer_class = EmployerOrganizationSerializer
    permission_classes = [IsStaffOrEmployer]
    filterset_class = filters.OrganizationFilter
    ordering_fields = ["name", "created_at", "submitted_at"]
    lookup_value_regex = ID

    def get_queryset(self) -> QuerySet[Organization]:
        if getattr(self, "swagger_fake_view", False):
            return Organization.objects.none()
        return selectors.organizations_visible_to(user=self.request.user)

    def get_permissions(self):
        if self.action in ("approve", "decline"):
            return [IsCTEStaff()]
        return super().get_permissions()

    def _decide(self, request: Request, service: Any) -> Response:
        serializer = DecisionSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        organization = self.get_object()
        try:
            service(
                organization=organization,
                actor=request.user,
                reason=serializer.validated_data.get("reason", ""),
            )
        except PartnerError as exc:
            raise refusal(exc) from exc
        fresh = self.get_queryset().get(pk=organization.pk)
        return Response(OrganizationSerializer(fresh, context=self.get_serializer_context()).data)

    @extend_schema(
        tags=["partners"],
        request=DecisionSerializer,
        responses={200: OrganizationSerializer, **REFUSALS},
        summary="Approve a sign-up (or reinstate a partner)",
    )
    @action(detail=True, methods=["post"], parser_classes=[JSONParser])
    def approve(self, request: Request, pk: str | None = None) -> Response:
        return self._decide(request, services.organization_approve)

    @extend_schema(
        tags=["partners"],
        request=DecisionSerializer,
        responses={200: OrganizationSerializer, **REFUSALS},
        summary="Decline a sign-up, with a reason",
    )
    @action(detail=True, methods=["post"], parser_classes=[JSONParser])
    def decline(self, request: Request, pk: str | None = None) -> Response:
        return self._decide(request, services.organization_decline)


@extend_schema_view(
    list=extend_schema(tags=["partners"]),
    retrieve=extend_schema(tags=["partners"]),
)
class ContactViewSet(ByRoleSerializer, viewsets.ReadOnlyModelViewSet):
    """Partner contacts: CTE staff see all, an employer sees their colleagues (without their
    background checks)."""

    serializer_class = ContactSerializer
    employer_serializer_class = EmployerContactSerializer
    permission_classes = [IsStaffOrEmployer]
    filterset_class = filters.ContactFilter
    lookup_value_regex = ID

    def get_queryset(self) -> QuerySet[Contact]:
        if getattr(self, "swagger_fake_view", False):
            return Contact.objects.none()
        return selectors.contacts_visible_to(user=self.request.user)


@extend_schema_view(
    list=extend_schema(tags=["partners"]),
    retrieve=extend_schema(tags=["partners"]),
    create=extend_schema(tags=["partners"], responses={201: InteractionSerializer}),
)
class InteractionViewSet(
    mixins.CreateModelMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    """CTE staff's log of interactions with partners; logging one calls the same service as
    the partner page's form (and notifies the next step's owner)."""

    serializer_class = InteractionSerializer
    permission_classes = [IsCTEStaff]
    filterset_class = filters.InteractionFilter
    ordering_fields = ["occurred_on", "created_at"]
    parser_classes = [JSONParser]
    lookup_value_regex = ID

    def get_queryset(self) -> QuerySet[Interaction]:
        return selectors.interactions_for_staff()

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            interaction = services.interaction_log(actor=request.user, **serializer.validated_data)
        except PartnerError as exc:
            raise refusal(exc) from exc
        data = self.get_serializer(self.get_queryset().get(pk=interaction.pk)).data
        return Response(data, status=status.HTTP_201_CREATED)


@extend_schema_view(
    list=extend_schema(tags=["partners"]),
    retrieve=extend_schema(tags=["partners"]),
)
class AgreementViewSet(ByRoleSerializer, viewsets.ReadOnlyModelViewSet):
    """Agreements (MOU, articulation, internship): CTE staff see all, an employer their own.
    ``file_url`` downloads the file with the same permission."""

    serializer_class = AgreementSerializer
    employer_serializer_class = EmployerAgreementSerializer
    permission_classes = [IsStaffOrEmployer]
    filterset_class = filters.AgreementFilter
    ordering_fields = ["ends_on", "starts_on"]
    lookup_value_regex = ID

    def get_queryset(self) -> QuerySet[Agreement]:
        if getattr(self, "swagger_fake_view", False):
            return Agreement.objects.none()
        return selectors.agreements_visible_to(user=self.request.user)
