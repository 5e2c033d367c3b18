"""The work-based learning API: opportunities, applications, placements, hours and school
requests. Every write calls the same service as the pages (``workbased.services``).

Who may call what is said per action: a role first (401 anonymous, 403 another role), then the
object must be in the person's reach (the selectors' visibility rule: 404 otherwise, so
someone else's draft or application is not revealed), then the object-level predicate of
``workbased.permissions`` (403). Writes take JSON. A service's refusal (``WorkbasedError``)
answers as ``workbased.errors`` says: 403 when the person may not, 409 when the record's state
forbids it now, 400 otherwise (by field when it names one); nothing is written.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db.models import Model, Prefetch, QuerySet
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import (
    OpenApiResponse,
    PolymorphicProxySerializer,
    extend_schema,
    extend_schema_view,
)
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import APIException, PermissionDenied, ValidationError
from rest_framework.parsers import JSONParser
from rest_framework.permissions import AllowAny, BasePermission
from rest_framework.request import Request
from rest_framework.response import Response

from cte_portal.users.enums import Role
from cte_portal.users.permissions import IsCTEStaff, is_employer, role_permission
from partners.selectors import contact_for_user
from students.selectors import profile_of

from .. import permissions, selectors, services
from ..errors import WorkbasedError
from ..models import Application
from . import filters
from .serializers import (
    ApplicantSerializer,
    ApplicationCreateSerializer,
    ApplicationSerializer,
    ConfirmSerializer,
    EvaluationSerializer,
    EvaluationWriteSerializer,
    HoursCreateSerializer,
    HoursSerializer,
    InviteResultSerializer,
    InviteSerializer,
    MatchingPartnerSerializer,
    OpportunitySerializer,
    OpportunityWriteSerializer,
    PlacementSerializer,
    ReasonSerializer,
    RequestOpportunitySerializer,
    ReviewNoteSerializer,
    SchoolRequestCreateSerializer,
    SchoolRequestSerializer,
    VolunteerCreateSerializer,
    VolunteerSerializer,
    opportunity_details,
)

TAGS = ["work-based learning"]
ID = r"[0-9]{1,18}"

# Roles
Students = role_permission(Role.STUDENT)
Employers = role_permission(Role.EMPLOYER)
Hosts = role_permission(Role.EMPLOYER, Role.STAFF)
Advisors = role_permission(Role.COUNSELOR, Role.STAFF)
StudentsAndAdvisors = role_permission(Role.STUDENT, Role.COUNSELOR, Role.STAFF)
SchoolsAndPartners = role_permission(Role.COUNSELOR, Role.STAFF, Role.EMPLOYER)
SignedIn = role_permission(Role.STUDENT, Role.COUNSELOR, Role.STAFF, Role.EMPLOYER)


class Conflict(APIException):
    status_code = status.HTTP_409_CONFLICT
    default_code = "conflict"


def refusal(exc: WorkbasedError) -> APIException:
    """A service's refusal as the API says it (see ``workbased.errors``)."""
    if exc.forbidden:
        return PermissionDenied(exc.message)
    if exc.conflict:
        return Conflict(exc.message)
    if exc.field:
        return ValidationError({exc.field: [exc.message]})
    return ValidationError({"detail": exc.message})


def object_rule(predicate: Callable[[Any, Any], bool]) -> type[BasePermission]:
    """A DRF permission asking one of ``workbased.permissions``' predicates about the object
    the action is about (checked once the object is found in the person's reach)."""

    class Rule(BasePermission):
        message = gettext_lazy("You may not do this.")

        def has_object_permission(self, request: Request, view: Any, obj: Any) -> bool:
            return predicate(request.user, obj)

    Rule.__name__ = "Rule_" + predicate.__name__
    return Rule


CanManageOpportunity = object_rule(permissions.can_manage_opportunity)
CanDecideApplication = object_rule(permissions.can_decide_application)
CanWithdrawApplication = object_rule(permissions.can_withdraw_application)
CanEvaluate = object_rule(permissions.can_evaluate)
CanApproveHours = object_rule(permissions.can_approve_hours)
CanConfirmSchoolRequest = object_rule(permissions.can_confirm_school_request)

