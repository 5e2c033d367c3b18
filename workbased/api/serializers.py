"""The work-based learning API's shapes. They validate shape only (types, lengths, what
exists); the services decide every rule and word every refusal.

Some fields are read only by some viewers (an opportunity's meeting link by its host and CTE
staff, a school request's bookkeeping by the school's side). They are declared output-only but
not ``read_only``, so the schema leaves them optional, and ``to_representation`` drops them for
everyone else. Employers read applicants only through ``ApplicantSerializer``, whose fields are
exactly ``selectors.APPLICANT_FIELDS``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from drf_spectacular.utils import extend_schema_field, extend_schema_serializer
from rest_framework import serializers

from cte_portal.users.permissions import is_counselor, is_cte_staff
from partners.models import Contact, Organization
from pathways.api.serializers import SchoolBriefSerializer, SectorBriefSerializer
from pathways.models import Pathway, School, Sector
from pathways.selectors import pathway_list_visible_to

from .. import permissions, selectors
from ..enums import (
    EVALUATION_SKILLS,
    ApplicationStatus,
    ConsentState,
    OpportunityKind,
    RequestKind,
    ReviewedVia,
)
from ..models import (
    Application,
    Evaluation,
    HoursLog,
    Opportunity,
    OpportunitySession,
    Placement,
    SchoolRequest,
    Volunteer,
)
from ..services import OpportunityDetails, SessionSpec

INT_MAX = 2**31 - 1  # PostgreSQL integer
SMALL_MAX = 2**15 - 1  # PostgreSQL smallint
TEXT_MAX = 20_000


def _viewer(serializer: serializers.Serializer) -> Any:
    request = serializer.context.get("request")
    return getattr(request, "user", None)


@extend_schema_field(
    {
        "type": "string",
        "pattern": r"^[0-9]{2}:[0-9]{2}(:[0-9]{2}(\.[0-9]{1,6})?)?$",
        "example": "15:30",
        "description": "Local time, 24-hour clock.",
    }
)
class LocalTimeField(serializers.TimeField):
    """A time of day without a zone (OpenAPI's ``format: time`` requires an offset)."""


class MomentField(serializers.DateTimeField):
    """A date and time sent by a client. DRF's own field lets Python's ``OverflowError`` out
    for a naive time at the very end of year 9999 (checking it against UTC): a 400 here."""

    def to_internal_value(self, value: Any) -> Any:
        try:
            return super().to_internal_value(value)
        except OverflowError:
            self.fail("overflow")


class SomeViewersOnly:
    """Drop ``restricted_fields`` from an object's representation unless ``viewer_may_read``
    (a permission predicate: viewer, object) says this viewer may read them."""

    restricted_fields: tuple[str, ...] = ()
    viewer_may_read: Callable[[Any, Any], bool]

    def to_representation(self, instance: Any) -> dict[str, Any]:
        data = super().to_representation(instance)
        if not type(self).viewer_may_read(_viewer(self), instance):
            for name in self.restricted_fields:
                data.pop(name, None)
        return data


# --- Briefs -----------------------------------------------------------------------------------


class OrganizationBriefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Organization
        fields = ["id", "name"]
        read_only_fields = fields


class PathwayBriefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Pathway
        fields = ["slug", "name"]
        read_only_fields = fields


class ContactBriefSerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="user.full_name", read_only=True)

    class Meta:
        model = Contact
        fields = ["id", "name"]
        read_only_fields = fields


class SessionSerializer(serializers.ModelSerializer):
    class Meta:
        model = OpportunitySession
        fields = ["id", "starts_at", "ends_at", "note"]
        read_only_fields = fields


class OpportunityBriefSerializer(serializers.ModelSerializer):
    organization = OrganizationBriefSerializer(read_only=True)

    class Meta:
        model = Opportunity
        fields = ["id", "kind", "title", "organization", "status"]
        read_only_fields = fields


# --- Opportunities ----------------------------------------------------------------------------


