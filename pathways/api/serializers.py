"""The catalogue's API shapes. They validate shape only; the services decide and write.

Reads nest what a client needs in one call (a pathway with its sequence, credentials,
careers and offerings). Writes refer to other objects by slug or code, so a district can
load its catalogue from its own spreadsheets without knowing our ids.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from rest_framework import serializers

from ..enums import SEQUENCE_YEARS, Gender
from ..models import (
    CollegeCredit,
    Course,
    Credential,
    Occupation,
    Offering,
    Pathway,
    School,
    Sector,
)


class SectorSerializer(serializers.ModelSerializer):
    pathway_count = serializers.IntegerField(
        read_only=True, help_text="Published pathways in this sector."
    )

    class Meta:
        model = Sector
        fields = ["slug", "name", "description", "position", "pathway_count"]


class SectorBriefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Sector
        fields = ["slug", "name"]
        read_only_fields = fields


class SchoolSerializer(serializers.ModelSerializer):
    class Meta:
        model = School
        fields = ["slug", "name", "code", "level", "address", "website"]


class SchoolBriefSerializer(serializers.ModelSerializer):
    class Meta:
        model = School
        fields = ["slug", "name", "code"]
        read_only_fields = fields


class CredentialSerializer(serializers.ModelSerializer):
    class Meta:
        model = Credential
        fields = ["slug", "name", "issuer", "kind", "how_earned", "state_approved"]


class OccupationSerializer(serializers.ModelSerializer):
    outlook = serializers.CharField(
        read_only=True, help_text="Projected growth in words, against the average."
    )

    class Meta:
        model = Occupation
        fields = [
            "soc_code",
            "title",
            "median_annual_wage",
            "projected_growth",
            "outlook",
            "annual_openings",
            "typical_education",
            "data_source",
            "data_year",
        ]


class CollegeCreditSerializer(serializers.ModelSerializer):
    class Meta:
        model = CollegeCredit
        fields = ["kind", "college", "college_course", "credits"]


class CourseSerializer(serializers.ModelSerializer):
    college_credits = CollegeCreditSerializer(
        many=True,
        required=False,
        help_text="On writes, replaces the course's whole list when given.",
    )

    class Meta:
        model = Course
        fields = [
            "code",
            "title",
            "description",
            "credits",
            "level",
            "grade_min",
            "grade_max",
            "requirement_met",
            "college_credits",
        ]

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        low = attrs.get("grade_min", getattr(self.instance, "grade_min", None))
        high = attrs.get("grade_max", getattr(self.instance, "grade_max", None))
        if low is not None and high is not None and low > high:
            raise serializers.ValidationError(
                {"grade_max": [_("The highest grade must not be below the lowest.")]}
            )
        return attrs


class OfferingSerializer(serializers.ModelSerializer):
    pathway = serializers.SlugRelatedField(slug_field="slug", queryset=Pathway.objects.all())
    school = serializers.SlugRelatedField(slug_field="slug", queryset=School.objects.all())
    seats_left = serializers.IntegerField(read_only=True)

    class Meta:
        model = Offering
        fields = [
            "id",
            "pathway",
            "school",
            "school_year",
            "schedule",
            "schedule_note",
            "seats",
            "seats_filled",
            "seats_left",
            "open_for_enrollment",
        ]
        read_only_fields = ["id", "seats_filled"]
        # The services check "once per school year and schedule" (the database too).
        validators: list[Any] = []
        extra_kwargs = {"school_year": {"min_value": 2000, "max_value": 2100}}


class OfferingAtSchoolSerializer(serializers.ModelSerializer):
    school = SchoolBriefSerializer(read_only=True)
    seats_left = serializers.IntegerField(read_only=True)

    class Meta:
        model = Offering
        fields = [
            "id",
            "school",
            "school_year",
            "schedule",
            "schedule_note",
            "seats",
            "seats_left",
            "open_for_enrollment",
        ]
        read_only_fields = fields


class SequenceEntrySerializer(serializers.Serializer):
    """A course's place in a pathway's sequence, as read."""

    year = serializers.IntegerField(read_only=True)
    position = serializers.IntegerField(read_only=True)
    required = serializers.BooleanField(read_only=True)
    course = CourseSerializer(read_only=True)


class PathwaySerializer(serializers.ModelSerializer):
    """A pathway in a list: its facts, not its contents."""

    sector = SectorBriefSerializer(read_only=True)
    non_traditional_for = serializers.ChoiceField(
        choices=Gender.choices,
        allow_blank=True,
        read_only=True,
        help_text="The gender under-represented in this field (Perkins V), or blank.",
    )
    has_credential = serializers.BooleanField(read_only=True)
    has_college_credit = serializers.BooleanField(read_only=True)
    has_extended_day = serializers.BooleanField(
        read_only=True, help_text="Offered after school this school year or later."
    )
    school_count = serializers.IntegerField(
        read_only=True, help_text="Schools offering it this school year or later."
    )

    class Meta:
        model = Pathway
        fields = [
            "slug",
            "name",
            "sector",
            "summary",
            "cip_code",
            "entry_grade_min",
            "entry_grade_max",
            "status",
            "non_traditional_for",
            "has_credential",
            "has_college_credit",
            "has_extended_day",
            "school_count",
            "updated_at",
        ]
        read_only_fields = fields


class PathwayDetailSerializer(PathwaySerializer):
    """A pathway with everything its page shows."""

    sequence = SequenceEntrySerializer(many=True, read_only=True)
    credentials = CredentialSerializer(many=True, read_only=True)
    occupations = OccupationSerializer(many=True, read_only=True)
    offerings = OfferingAtSchoolSerializer(
        many=True, read_only=True, help_text="This school year and later."
    )

    class Meta(PathwaySerializer.Meta):
        fields = [
            *PathwaySerializer.Meta.fields,
            "description",
            "sequence",
            "credentials",
            "occupations",
            "offerings",
        ]
        read_only_fields = fields


class SequenceEntryWriteSerializer(serializers.Serializer):
    course = serializers.SlugRelatedField(
        slug_field="code", queryset=Course.objects.all(), help_text="The course's code."
    )
    year = serializers.IntegerField(
        min_value=SEQUENCE_YEARS[0],
        max_value=SEQUENCE_YEARS[-1],
        help_text="Year of the pathway (1 is the entry year).",
    )
    position = serializers.IntegerField(
        min_value=1, max_value=50, default=1, help_text="Order within the year."
    )
    required = serializers.BooleanField(default=True)


class PathwayWriteSerializer(serializers.ModelSerializer):
    """What staff send to create or change a pathway. ``sequence``, ``credentials`` and
    ``occupations``, when given, replace the pathway's whole lists."""

    sector = serializers.SlugRelatedField(slug_field="slug", queryset=Sector.objects.all())
    credentials = serializers.SlugRelatedField(
        slug_field="slug", queryset=Credential.objects.all(), many=True, required=False
    )
    occupations = serializers.SlugRelatedField(
        slug_field="soc_code", queryset=Occupation.objects.all(), many=True, required=False
    )
    sequence = SequenceEntryWriteSerializer(many=True, required=False, max_length=30)

    class Meta:
        model = Pathway
        fields = [
            "slug",
            "name",
            "sector",
            "summary",
            "description",
            "cip_code",
            "entry_grade_min",
            "entry_grade_max",
            "status",
            "non_traditional_for",
            "credentials",
            "occupations",
            "sequence",
        ]