REFUSALS = {
    400: OpenApiResponse(description="Refused: see `detail`, and `errors` by field."),
    403: OpenApiResponse(description="Your role, or your part in this record, does not allow it."),
    404: OpenApiResponse(description="No such object (or not in your reach)."),
    409: OpenApiResponse(description="The record's state forbids it now (see `detail`)."),
}


class WorkbasedViewSet(viewsets.GenericViewSet):
    """Permissions per action (``action_permissions``), JSON writes, services' refusals as
    HTTP answers."""

    parser_classes = [JSONParser]
    lookup_value_regex = ID
    action_permissions: dict[str, tuple[type[BasePermission], ...]] = {}

    def get_permissions(self) -> list[BasePermission]:
        classes = self.action_permissions.get(self.action or "", self.permission_classes)
        return [permission() for permission in classes]

    def run(self, service: Callable[..., Any], **kwargs: Any) -> Any:
        try:
            return service(**kwargs)
        except WorkbasedError as exc:
            raise refusal(exc) from exc

    def valid(self, serializer_class: type[serializers.Serializer], **kwargs: Any) -> dict:
        serializer = serializer_class(
            data=self.request.data, context=self.get_serializer_context(), **kwargs
        )
        serializer.is_valid(raise_exception=True)
        return dict(serializer.validated_data)

    def present(self, instance: Model) -> dict[str, Any]:
        """The object as a GET of it shows it to this person, read back after the change."""
        fresh = self.get_queryset().get(pk=instance.pk)
        return self.get_serializer(fresh).data


# --- Opportunities ----------------------------------------------------------------------------


def _step_schema(summary: str, request: type | None = None) -> Any:
    return extend_schema(
        tags=TAGS,
        summary=summary,
        request=request,
        responses={200: OpportunitySerializer, **REFUSALS},
    )