# What only the host organization and CTE staff read of an opportunity.
HOST_ONLY_FIELDS = (
    "host",
    "meeting_url",
    "seats_filled",
    "return_reason",
    "cancel_reason",
    "submitted_at",
    "decided_at",
    "created_at",
    "updated_at",
)


class OpportunitySerializer(SomeViewersOnly, serializers.ModelSerializer):
    """An opportunity as the board shows it; its host organization and CTE staff also read
    the host contact, the meeting link, seats taken and the review's record."""

    organization = OrganizationBriefSerializer(read_only=True)
    sectors = SectorBriefSerializer(many=True, read_only=True)
    pathways = PathwayBriefSerializer(
        many=True, read_only=True, help_text="If any, only students in these pathways may apply."
    )
    school = SchoolBriefSerializer(
        read_only=True, allow_null=True, help_text="If set, only its students may apply."
    )
    sessions = SessionSerializer(many=True, read_only=True)
    first_starts_at = serializers.DateTimeField(read_only=True, allow_null=True)
    last_ends_at = serializers.DateTimeField(read_only=True, allow_null=True)
    seats_left = serializers.IntegerField(source="seats_open", read_only=True)
    # The host organization and CTE staff only (output only; optional in the schema).
    host = ContactBriefSerializer(required=False, allow_null=True)
    meeting_url = serializers.CharField(required=False)
    seats_filled = serializers.IntegerField(required=False)
    return_reason = serializers.CharField(required=False)
    cancel_reason = serializers.CharField(required=False)
    submitted_at = serializers.DateTimeField(required=False, allow_null=True)
    decided_at = serializers.DateTimeField(required=False, allow_null=True)
    created_at = serializers.DateTimeField(required=False)
    updated_at = serializers.DateTimeField(required=False)

    restricted_fields = HOST_ONLY_FIELDS

    class Meta:
        model = Opportunity
        fields = [
            "id",
            "kind",
            "title",
            "description",
            "status",
            "organization",
            "sectors",
            "pathways",
            "school",
            "is_virtual",
            "address",
            "sessions",
            "first_starts_at",
            "last_ends_at",
            "seats",
            "seats_left",
            "min_grade",
            "min_age",
            "is_paid",
            "hours_per_week",
            "needs_guardian_consent",
            "needs_background_check",
            "apply_by",
            *HOST_ONLY_FIELDS,
        ]
        read_only_fields = fields

    viewer_may_read = staticmethod(permissions.can_manage_opportunity)


class SessionWriteSerializer(serializers.Serializer):
    starts_at = MomentField()
    ends_at = MomentField()
    note = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        # A PATCH is partial for the opportunity, never for a session it sends.
        missing = [name for name in ("starts_at", "ends_at") if name not in attrs]
        if missing:
            required = self.fields["starts_at"].error_messages["required"]
            raise serializers.ValidationError({name: [required] for name in missing})
        attrs.setdefault("note", "")
        return attrs


class VisiblePathwayField(serializers.SlugRelatedField):
    """A pathway by slug, among those the person may see (a draft is staff's)."""

    def get_queryset(self) -> Any:
        return pathway_list_visible_to(user=_viewer(self))


