"""The catalogue's API: everyone reads, CTE staff write (through the services).

Writes take JSON only. A refused write answers 400 with the messages by field and changes
nothing (each service is one transaction). There is no DELETE: a pathway is archived
(``status``), and the back office can remove what was entered by mistake.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db.models import Model, QuerySet
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.parsers import JSONParser
from rest_framework.permissions import IsAuthenticatedOrReadOnly
from rest_framework.request import Request
from rest_framework.response import Response

from .. import selectors, services
from ..permissions import CatalogueReadStaffWrite
from ..services import CatalogueError, CollegeCreditEntry, SequenceEntry, errors_by_field
from . import filters
from .serializers import (
    CourseSerializer,
    CredentialSerializer,
    OccupationSerializer,
    OfferingSerializer,
    PathwayDetailSerializer,
    PathwaySerializer,
    PathwayWriteSerializer,
    SchoolSerializer,
    SectorSerializer,
)

SLUG = r"[-a-zA-Z0-9_]+"


def _run(service: Callable[..., Model], **kwargs: Any) -> Model:
    """Call a service; its refusal becomes a 400 with the messages by field."""
    try:
        return service(**kwargs)
    except CatalogueError as exc:
        raise serializers.ValidationError(errors_by_field(exc)) from exc


def catalogue_schema(*, read: type, write: type | None = None) -> Callable:
    """OpenAPI for a catalogue resource: writes take ``write`` and answer with ``read`` (the
    object as a GET of it shows it)."""
    write = write or read
    tags = ["catalogue"]
    return extend_schema_view(
        list=extend_schema(tags=tags),
        retrieve=extend_schema(tags=tags),
        create=extend_schema(tags=tags, request=write, responses={201: read}),
        update=extend_schema(tags=tags, request=write, responses={200: read}),
        partial_update=extend_schema(tags=tags, request=write, responses={200: read}),
    )


class CatalogueViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """List and read for everyone; create and update (PUT/PATCH) for CTE staff."""

    # IsAuthenticatedOrReadOnly first: anonymous writes get 401, and the schema shows reads
    # need no credentials.
    permission_classes = [IsAuthenticatedOrReadOnly, CatalogueReadStaffWrite]
    parser_classes = [JSONParser]
    http_method_names = ["get", "post", "put", "patch", "head", "options"]
    write_serializer_class: type[serializers.Serializer] | None = None

    def get_serializer_class(self) -> type[serializers.Serializer]:
        if self.action in ("create", "update", "partial_update") and self.write_serializer_class:
            return self.write_serializer_class
        return super().get_serializer_class()

    # Subclasses say how a write is made; ``data`` is the serializer's validated data.
    def create_object(self, data: dict[str, Any]) -> Model:
        raise NotImplementedError

    def update_object(self, instance: Model, data: dict[str, Any]) -> Model:
        raise NotImplementedError

    def present(self, instance: Model) -> dict[str, Any]:
        """The stored object, read back as a GET of it would show it."""
        fresh = self.get_queryset().get(pk=instance.pk)
        return self.serializer_class(fresh, context=self.get_serializer_context()).data

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        created = _run(self.create_object, data=dict(serializer.validated_data))
        return Response(self.present(created), status=status.HTTP_201_CREATED)

    def update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        partial = kwargs.pop("partial", False)
        instance = self.get_object()
        serializer = self.get_serializer(instance, data=request.data, partial=partial)
        serializer.is_valid(raise_exception=True)
        updated = _run(self.update_object, instance=instance, data=dict(serializer.validated_data))
        return Response(self.present(updated))

    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        kwargs["partial"] = True
        return self.update(request, *args, **kwargs)


@catalogue_schema(read=SectorSerializer)
class SectorViewSet(CatalogueViewSet):
    """Sectors (career clusters), with their number of published pathways."""

    serializer_class = SectorSerializer
    lookup_field = "slug"
    lookup_value_regex = SLUG
    ordering_fields = ["position", "name"]

    def get_queryset(self) -> QuerySet:
        return selectors.sector_list()

    def create_object(self, data: dict[str, Any]) -> Model:
        return services.sector_create(actor=self.request.user, **data)

    def update_object(self, instance: Model, data: dict[str, Any]) -> Model:
        return services.sector_update(sector=instance, actor=self.request.user, **data)


@catalogue_schema(read=PathwayDetailSerializer, write=PathwayWriteSerializer)
class PathwayViewSet(CatalogueViewSet):
    """Pathways: published ones for everyone, every status for CTE staff.

    Staff create and update a pathway with its whole course sequence in one request; the
    sequence, credentials and careers, when sent, replace the pathway's lists.
    """

    serializer_class = PathwaySerializer
    write_serializer_class = PathwayWriteSerializer
    filterset_class = filters.PathwayFilter
    lookup_field = "slug"
    lookup_value_regex = SLUG
    ordering_fields = ["name", "updated_at"]

    def get_queryset(self) -> QuerySet:
        if self.action == "list":
            return selectors.pathway_catalogue(
                filters=selectors.CatalogueFilters(), user=self.request.user
            )
        return selectors.pathway_detail_queryset(user=self.request.user)

    def get_serializer_class(self) -> type[serializers.Serializer]:
        if self.action == "retrieve":
            return PathwayDetailSerializer
        return super().get_serializer_class()

    def present(self, instance: Model) -> dict[str, Any]:
        fresh = selectors.pathway_detail_queryset(user=self.request.user).get(pk=instance.pk)
        return PathwayDetailSerializer(fresh, context=self.get_serializer_context()).data

    @staticmethod
    def _relations(data: dict[str, Any]) -> dict[str, Any]:
        if "sequence" in data:
            data["sequence"] = [SequenceEntry(**entry) for entry in data["sequence"]]
        return data

    def create_object(self, data: dict[str, Any]) -> Model:
        return services.pathway_create(actor=self.request.user, **self._relations(data))

    def update_object(self, instance: Model, data: dict[str, Any]) -> Model:
        return services.pathway_update(
            pathway=instance, actor=self.request.user, **self._relations(data)
        )


@catalogue_schema(read=CourseSerializer)
class CourseViewSet(CatalogueViewSet):
    """Courses, by state course code, with the college credit each can earn."""

    serializer_class = CourseSerializer
    filterset_class = filters.CourseFilter
    lookup_field = "code"
    lookup_value_regex = r"[A-Za-z0-9][A-Za-z0-9.\-]*"
    ordering_fields = ["code", "title"]

    def get_queryset(self) -> QuerySet:
        return selectors.course_list()

    @staticmethod
    def _credits(data: dict[str, Any]) -> dict[str, Any]:
        if "college_credits" in data:
            data["college_credits"] = [CollegeCreditEntry(**c) for c in data["college_credits"]]
        return data

    def create_object(self, data: dict[str, Any]) -> Model:
        return services.course_create(actor=self.request.user, **self._credits(data))

    def update_object(self, instance: Model, data: dict[str, Any]) -> Model:
        return services.course_update(
            course=instance, actor=self.request.user, **self._credits(data)
        )


@catalogue_schema(read=CredentialSerializer)
class CredentialViewSet(CatalogueViewSet):
    """Industry-recognized certifications, licenses and certificates."""

    serializer_class = CredentialSerializer
    filterset_class = filters.CredentialFilter
    lookup_field = "slug"
    lookup_value_regex = SLUG
    ordering_fields = ["name"]

    def get_queryset(self) -> QuerySet:
        return selectors.credential_list()

    def create_object(self, data: dict[str, Any]) -> Model:
        return services.credential_create(actor=self.request.user, **data)

    def update_object(self, instance: Model, data: dict[str, Any]) -> Model:
        return services.credential_update(credential=instance, actor=self.request.user, **data)


@catalogue_schema(read=OccupationSerializer)
class OccupationViewSet(CatalogueViewSet):
    """Careers, by SOC code, with wage, growth, openings and where the figures come from."""

    serializer_class = OccupationSerializer
    lookup_field = "soc_code"
    lookup_value_regex = r"\d{2}-\d{4}(?:\.\d{2})?"
    ordering_fields = ["title", "soc_code", "median_annual_wage", "projected_growth"]

    def get_queryset(self) -> QuerySet:
        return selectors.occupation_list()

    def create_object(self, data: dict[str, Any]) -> Model:
        return services.occupation_create(actor=self.request.user, **data)

    def update_object(self, instance: Model, data: dict[str, Any]) -> Model:
        return services.occupation_update(occupation=instance, actor=self.request.user, **data)


@catalogue_schema(read=SchoolSerializer)
class SchoolViewSet(CatalogueViewSet):
    serializer_class = SchoolSerializer
    filterset_class = filters.SchoolFilter
    lookup_field = "slug"
    lookup_value_regex = SLUG
    ordering_fields = ["name", "code"]

    def get_queryset(self) -> QuerySet:
        return selectors.school_list()

    def create_object(self, data: dict[str, Any]) -> Model:
        return services.school_create(actor=self.request.user, **data)

    def update_object(self, instance: Model, data: dict[str, Any]) -> Model:
        return services.school_update(school=instance, actor=self.request.user, **data)


@catalogue_schema(read=OfferingSerializer)
class OfferingViewSet(CatalogueViewSet):
    """A pathway at a school for a school year, with its seats. The public sees this year's
    and later offerings of published pathways; staff see them all."""

    serializer_class = OfferingSerializer
    filterset_class = filters.OfferingFilter
    lookup_value_regex = r"[0-9]{1,18}"
    ordering_fields = ["school_year", "seats"]

    def get_queryset(self) -> QuerySet:
        return selectors.offering_list_visible_to(user=self.request.user)

    def create_object(self, data: dict[str, Any]) -> Model:
        return services.offering_create(actor=self.request.user, **data)

    def update_object(self, instance: Model, data: dict[str, Any]) -> Model:
        return services.offering_update(offering=instance, actor=self.request.user, **data)