@extend_schema_view(
    list=extend_schema(tags=TAGS, summary="The opportunity board"),
    retrieve=extend_schema(tags=TAGS),
    create=extend_schema(
        tags=TAGS,
        summary="Draft an opportunity (a partner's contact, or CTE staff for a partner)",
        request=OpportunityWriteSerializer,
        responses={201: OpportunitySerializer, **REFUSALS},
    ),
    update=extend_schema(
        tags=TAGS,
        request=OpportunityWriteSerializer,
        responses={200: OpportunitySerializer, **REFUSALS},
    ),
    partial_update=extend_schema(
        tags=TAGS,
        request=OpportunityWriteSerializer,
        responses={200: OpportunitySerializer, **REFUSALS},
    ),
)
class OpportunityViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    WorkbasedViewSet,
):
    """The board: everyone sees published opportunities open to all (a student also those of
    their own school, a counselor those of the schools they serve); a partner's contacts also
    their organization's, whatever the status; CTE staff all. A partner's contacts draft,
    change (while a draft or returned) and submit their organization's; CTE staff publish or
    return them; the host or staff close or cancel them."""

    serializer_class = OpportunitySerializer
    filterset_class = filters.OpportunityFilter
    ordering_fields = ["title", "created_at", "first_starts_at"]
    permission_classes = [AllowAny]
    http_method_names = ["get", "post", "put", "patch", "head", "options"]
    action_permissions = {
        "create": (Hosts,),
        "update": (Hosts, CanManageOpportunity),
        "partial_update": (Hosts, CanManageOpportunity),
        "submit": (Hosts, CanManageOpportunity),
        "close": (Hosts, CanManageOpportunity),
        "cancel": (Hosts, CanManageOpportunity),
        "publish": (IsCTEStaff,),
        "return_": (IsCTEStaff,),
    }

    def get_queryset(self) -> QuerySet:
        return selectors.opportunity_board(user=self.request.user)

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        data = self.valid(OpportunityWriteSerializer)
        organization = data.pop("organization", None)
        if organization is None:
            contact = contact_for_user(user=request.user)
            if contact is None:
                raise ValidationError(
                    {"organization": [serializers.Field.default_error_messages["required"]]}
                )
            organization = contact.organization
        opportunity = self.run(
            services.opportunity_create,
            organization=organization,
            by=request.user,
            host=data.pop("host", None),
            details=opportunity_details(data),
        )
        return Response(self.present(opportunity), status=status.HTTP_201_CREATED)

    def update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        opportunity = self.get_object()  # in reach, and theirs to manage, before the body
        data = self.valid(OpportunityWriteSerializer, partial=kwargs.pop("partial", False))
        data.pop("organization", None)  # an opportunity stays with its organization
        updated = self.run(
            services.opportunity_update,
            opportunity=opportunity,
            by=request.user,
            host=data.pop("host", None),
            details=opportunity_details(data, opportunity),
        )
        return Response(self.present(updated))

    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return self.update(request, *args, partial=True, **kwargs)

    def _step(self, service: Callable[..., Any], reason: bool = False) -> Response:
        opportunity = self.get_object()
        extra = {"reason": self.valid(ReasonSerializer)["reason"]} if reason else {}
        result = self.run(service, opportunity=opportunity, by=self.request.user, **extra)
        return Response(self.present(result))

    @_step_schema("Send a draft (or a returned opportunity) to CTE staff for approval")
    @action(detail=True, methods=["post"])
    def submit(self, request: Request, pk: str | None = None) -> Response:
        return self._step(services.opportunity_submit)

    @_step_schema("Publish a submitted opportunity (CTE staff)")
    @action(detail=True, methods=["post"])
    def publish(self, request: Request, pk: str | None = None) -> Response:
        return self._step(services.opportunity_publish)

    @_step_schema("Return a submitted opportunity to its host, saying why (CTE staff)")
    @action(detail=True, methods=["post"], url_path="return", url_name="return")
    def return_(self, request: Request, pk: str | None = None) -> Response:
        return self._step(services.opportunity_return, reason=True)

    @_step_schema("Close a published opportunity to new applications")
    @action(detail=True, methods=["post"])
    def close(self, request: Request, pk: str | None = None) -> Response:
        return self._step(services.opportunity_close)

    @_step_schema("Cancel an opportunity (its students are told, with the reason)")
    @action(detail=True, methods=["post"])
    def cancel(self, request: Request, pk: str | None = None) -> Response:
        return self._step(services.opportunity_cancel, reason=True)


# --- Applications -----------------------------------------------------------------------------


def _application_or_applicant(many: bool = False) -> PolymorphicProxySerializer:
    return PolymorphicProxySerializer(
        component_name="ApplicationOrApplicant",
        serializers=[ApplicationSerializer, ApplicantSerializer],
        resource_type_field_name=None,
        many=many,
    )


def _decision_schema(summary: str, request: type | None = None) -> Any:
    return extend_schema(
        tags=TAGS,
        summary=summary,
        request=request,
        responses={200: _application_or_applicant(), **REFUSALS},
    )