class OpportunityWriteSerializer(serializers.Serializer):
    """What a host (or CTE staff) sends to draft or change an opportunity. On a change,
    ``sessions``, ``sectors`` and ``pathways`` replace the opportunity's lists when given;
    the fields left out keep their values."""

    organization = serializers.PrimaryKeyRelatedField(
        queryset=Organization.objects.all(),
        required=False,
        help_text="The host organization's id: CTE staff give it; a partner's contact posts "
        "for their own organization.",
    )
    host = serializers.PrimaryKeyRelatedField(
        queryset=Contact.objects.all(),
        required=False,
        allow_null=True,
        help_text="The contact who hosts the students (default: whoever posts it).",
    )
    kind = serializers.ChoiceField(choices=OpportunityKind.choices)
    title = serializers.CharField(max_length=200, allow_blank=True)
    description = serializers.CharField(max_length=TEXT_MAX, allow_blank=True)
    seats = serializers.IntegerField(min_value=-INT_MAX, max_value=INT_MAX)
    sessions = SessionWriteSerializer(many=True, required=False, max_length=200)
    sectors = serializers.SlugRelatedField(
        slug_field="slug", queryset=Sector.objects.all(), many=True, required=False
    )
    pathways = VisiblePathwayField(
        slug_field="slug", queryset=Pathway.objects.all(), many=True, required=False
    )
    school = serializers.SlugRelatedField(
        slug_field="slug",
        queryset=School.objects.all(),
        required=False,
        allow_null=True,
        help_text="Only this school's students may apply.",
    )
    is_virtual = serializers.BooleanField(required=False, default=False)
    address = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")
    meeting_url = serializers.URLField(max_length=500, required=False, allow_blank=True, default="")
    min_grade = serializers.IntegerField(
        required=False, allow_null=True, min_value=-SMALL_MAX, max_value=SMALL_MAX
    )
    min_age = serializers.IntegerField(
        required=False, allow_null=True, min_value=-SMALL_MAX, max_value=SMALL_MAX
    )
    is_paid = serializers.BooleanField(required=False, default=False)
    hours_per_week = serializers.DecimalField(
        max_digits=4, decimal_places=1, required=False, allow_null=True
    )
    needs_guardian_consent = serializers.BooleanField(required=False, default=False)
    needs_background_check = serializers.BooleanField(required=False, default=False)
    apply_by = serializers.DateField(required=False, allow_null=True)


def opportunity_details(
    data: Mapping[str, Any], instance: Opportunity | None = None
) -> OpportunityDetails:
    """The service's description of an opportunity from a write's validated data; on a
    change, what the data leaves out is taken from ``instance``."""

    def value(name: str, default: Any = None) -> Any:
        if name in data:
            return data[name]
        return getattr(instance, name) if instance is not None else default

    if "sessions" in data:
        sessions = [SessionSpec(**spec) for spec in data["sessions"]]
    elif instance is not None:
        sessions = [
            SessionSpec(starts_at=s.starts_at, ends_at=s.ends_at, note=s.note)
            for s in instance.sessions.all()
        ]
    else:
        sessions = []
    related = {
        name: list(data[name])
        if name in data
        else (list(getattr(instance, name).all()) if instance is not None else [])
        for name in ("sectors", "pathways")
    }
    return OpportunityDetails(
        kind=value("kind"),
        title=value("title"),
        description=value("description"),
        seats=value("seats"),
        sessions=sessions,
        sectors=related["sectors"],
        pathways=related["pathways"],
        is_virtual=value("is_virtual", False),
        address=value("address", ""),
        meeting_url=value("meeting_url", ""),
        min_grade=value("min_grade"),
        min_age=value("min_age"),
        is_paid=value("is_paid", False),
        hours_per_week=value("hours_per_week"),
        needs_guardian_consent=value("needs_guardian_consent", False),
        needs_background_check=value("needs_background_check", False),
        apply_by=value("apply_by"),
        school=value("school"),
    )


class ReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(
        max_length=TEXT_MAX, required=False, allow_blank=True, default=""
    )


# --- Applications -----------------------------------------------------------------------------


class StudentBriefSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    name = serializers.CharField(source="user.full_name", read_only=True)
    grade = serializers.IntegerField(read_only=True)
    school = serializers.CharField(source="school.name", read_only=True)


class ApplicationSerializer(serializers.ModelSerializer):
    """A whole application: the student's own, their counselor's and CTE staff's view."""

    opportunity = OpportunityBriefSerializer(read_only=True)
    first_starts_at = serializers.DateTimeField(read_only=True, allow_null=True)
    student = StudentBriefSerializer(read_only=True)
    placement = serializers.SerializerMethodField()

    class Meta:
        model = Application
        fields = [
            "id",
            "opportunity",
            "first_starts_at",
            "student",
            "statement",
            "status",
            "waitlist_position",
            "decline_reason",
            "guardian_consent",
            "submitted_at",
            "decided_at",
            "withdrawn_at",
            "placement",
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.IntegerField(allow_null=True))
    def get_placement(self, application: Application) -> int | None:
        placement = getattr(application, "placement", None)
        return placement.pk if placement is not None else None


