"""The partners API's shapes. They validate shape only; the services decide and write."""

from __future__ import annotations

from django.utils import timezone
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from cte_portal.users.models import User
from pathways.models import Sector

from ..enums import BackgroundCheck
from ..models import Agreement, Contact, Interaction, Offer, Organization
from ..selectors import staff_members


class PartnerSectorSerializer(serializers.ModelSerializer):
    class Meta:
        model = Sector
        fields = ["slug", "name"]
        read_only_fields = fields


class OfferSerializer(serializers.ModelSerializer):
    sector = serializers.SlugRelatedField(slug_field="slug", read_only=True)

    class Meta:
        model = Offer
        fields = ["sector", "kind", "note"]
        read_only_fields = fields


# Fields only CTE staff read (their own log, who decided, background checks) are declared
# output-only but not read_only, so the schema leaves them optional: an employer's answer has
# none of them, a staff answer always has them.
class EmployerOrganizationSerializer(serializers.ModelSerializer):
    """An organization as its own contacts read it."""

    sectors = PartnerSectorSerializer(many=True, read_only=True)
    offers = OfferSerializer(many=True, read_only=True)
    current_seat_count = serializers.IntegerField(
        read_only=True, help_text="Advisory board and industry commission seats in force today."
    )

    class Meta:
        model = Organization
        fields = [
            "id",
            "name",
            "kind",
            "size",
            "status",
            "sectors",
            "offers",
            "website",
            "street_address",
            "city",
            "state",
            "postal_code",
            "phone",
            "description",
            "insurance_expires_on",
            "status_changed_at",
            "decision_reason",
            "submitted_at",
            "current_seat_count",
            "created_at",
        ]
        read_only_fields = fields


class OrganizationSerializer(EmployerOrganizationSerializer):
    """An organization as CTE staff read it: with their log's latest date and who decided."""

    # Output only (never parsed), and not read_only so the schema can leave them optional.
    last_interaction_on = serializers.DateField(
        required=False,
        allow_null=True,
        help_text="The latest logged interaction's date. CTE staff only.",
    )
    status_changed_by = serializers.PrimaryKeyRelatedField(
        required=False,
        allow_null=True,
        queryset=User.objects.none(),
        help_text="Who last changed the status (a staff member's user id). CTE staff only.",
    )

    class Meta(EmployerOrganizationSerializer.Meta):
        fields = [
            *EmployerOrganizationSerializer.Meta.fields,
            "last_interaction_on",
            "status_changed_by",
        ]
        read_only_fields = EmployerOrganizationSerializer.Meta.fields


class DecisionSerializer(serializers.Serializer):
    reason = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=2000,
        help_text="Why. Required to decline; the contacts read it in their e-mail.",
    )


class EmployerContactSerializer(serializers.ModelSerializer):
    """A colleague as a partner's contacts read them: no compliance records."""

    organization_name = serializers.CharField(source="organization.name", read_only=True)
    full_name = serializers.CharField(source="user.full_name", read_only=True)
    email = serializers.EmailField(source="user.email", read_only=True)

    class Meta:
        model = Contact
        fields = [
            "id",
            "organization",
            "organization_name",
            "full_name",
            "email",
            "job_title",
            "phone",
            "is_primary",
            "status",
            "works_with_students",
        ]
        read_only_fields = fields


class ContactSerializer(EmployerContactSerializer):
    """A contact as CTE staff read them: with the background check and who decided."""

    background_check = serializers.ChoiceField(
        choices=BackgroundCheck.choices, required=False, help_text="CTE staff only."
    )
    background_checked_on = serializers.DateField(
        required=False, allow_null=True, help_text="CTE staff only."
    )
    decided_by = serializers.PrimaryKeyRelatedField(
        required=False,
        allow_null=True,
        queryset=User.objects.none(),
        help_text="Who last decided on the person (a staff member's user id). CTE staff only.",
    )

    class Meta(EmployerContactSerializer.Meta):
        fields = [
            *EmployerContactSerializer.Meta.fields,
            "background_check",
            "background_checked_on",
            "decided_by",
        ]
        read_only_fields = EmployerContactSerializer.Meta.fields


class StaffMemberField(serializers.PrimaryKeyRelatedField):
    def get_queryset(self):
        return staff_members()


class InteractionSerializer(serializers.ModelSerializer):
    organization = serializers.PrimaryKeyRelatedField(queryset=Organization.objects.all())
    owner = StaffMemberField(
        required=False, allow_null=True, help_text="A CTE staff member's user id."
    )
    recorded_by = serializers.PrimaryKeyRelatedField(read_only=True, allow_null=True)

    class Meta:
        model = Interaction
        fields = [
            "id",
            "organization",
            "occurred_on",
            "kind",
            "summary",
            "next_step",
            "next_step_due",
            "owner",
            "recorded_by",
            "created_at",
        ]
        read_only_fields = ["id", "recorded_by", "created_at"]

    def validate_occurred_on(self, value):
        if value > timezone.localdate():
            raise serializers.ValidationError("An interaction cannot be in the future.")
        return value


class EmployerAgreementSerializer(serializers.ModelSerializer):
    """An agreement as the partner's own contacts read it: without staff's notes."""

    file_url = serializers.SerializerMethodField(help_text="Download it (same permission).")
    is_expired = serializers.SerializerMethodField()
    expiring_soon = serializers.SerializerMethodField(
        help_text="In force and ending within the warning window (60 days by default)."
    )

    class Meta:
        model = Agreement
        fields = [
            "id",
            "organization",
            "kind",
            "title",
            "starts_on",
            "ends_on",
            "file_url",
            "is_expired",
            "expiring_soon",
            "created_at",
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.URLField())
    def get_file_url(self, agreement: Agreement) -> str:
        request = self.context.get("request")
        path = agreement.get_file_url()
        return request.build_absolute_uri(path) if request else path

    def get_is_expired(self, agreement: Agreement) -> bool:
        return agreement.is_expired()

    def get_expiring_soon(self, agreement: Agreement) -> bool:
        return agreement.is_expiring_soon()


class AgreementSerializer(EmployerAgreementSerializer):
    """Staff's view of an agreement: with their notes."""

    class Meta(EmployerAgreementSerializer.Meta):
        fields = [*EmployerAgreementSerializer.Meta.fields, "notes"]
        read_only_fields = fields