@extend_schema_view(
    list=extend_schema(
        tags=TAGS,
        description="Partners' contacts get applicants (`ApplicantSerializer`: name, grade, "
        "school, pathway and the application only); everyone else whole applications.",
        responses={200: _application_or_applicant(many=True)},
    ),
    retrieve=extend_schema(tags=TAGS, responses={200: _application_or_applicant()}),
    create=extend_schema(
        tags=TAGS,
        summary="Apply (a student)",
        request=ApplicationCreateSerializer,
        responses={201: ApplicationSerializer, **REFUSALS},
    ),
)
class ApplicationViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, WorkbasedViewSet):
    """A student's own applications; a counselor's caseload's; CTE staff's all; a partner's
    contacts see the applicants to their organization's opportunities, only as the
    FERPA-limited view (``selectors.APPLICANT_FIELDS``), and decide on them."""

    filterset_class = filters.ApplicationFilter
    ordering_fields = ["submitted_at"]
    permission_classes = [SignedIn]
    action_permissions = {
        "create": (Students,),
        "accept": (Hosts, CanDecideApplication),
        "waitlist": (Hosts, CanDecideApplication),
        "decline": (Hosts, CanDecideApplication),
        "withdraw": (StudentsAndAdvisors, CanWithdrawApplication),
    }

    def _applicant_view(self) -> bool:
        return not getattr(self, "swagger_fake_view", False) and is_employer(self.request.user)

    def get_queryset(self) -> QuerySet:
        if getattr(self, "swagger_fake_view", False):
            return Application.objects.none()
        if self._applicant_view():
            return selectors.applicants_visible_to(user=self.request.user)
        return selectors.applications_visible_to(self.request.user)

    def get_serializer_class(self) -> type[serializers.Serializer]:
        return ApplicantSerializer if self._applicant_view() else ApplicationSerializer

    def _application(self) -> Application:
        """The application acted on, among those in the person's reach (404 otherwise)."""
        in_reach = self.get_queryset()
        ids = in_reach.values("application_id" if self._applicant_view() else "pk")
        application = get_object_or_404(
            Application.objects.select_related("opportunity__organization", "student__user"),
            pk=self.kwargs["pk"],
            pk__in=ids,
        )
        self.check_object_permissions(self.request, application)
        return application

    def present(self, instance: Model) -> dict[str, Any]:
        if self._applicant_view():
            row = self.get_queryset().get(application_id=instance.pk)
            return ApplicantSerializer(row).data
        return super().present(instance)

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        student = profile_of(request.user)
        if student is None:
            raise Conflict(_("You have no student record yet. Ask your school counselor."))
        data = self.valid(ApplicationCreateSerializer)
        application = self.run(
            services.application_submit,
            student=student,
            opportunity=data["opportunity"],
            statement=data["statement"],
        )
        return Response(self.present(application), status=status.HTTP_201_CREATED)

    def _decide(self, service: Callable[..., Any], reason: bool = False) -> Response:
        application = self._application()
        extra = {"reason": self.valid(ReasonSerializer)["reason"]} if reason else {}
        result = self.run(service, application=application, by=self.request.user, **extra)
        return Response(self.present(result))

    @_decision_schema("Accept (a seat; none left: wait-listed in the order they applied)")
    @action(detail=True, methods=["post"])
    def accept(self, request: Request, pk: str | None = None) -> Response:
        return self._decide(services.application_accept)

    @_decision_schema("Wait-list a new application")
    @action(detail=True, methods=["post"])
    def waitlist(self, request: Request, pk: str | None = None) -> Response:
        return self._decide(services.application_waitlist)

    @_decision_schema("Decline, saying why (the student reads it)", request=ReasonSerializer)
    @action(detail=True, methods=["post"])
    def decline(self, request: Request, pk: str | None = None) -> Response:
        return self._decide(services.application_decline, reason=True)

    @_decision_schema("Withdraw (the student, their counselor or CTE staff)")
    @action(detail=True, methods=["post"])
    def withdraw(self, request: Request, pk: str | None = None) -> Response:
        return self._decide(services.application_withdraw)


# --- Placements -------------------------------------------------------------------------------


@extend_schema_view(list=extend_schema(tags=TAGS), retrieve=extend_schema(tags=TAGS))
class PlacementViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, WorkbasedViewSet):
    """Placements (accepted internships and mentorships) with their hours summed: the
    student's own, the host organization's, a counselor's caseload's, CTE staff's all. The
    supervisor evaluates the student at the end."""

    serializer_class = PlacementSerializer
    filterset_class = filters.PlacementFilter
    ordering_fields = ["starts_on", "ends_on"]
    permission_classes = [SignedIn]
    action_permissions = {"evaluation": (Employers, CanEvaluate)}

    def get_queryset(self) -> QuerySet:
        return selectors.placements_visible_to(self.request.user).select_related(
            "evaluation__evaluator"
        )

    @extend_schema(
        tags=TAGS,
        summary="Evaluate the student (the supervisor, from the placement's last day)",
        request=EvaluationWriteSerializer,
        responses={201: EvaluationSerializer, **REFUSALS},
    )
    @action(detail=True, methods=["post"])
    def evaluation(self, request: Request, pk: str | None = None) -> Response:
        placement = self.get_object()
        data = self.valid(EvaluationWriteSerializer)
        comments = data.pop("comments")
        evaluation = self.run(
            services.evaluation_submit,
            placement=placement,
            by=request.user,
            ratings=data,
            comments=comments,
        )
        return Response(EvaluationSerializer(evaluation).data, status=status.HTTP_201_CREATED)