class ApplicantSerializer(serializers.Serializer):
    """An applicant as the host organization sees them (FERPA): of the student only their
    name, grade, school and pathway, and the application itself; never demographics, GPA,
    IDs, date of birth, contact details or notes."""

    # The fields sent are exactly ``selectors.APPLICANT_FIELDS`` (see ``get_fields``): one
    # declared here and not there is never sent; one added there and not declared here fails.

    application_id = serializers.IntegerField(read_only=True)
    opportunity_id = serializers.IntegerField(read_only=True)
    status = serializers.ChoiceField(choices=ApplicationStatus.choices, read_only=True)
    waitlist_position = serializers.IntegerField(read_only=True, allow_null=True)
    guardian_consent = serializers.ChoiceField(choices=ConsentState.choices, read_only=True)
    submitted_at = serializers.DateTimeField(read_only=True)
    name = serializers.CharField(read_only=True)
    grade = serializers.IntegerField(read_only=True)
    school = serializers.CharField(read_only=True)
    pathway = serializers.CharField(read_only=True, allow_null=True)
    statement = serializers.CharField(read_only=True)

    def get_fields(self) -> dict[str, serializers.Field]:
        declared = super().get_fields()
        return {name: declared[name] for name in selectors.APPLICANT_FIELDS}


class ApplicationCreateSerializer(serializers.Serializer):
    opportunity = serializers.PrimaryKeyRelatedField(
        queryset=Opportunity.objects.none(), help_text="The opportunity's id."
    )
    statement = serializers.CharField(
        max_length=TEXT_MAX,
        required=False,
        allow_blank=True,
        default="",
        help_text="Why you are applying and what you hope to learn.",
    )

    def get_fields(self) -> dict[str, serializers.Field]:
        fields = super().get_fields()
        # Only what the student may see exists for them.
        fields["opportunity"].queryset = selectors.opportunities_visible_to(_viewer(self))
        return fields


# --- Placements, evaluations, hours -----------------------------------------------------------


class EvaluationSerializer(serializers.ModelSerializer):
    evaluator = serializers.CharField(source="evaluator.full_name", read_only=True, allow_null=True)

    class Meta:
        model = Evaluation
        fields = [
            "id",
            "placement",
            *(name for name, _label in EVALUATION_SKILLS),
            "comments",
            "evaluator",
            "created_at",
        ]
        read_only_fields = fields


class EvaluationWriteSerializer(serializers.Serializer):
    """Each skill from 1 (beginning) to 4 (exemplary)."""

    communication = serializers.IntegerField()
    teamwork = serializers.IntegerField()
    problem_solving = serializers.IntegerField()
    professionalism = serializers.IntegerField()
    technical_skill = serializers.IntegerField()
    comments = serializers.CharField(
        max_length=TEXT_MAX, required=False, allow_blank=True, default=""
    )


class PlacementSerializer(serializers.ModelSerializer):
    opportunity = OpportunityBriefSerializer(source="application.opportunity", read_only=True)
    student_name = serializers.CharField(
        source="application.student.user.full_name", read_only=True
    )
    school = serializers.CharField(source="application.student.school.name", read_only=True)
    supervisor = ContactBriefSerializer(read_only=True, allow_null=True)
    hours_approved = serializers.DecimalField(max_digits=8, decimal_places=2, read_only=True)
    hours_pending = serializers.DecimalField(max_digits=8, decimal_places=2, read_only=True)
    evaluation = serializers.SerializerMethodField()

    class Meta:
        model = Placement
        fields = [
            "id",
            "application",
            "opportunity",
            "student_name",
            "school",
            "supervisor",
            "starts_on",
            "ends_on",
            "target_hours",
            "status",
            "hours_approved",
            "hours_pending",
            "evaluation",
        ]
        read_only_fields = fields

    @extend_schema_field(EvaluationSerializer(allow_null=True))
    def get_evaluation(self, placement: Placement) -> dict[str, Any] | None:
        evaluation = getattr(placement, "evaluation", None)
        return EvaluationSerializer(evaluation).data if evaluation is not None else None


