"""The catalogue's back office for CTE staff (Django admin: staff-only, and every change is
recorded in each object's history). Model validation and the database constraints apply
here as in the API."""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Count, QuerySet
from django.forms.models import BaseInlineFormSet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from .models import (
    CollegeCredit,
    Course,
    Credential,
    Occupation,
    Offering,
    Pathway,
    PathwayCourse,
    School,
    Sector,
)
from .services import OFFERING_FIELDS, offering_seats_refusal, publish_refusal


@admin.register(Sector)
class SectorAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "position", "pathway_count"]
    list_editable = ["position"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}

    def get_queryset(self, request: HttpRequest) -> QuerySet[Sector]:
        return super().get_queryset(request).annotate(n_pathways=Count("pathways"))

    @admin.display(description=_("pathways"), ordering="n_pathways")
    def pathway_count(self, sector: Sector) -> int:
        return sector.n_pathways


class SequenceFormSet(BaseInlineFormSet):
    """The sequence as the back office edits it; a published pathway must keep one."""

    def clean(self) -> None:
        super().clean()
        kept = [
            form for form in self.forms if form.cleaned_data and not form.cleaned_data.get("DELETE")
        ]
        refusal = publish_refusal(status=self.instance.status, has_sequence=bool(kept))
        if refusal:
            raise ValidationError(refusal)


class PathwayCourseInline(admin.TabularInline):
    model = PathwayCourse
    formset = SequenceFormSet
    extra = 1
    autocomplete_fields = ["course"]
    ordering = ["year", "position"]


class OfferingForm(forms.ModelForm):
    """An offering as the back office changes it. Model validation leaves the seats filled
    out (not a field of this form), so a change of seats is checked by the catalogue's rule,
    under the offering's lock, which the admin's transaction holds until the save commits."""

    class Meta:
        model = Offering
        fields = list(OFFERING_FIELDS)

    def clean(self) -> dict:
        cleaned = super().clean()
        if self.instance.pk is not None and "seats" in self.changed_data:
            with transaction.atomic():  # a savepoint in the admin's: the lock outlives it
                refusal = offering_seats_refusal(self.instance, seats=cleaned.get("seats"))
            if refusal:
                self.add_error("seats", refusal)
        return cleaned


class OfferingInline(admin.TabularInline):
    model = Offering
    form = OfferingForm
    extra = 0
    autocomplete_fields = ["school"]
    fields = [
        "school",
        "school_year",
        "schedule",
        "schedule_note",
        "seats",
        "seats_filled",
        "open_for_enrollment",
    ]
    readonly_fields = ["seats_filled"]
    ordering = ["-school_year"]


@admin.register(Pathway)
class PathwayAdmin(admin.ModelAdmin):
    list_display = ["name", "sector", "status", "entry_grade_min", "entry_grade_max", "updated_at"]
    list_filter = ["status", "sector", "non_traditional_for", "credentials"]
    list_select_related = ["sector"]
    search_fields = ["name", "slug", "summary", "cip_code"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["sector", "credentials", "occupations"]
    readonly_fields = ["created_at", "updated_at"]
    inlines = [PathwayCourseInline, OfferingInline]
    date_hierarchy = "updated_at"
    fieldsets = [
        (None, {"fields": ["name", "slug", "sector", "status", "summary", "description"]}),
        (
            _("Who and where"),
            {"fields": ["entry_grade_min", "entry_grade_max", "cip_code", "non_traditional_for"]},
        ),
        (_("Leads to"), {"fields": ["credentials", "occupations"]}),
        (_("Dates"), {"fields": ["created_at", "updated_at"]}),
    ]


class CollegeCreditInline(admin.TabularInline):
    model = CollegeCredit
    extra = 0


@admin.register(Course)
class CourseAdmin(admin.ModelAdmin):
    list_display = ["code", "title", "level", "grade_min", "grade_max", "credits"]
    list_filter = ["level", "grade_min"]
    search_fields = ["code", "title"]
    inlines = [CollegeCreditInline]


@admin.register(Credential)
class CredentialAdmin(admin.ModelAdmin):
    list_display = ["name", "issuer", "kind", "state_approved"]
    list_filter = ["kind", "state_approved"]
    search_fields = ["name", "slug", "issuer"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Occupation)
class OccupationAdmin(admin.ModelAdmin):
    list_display = [
        "title",
        "soc_code",
        "median_annual_wage",
        "projected_growth",
        "annual_openings",
        "data_year",
    ]
    list_filter = ["typical_education", "data_year"]
    search_fields = ["title", "soc_code"]


@admin.register(School)
class SchoolAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "level"]
    list_filter = ["level"]
    search_fields = ["name", "code", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}


@admin.register(Offering)
class OfferingAdmin(admin.ModelAdmin):
    form = OfferingForm
    list_display = [
        "pathway",
        "school",
        "school_year",
        "schedule",
        "seats",
        "seats_filled",
        "open_for_enrollment",
    ]
    list_filter = ["school_year", "schedule", "open_for_enrollment", "school", "pathway__sector"]
    list_select_related = ["pathway", "school"]
    search_fields = ["pathway__name", "school__name", "school__code"]
    autocomplete_fields = ["pathway", "school"]
    readonly_fields = ["seats_filled"]