# --- Hours ------------------------------------------------------------------------------------


def _review_schema(summary: str) -> Any:
    return extend_schema(
        tags=TAGS,
        summary=summary,
        request=ReviewNoteSerializer,
        responses={200: HoursSerializer, **REFUSALS},
    )


@extend_schema_view(
    list=extend_schema(tags=TAGS),
    retrieve=extend_schema(tags=TAGS),
    create=extend_schema(
        tags=TAGS,
        summary="Log hours worked on your placement (a student)",
        description="A student under 16 is held to the federal child-labor limits; a log "
        "beyond them is refused with the reason in `detail`.",
        request=HoursCreateSerializer,
        responses={201: HoursSerializer, **REFUSALS},
    ),
)
class HoursViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, WorkbasedViewSet
):
    """Hours logged on placements: the student's own, the host organization's, a counselor's
    caseload's, CTE staff's all. The student logs; the supervisor (or another of the host's
    contacts, or CTE staff) approves or rejects."""

    serializer_class = HoursSerializer
    filterset_class = filters.HoursFilter
    ordering_fields = ["date", "created_at"]
    permission_classes = [SignedIn]
    action_permissions = {
        "create": (Students,),
        "approve": (Hosts, CanApproveHours),
        "reject": (Hosts, CanApproveHours),
    }

    def get_queryset(self) -> QuerySet:
        return selectors.hours_visible_to(self.request.user).order_by("-date", "-start_time", "-pk")

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        data = self.valid(HoursCreateSerializer)
        log = self.run(services.hours_log, by=request.user, **data)
        return Response(self.present(log), status=status.HTTP_201_CREATED)

    def _review(self, service: Callable[..., Any]) -> Response:
        log = self.get_object()
        note = self.valid(ReviewNoteSerializer)["note"]
        result = self.run(service, hours=log, by=self.request.user, note=note)
        return Response(self.present(result))

    @_review_schema("Approve hours")
    @action(detail=True, methods=["post"])
    def approve(self, request: Request, pk: str | None = None) -> Response:
        return self._review(services.hours_approve)

    @_review_schema("Reject hours, saying why (the student reads it)")
    @action(detail=True, methods=["post"])
    def reject(self, request: Request, pk: str | None = None) -> Response:
        return self._review(services.hours_reject)


# --- School requests --------------------------------------------------------------------------


def _request_schema(summary: str, request: type | None = None, created: Any = None) -> Any:
    responses = (
        {201: created, **REFUSALS} if created else {200: SchoolRequestSerializer, **REFUSALS}
    )
    return extend_schema(tags=TAGS, summary=summary, request=request, responses=responses)