class HoursSerializer(serializers.ModelSerializer):
    opportunity = OpportunityBriefSerializer(
        source="placement.application.opportunity", read_only=True
    )
    student_name = serializers.CharField(
        source="placement.application.student.user.full_name", read_only=True
    )
    start_time = LocalTimeField(read_only=True)
    end_time = LocalTimeField(read_only=True)
    reviewed_by = serializers.CharField(
        source="reviewed_by.full_name", read_only=True, allow_null=True
    )
    reviewed_via = serializers.ChoiceField(
        choices=ReviewedVia.choices, allow_blank=True, read_only=True
    )

    class Meta:
        model = HoursLog
        fields = [
            "id",
            "placement",
            "opportunity",
            "student_name",
            "date",
            "start_time",
            "end_time",
            "hours",
            "activities",
            "status",
            "reviewed_by",
            "reviewed_at",
            "reviewed_via",
            "review_note",
            "created_at",
        ]
        read_only_fields = fields


class HoursCreateSerializer(serializers.Serializer):
    placement = serializers.PrimaryKeyRelatedField(
        queryset=Placement.objects.none(), help_text="Your placement's id."
    )
    date = serializers.DateField()
    start_time = LocalTimeField()
    end_time = LocalTimeField()
    hours = serializers.DecimalField(
        max_digits=4,
        decimal_places=2,
        required=False,
        allow_null=True,
        help_text="Default: the time from start to end.",
    )
    activities = serializers.CharField(
        max_length=TEXT_MAX, required=False, allow_blank=True, default=""
    )

    def get_fields(self) -> dict[str, serializers.Field]:
        fields = super().get_fields()
        fields["placement"].queryset = selectors.placements_visible_to(_viewer(self))
        return fields


class ReviewNoteSerializer(serializers.Serializer):
    note = serializers.CharField(
        max_length=TEXT_MAX,
        required=False,
        allow_blank=True,
        default="",
        help_text="For the student; required to reject.",
    )


# --- School requests --------------------------------------------------------------------------


def _is_school_side(user: Any) -> bool:
    # The rows a counselor is given are already their schools' (the selector's rule).
    return is_cte_staff(user) or is_counselor(user)


class VolunteerSerializer(serializers.ModelSerializer):
    organization = OrganizationBriefSerializer(read_only=True)
    contact = serializers.CharField(
        source="contact.user.full_name", read_only=True, allow_null=True
    )

    class Meta:
        model = Volunteer
        fields = [
            "id",
            "request",
            "organization",
            "contact",
            "message",
            "proposed_starts_at",
            "proposed_ends_at",
            "status",
            "created_at",
        ]
        read_only_fields = fields


# What only the school's side (CTE staff, the school's counselors) reads of a request.
SCHOOL_SIDE_FIELDS = (
    "requested_by",
    "partners_notified",
    "volunteer_count",
    "confirmed_at",
    "cancel_reason",
)


