"""The students API. Students read their own records and request a pathway; counselors read
their caseload and decide requests; CTE staff the whole district. Someone else's record is
404, never 403. Decisions call the same services as the pages; a refusal is 409."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import APIException, PermissionDenied
from rest_framework.request import Request
from rest_framework.response import Response

from cte_portal.users.enums import Role
from cte_portal.users.permissions import is_student, role_permission
from pathways.models import Offering

from .. import selectors, services
from ..permissions import can_decide, is_advisor
from ..services import EnrollmentError
from . import filters
from .serializers import (
    CourseRecordSerializer,
    CredentialAwardSerializer,
    DeclineSerializer,
    EnrollmentRequestSerializer,
    EnrollmentSerializer,
    StudentSerializer,
)

StudentsAndAdvisors = role_permission(Role.STUDENT, Role.COUNSELOR, Role.STAFF)
TAGS = ["students"]


class AccessLogged:
    """Reading student records through the API is an opening of those records, as on the
    page: for a counselor or staff member, each student a response shows is written to the
    access log (FERPA). A list is logged always (course records, credentials) or, with
    ``log_unfiltered_lists`` off, only when filtered to one student (``?student=``:
    enrollments; unfiltered, it is the request queue)."""

    log_what = "API record"
    log_unfiltered_lists = True

    def _log(self, rows: Any) -> None:
        if is_advisor(self.request.user):
            services.access_log_record_many(
                viewer=self.request.user,
                student_ids=(row.student_id for row in rows),
                what=self.log_what,
            )

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        queryset = self.filter_queryset(self.get_queryset())
        page = self.paginate_queryset(queryset)
        rows = list(page if page is not None else queryset)
        if self.log_unfiltered_lists or request.query_params.get("student"):
            self._log(rows)
        data = self.get_serializer(rows, many=True).data
        return self.get_paginated_response(data) if page is not None else Response(data)

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        row = self.get_object()
        self._log([row])
        return Response(self.get_serializer(row).data)


class Conflict(APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = "The request breaks a rule of enrollment."


@extend_schema_view(list=extend_schema(tags=TAGS), retrieve=extend_schema(tags=TAGS))
class StudentViewSet(viewsets.ReadOnlyModelViewSet):
    """The caseload (counselors) or the district (staff), with status computed in SQL; a
    student finds only their own record here (anyone else's is 404). A counselor or staff
    member opening one record is logged (FERPA)."""

    permission_classes = [StudentsAndAdvisors]
    serializer_class = StudentSerializer
    filterset_class = filters.StudentFilter
    ordering_fields = ["grade", "district_id"]

    def get_queryset(self) -> QuerySet:
        return selectors.caseload_for_counselor(user=self.request.user)

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        student = self.get_object()
        if is_advisor(request.user):
            services.access_log_record(viewer=request.user, student=student, what="API record")
        return Response(self.get_serializer(student).data)


@extend_schema_view(
    list=extend_schema(tags=TAGS),
    retrieve=extend_schema(tags=TAGS),
    create=extend_schema(
        tags=TAGS, request=EnrollmentRequestSerializer, responses={201: EnrollmentSerializer}
    ),
    approve=extend_schema(tags=TAGS, request=None, responses={200: EnrollmentSerializer}),
    waitlist=extend_schema(tags=TAGS, request=None, responses={200: EnrollmentSerializer}),
    decline=extend_schema(
        tags=TAGS, request=DeclineSerializer, responses={200: EnrollmentSerializer}
    ),
    withdraw=extend_schema(tags=TAGS, request=None, responses={200: EnrollmentSerializer}),
    complete=extend_schema(tags=TAGS, request=None, responses={200: EnrollmentSerializer}),
)
class EnrollmentViewSet(
    AccessLogged,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    permission_classes = [StudentsAndAdvisors]
    serializer_class = EnrollmentSerializer
    filterset_class = filters.EnrollmentFilter
    log_what = "API enrollments"
    log_unfiltered_lists = False
    ordering_fields = ["requested_at"]

    def get_queryset(self) -> QuerySet:
        return selectors.enrollments_visible_to(self.request.user).order_by("requested_at", "pk")

    def get_serializer_class(self) -> type:
        if self.action == "create":
            return EnrollmentRequestSerializer
        if self.action == "decline":
            return DeclineSerializer
        return EnrollmentSerializer

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        if not is_student(request.user):
            raise PermissionDenied("Only a student requests a pathway for themselves.")
        student = selectors.profile_of(request.user)
        if student is None:
            raise Conflict("You have no student record yet.")
        data = self._valid(EnrollmentRequestSerializer, request)
        offering = get_object_or_404(
            Offering.objects.select_related("pathway"), pk=data["offering"]
        )
        service = services.pathway_change_request if data["change"] else services.enrollment_request
        enrollment = self._run(service, student=student, offering=offering, note=data["note"])
        return Response(self._out(enrollment), status=status.HTTP_201_CREATED)

    def _valid(self, serializer_class: type, request: Request) -> dict[str, Any]:
        serializer = serializer_class(data=request.data)
        serializer.is_valid(raise_exception=True)
        return serializer.validated_data

    def _run(self, service: Any, **kwargs: Any) -> Any:
        try:
            return service(**kwargs)
        except EnrollmentError as exc:
            raise Conflict(str(exc)) from exc

    def _out(self, enrollment: Any) -> dict[str, Any]:
        fresh = selectors.enrollments_visible_to(self.request.user).get(pk=enrollment.pk)
        return EnrollmentSerializer(fresh).data

    def _decidable(self) -> Any:
        enrollment = self.get_object()  # not in the viewer's reach: 404
        if not can_decide(self.request.user, enrollment):
            raise PermissionDenied("Only the student's counselor or CTE staff decide.")
        return enrollment

    def _decision(self, service: Any, enrollment: Any = None, **kwargs: Any) -> Response:
        enrollment = enrollment or self._decidable()
        result = self._run(service, enrollment=enrollment, by=self.request.user, **kwargs)
        return Response(self._out(result))

    @action(detail=True, methods=["post"])
    def approve(self, request: Request, pk: str | None = None) -> Response:
        return self._decision(services.enrollment_approve)

    @action(detail=True, methods=["post"])
    def waitlist(self, request: Request, pk: str | None = None) -> Response:
        return self._decision(services.enrollment_waitlist)

    @action(detail=True, methods=["post"])
    def decline(self, request: Request, pk: str | None = None) -> Response:
        enrollment = self._decidable()
        data = self._valid(DeclineSerializer, request)
        return self._decision(
            services.enrollment_decline, enrollment=enrollment, reason=data["reason"]
        )

    @action(detail=True, methods=["post"])
    def complete(self, request: Request, pk: str | None = None) -> Response:
        """The student's counselor or staff mark an approved enrollment completed."""
        return self._decision(services.enrollment_complete)

    @action(detail=True, methods=["post"])
    def withdraw(self, request: Request, pk: str | None = None) -> Response:
        enrollment = self.get_object()  # visible: the student's own, or the caseload's
        result = self._run(services.enrollment_withdraw, enrollment=enrollment, by=request.user)
        return Response(self._out(result))


@extend_schema_view(list=extend_schema(tags=TAGS), retrieve=extend_schema(tags=TAGS))
class CourseRecordViewSet(AccessLogged, viewsets.ReadOnlyModelViewSet):
    permission_classes = [StudentsAndAdvisors]
    serializer_class = CourseRecordSerializer
    filterset_class = filters.CourseRecordFilter
    log_what = "API course records"

    def get_queryset(self) -> QuerySet:
        return selectors.course_records_visible_to(self.request.user).order_by("pk")


@extend_schema_view(list=extend_schema(tags=TAGS), retrieve=extend_schema(tags=TAGS))
class CredentialAwardViewSet(AccessLogged, viewsets.ReadOnlyModelViewSet):
    permission_classes = [StudentsAndAdvisors]
    serializer_class = CredentialAwardSerializer
    filterset_class = filters.CredentialAwardFilter
    log_what = "API credentials"

    def get_queryset(self) -> QuerySet:
        return selectors.credential_awards_visible_to(self.request.user).order_by("pk")