@extend_schema_view(
    list=extend_schema(tags=TAGS),
    retrieve=extend_schema(tags=TAGS),
    create=extend_schema(
        tags=TAGS,
        summary="Ask partners for a visit (a counselor of the school, or CTE staff)",
        request=SchoolRequestCreateSerializer,
        responses={201: SchoolRequestSerializer, **REFUSALS},
    ),
)
class SchoolRequestViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, WorkbasedViewSet
):
    """Schools' requests for speakers, career-day guests, job shadows and site visits. CTE
    staff see all, a counselor their schools'; a partner's contacts see the open requests
    their organization's offers match (and those it volunteered for) and volunteer. The
    school's side confirms one volunteer, and the request becomes an opportunity."""

    serializer_class = SchoolRequestSerializer
    filterset_class = filters.SchoolRequestFilter
    ordering_fields = ["earliest_date", "created_at"]
    permission_classes = [SchoolsAndPartners]
    action_permissions = {
        "create": (Advisors,),
        "volunteer": (Employers,),
        "confirm": (Advisors, CanConfirmSchoolRequest),
        "cancel": (Advisors, CanConfirmSchoolRequest),
        "opportunity": (SchoolsAndPartners,),
        "matching": (IsCTEStaff,),
        "invite": (IsCTEStaff,),
    }

    def get_queryset(self) -> QuerySet:
        user = self.request.user
        return selectors.school_requests_visible_to(user).prefetch_related(
            Prefetch(
                "volunteers",
                queryset=selectors.volunteers_visible_to(user),
                to_attr="visible_volunteers",
            )
        )

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        data = self.valid(SchoolRequestCreateSerializer)
        school_request = self.run(services.school_request_create, by=request.user, **data)
        return Response(self.present(school_request), status=status.HTTP_201_CREATED)

    @_request_schema(
        "Volunteer to answer it (a matching partner's contact)",
        request=VolunteerCreateSerializer,
        created=VolunteerSerializer,
    )
    @action(detail=True, methods=["post"])
    def volunteer(self, request: Request, pk: str | None = None) -> Response:
        school_request = self.get_object()
        data = self.valid(VolunteerCreateSerializer)
        volunteer = self.run(
            services.school_request_volunteer, request=school_request, by=request.user, **data
        )
        return Response(VolunteerSerializer(volunteer).data, status=status.HTTP_201_CREATED)

    @_request_schema("Confirm one of the volunteers (the school's side)", ConfirmSerializer)
    @action(detail=True, methods=["post"])
    def confirm(self, request: Request, pk: str | None = None) -> Response:
        school_request = self.get_object()
        volunteer = self.valid(ConfirmSerializer)["volunteer"]
        result = self.run(
            services.school_request_confirm,
            request=school_request,
            volunteer=volunteer,
            by=request.user,
        )
        return Response(self.present(result))

    @_request_schema(
        "Turn the confirmed request into an opportunity for the school's students",
        request=RequestOpportunitySerializer,
        created=OpportunitySerializer,
    )
    @action(detail=True, methods=["post"])
    def opportunity(self, request: Request, pk: str | None = None) -> Response:
        school_request = self.get_object()
        data = self.valid(RequestOpportunitySerializer)
        opportunity = self.run(
            services.school_request_create_opportunity,
            request=school_request,
            by=request.user,
            **data,
        )
        # Its creator reads it back even before staff publish it; host-only fields stay
        # restricted to the host and staff.
        fresh = selectors.opportunity_just_created(pk=opportunity.pk)
        body = OpportunitySerializer(fresh, context=self.get_serializer_context()).data
        return Response(body, status=status.HTTP_201_CREATED)

    @extend_schema(
        tags=TAGS,
        summary="The partners it matches, told or not, volunteered or not (CTE staff)",
        responses={200: MatchingPartnerSerializer(many=True), **REFUSALS},
    )
    @action(detail=True, methods=["get"], filter_backends=[])
    def matching(self, request: Request, pk: str | None = None) -> Response:
        partners = selectors.request_matching_partners(request=self.get_object())
        page = self.paginate_queryset(partners)
        return self.get_paginated_response(MatchingPartnerSerializer(page, many=True).data)

    @extend_schema(
        tags=TAGS,
        summary="Invite one matching partner: its contacts are told once (CTE staff)",
        request=InviteSerializer,
        responses={200: InviteResultSerializer, **REFUSALS},
    )
    @action(detail=True, methods=["post"])
    def invite(self, request: Request, pk: str | None = None) -> Response:
        school_request = self.get_object()
        organization = self.valid(InviteSerializer)["organization"]
        told = self.run(
            services.school_request_invite,
            request=school_request,
            organization=organization,
            by=request.user,
        )
        return Response(
            InviteResultSerializer({"organization": organization.pk, "told": told}).data
        )

    @_request_schema("Cancel the request (the school's side)", ReasonSerializer)
    @action(detail=True, methods=["post"])
    def cancel(self, request: Request, pk: str | None = None) -> Response:
        school_request = self.get_object()
        reason = self.valid(ReasonSerializer)["reason"]
        result = self.run(
            services.school_request_cancel, request=school_request, by=request.user, reason=reason
        )
        return Response(self.present(result))