@extend_schema_serializer(component_name="SchoolVisitRequest")  # "SchoolRequest" is School's input
class SchoolRequestSerializer(SomeViewersOnly, serializers.ModelSerializer):
    """A school's request. ``volunteers``: every partner's offer for the school's side, only
    their own organization's for a partner. The school's side also reads who asked, how many
    partners were told and volunteered, and the confirmation."""

    school = SchoolBriefSerializer(read_only=True)
    pathway = PathwayBriefSerializer(read_only=True)
    sector = SectorBriefSerializer(source="pathway.sector", read_only=True)
    volunteers = VolunteerSerializer(source="visible_volunteers", many=True, read_only=True)
    # The school's side only (output only; optional in the schema).
    requested_by = serializers.CharField(
        source="requested_by.full_name", required=False, allow_null=True
    )
    partners_notified = serializers.IntegerField(required=False)
    volunteer_count = serializers.IntegerField(required=False)
    confirmed_at = serializers.DateTimeField(required=False, allow_null=True)
    cancel_reason = serializers.CharField(required=False)

    restricted_fields = SCHOOL_SIDE_FIELDS

    class Meta:
        model = SchoolRequest
        fields = [
            "id",
            "school",
            "pathway",
            "sector",
            "kind",
            "topic",
            "details",
            "earliest_date",
            "latest_date",
            "audience_size",
            "grade",
            "status",
            "opportunity",
            "created_at",
            "volunteers",
            *SCHOOL_SIDE_FIELDS,
        ]
        read_only_fields = fields

    viewer_may_read = staticmethod(lambda viewer, _request: _is_school_side(viewer))


class SchoolRequestCreateSerializer(serializers.Serializer):
    school = serializers.SlugRelatedField(
        slug_field="slug", queryset=School.objects.all(), help_text="The school's slug."
    )
    pathway = serializers.SlugRelatedField(
        slug_field="slug", queryset=Pathway.objects.all(), help_text="The pathway's slug."
    )
    kind = serializers.ChoiceField(choices=RequestKind.choices)
    topic = serializers.CharField(max_length=200, allow_blank=True)
    details = serializers.CharField(
        max_length=TEXT_MAX, required=False, allow_blank=True, default=""
    )
    earliest_date = serializers.DateField()
    latest_date = serializers.DateField()
    audience_size = serializers.IntegerField(min_value=-INT_MAX, max_value=INT_MAX)
    grade = serializers.IntegerField(min_value=-SMALL_MAX, max_value=SMALL_MAX)


class VolunteerCreateSerializer(serializers.Serializer):
    message = serializers.CharField(
        max_length=TEXT_MAX, required=False, allow_blank=True, default=""
    )
    proposed_starts_at = MomentField(required=False, allow_null=True)
    proposed_ends_at = MomentField(required=False, allow_null=True)


class ConfirmSerializer(serializers.Serializer):
    volunteer = serializers.PrimaryKeyRelatedField(
        queryset=Volunteer.objects.all(), help_text="The id of the volunteer chosen."
    )


class MatchingPartnerSerializer(serializers.ModelSerializer):
    """A partner a school request matches, as staff's matching page shows it."""

    active_contacts = serializers.IntegerField(read_only=True)
    notified = serializers.BooleanField(
        read_only=True, help_text="Any of its contacts was told (the fan-out or an invitation)."
    )
    invited = serializers.BooleanField(read_only=True, help_text="CTE staff invited it.")
    volunteer_status = serializers.CharField(
        read_only=True, allow_null=True, help_text="Empty if it did not volunteer."
    )

    class Meta:
        model = Organization
        fields = ["id", "name", "active_contacts", "notified", "invited", "volunteer_status"]
        read_only_fields = fields


class InviteSerializer(serializers.Serializer):
    organization = serializers.PrimaryKeyRelatedField(
        queryset=Organization.objects.all(), help_text="The id of the matching partner."
    )


class InviteResultSerializer(serializers.Serializer):
    organization = serializers.IntegerField()
    told = serializers.BooleanField(
        help_text="Whether this call told anyone (false: it was invited before)."
    )


class RequestOpportunitySerializer(serializers.Serializer):
    """The visit's details; left out, they come from the request and the chosen partner's
    proposal."""

    starts_at = MomentField(required=False, allow_null=True)
    ends_at = MomentField(required=False, allow_null=True)
    title = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    description = serializers.CharField(
        max_length=TEXT_MAX, required=False, allow_blank=True, default=""
    )
    address = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")
    is_virtual = serializers.BooleanField(required=False, default=False)
