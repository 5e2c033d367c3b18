"""The students app's forms: shape only (the services decide)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.db.models import Exists, OuterRef
from django.utils.translation import gettext_lazy as _

from cte_portal.forms import TickBox
from pathways.enums import PathwayStatus
from pathways.models import (
    Course,
    Credential,
    Pathway,
    PathwayCourse,
    Sector,
    current_school_year,
)

from .enums import STUDENT_GRADES, CourseRecordStatus, CTEStatus, Term
from .selectors import CaseloadFilters


class DateInput(forms.DateInput):
    """The browser's date picker (an ISO date, whatever the language)."""

    input_type = "date"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%d", **kwargs)


class EnrollmentRequestForm(forms.Form):
    note = forms.CharField(
        label=_("Anything your counselor should know (optional)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class ChangeRequestForm(EnrollmentRequestForm):
    offering = forms.ModelChoiceField(
        label=_("Pathway you want to move to"), queryset=None, empty_label=_("Choose a pathway")
    )

    field_order = ["offering", "note"]

    def __init__(self, *args: Any, offerings: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["offering"].queryset = offerings
        self.fields["offering"].label_from_instance = lambda o: (
            f"{o.pathway.name} ({o.school_year_label}, {o.get_schedule_display()})"
        )


DECISIONS = [
    ("approve", _("Approve (wait-list if full)")),
    ("waitlist", _("Wait-list")),
    ("decline", _("Decline")),
]


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(label=_("Decision"), choices=DECISIONS, widget=forms.RadioSelect)
    reason = forms.CharField(
        label=_("Reason (required to decline; the student reads it)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("decision") == "decline" and not (data.get("reason") or "").strip():
            self.add_error("reason", _("Say why the request is declined."))
        return data


class BulkDecisionForm(DecisionForm):
    enrollments = forms.TypedMultipleChoiceField(
        label=_("Requests"), coerce=int, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args: Any, choices: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["enrollments"].choices = choices


class AdvisingNoteForm(forms.Form):
    body = forms.CharField(
        label=_("New advising note"), max_length=5000, widget=forms.Textarea(attrs={"rows": 4})
    )


class ReadinessForm(forms.Form):
    measure = forms.CharField(
        label=_("Readiness measure"),
        max_length=200,
        help_text=_("For example: placement test score, teacher recommendation, portfolio."),
    )
    note = forms.CharField(label=_("Note"), required=False, max_length=2000)


class ExploratoryWorkshopForm(forms.Form):
    title = forms.CharField(
        label=_("Workshop"),
        max_length=200,
        help_text=_("For example: Robotics open lab, Hospital career day."),
    )
    sector = forms.ModelChoiceField(
        label=_("Career cluster explored"),
        queryset=Sector.objects.order_by("position", "name"),
        empty_label=_("Choose a career cluster"),
    )
    pathway = forms.ModelChoiceField(
        label=_("Pathway explored (optional)"),
        queryset=Pathway.objects.filter(status=PathwayStatus.PUBLISHED).order_by("name"),
        required=False,
        empty_label=_("No particular pathway"),
    )
    attended_on = forms.DateField(label=_("Date attended"), widget=DateInput())
    hours = forms.DecimalField(
        label=_("Hours"),
        min_value=Decimal("0.5"),
        max_value=Decimal("40"),
        max_digits=4,
        decimal_places=1,
    )


class CourseRecordForm(forms.Form):
    course = forms.ModelChoiceField(
        label=_("Course"),
        # The CTE courses: those in a pathway's sequence (participant and concentrator
        # status count nothing else).
        queryset=Course.objects.filter(
            Exists(PathwayCourse.objects.filter(course=OuterRef("pk")))
        ).order_by("code"),
        empty_label=_("Choose a course"),
        help_text=_("The courses of the catalogue's pathways."),
    )
    school_year = forms.IntegerField(
        label=_("School year"),
        min_value=2000,
        max_value=2100,
        initial=current_school_year,
        help_text=_("The year it starts in: 2025 for 2025-26."),
    )
    term = forms.ChoiceField(label=_("Term"), choices=Term.choices, initial=Term.FULL_YEAR)
    status = forms.ChoiceField(label=_("Status"), choices=CourseRecordStatus.choices)
    mark = forms.CharField(label=_("Grade earned (optional)"), required=False, max_length=8)
    credits_earned = forms.DecimalField(
        label=_("Credits earned"),
        min_value=Decimal("0"),
        max_value=Decimal("99.99"),
        max_digits=4,
        decimal_places=2,
        initial=Decimal("0"),
    )
    college_credits_earned = forms.DecimalField(
        label=_("College credits earned"),
        min_value=Decimal("0"),
        max_value=Decimal("999.9"),
        max_digits=4,
        decimal_places=1,
        initial=Decimal("0"),
    )


class CredentialAwardForm(forms.Form):
    credential = forms.ModelChoiceField(
        label=_("Credential"),
        queryset=Credential.objects.order_by("name"),
        empty_label=_("Choose a credential"),
    )
    awarded_on = forms.DateField(label=_("Date earned"), widget=DateInput())
    evidence = forms.CharField(
        label=_("Evidence (optional)"),
        required=False,
        max_length=300,
        help_text=_("Certificate number or link."),
    )


class CaseloadFilterForm(forms.Form):
    q = forms.CharField(label=_("Name, e-mail or student ID"), required=False, max_length=100)
    school = forms.TypedChoiceField(label=_("School"), required=False, coerce=int, empty_value=None)
    grade = forms.TypedChoiceField(
        label=_("Grade"),
        required=False,
        coerce=int,
        empty_value=None,
        choices=[("", _("Any grade"))] + [(g, g) for g in STUDENT_GRADES],
    )
    pathway = forms.TypedChoiceField(
        label=_("Pathway"), required=False, coerce=int, empty_value=None
    )
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("Any status")), *CTEStatus.choices]
    )
    at_risk = forms.BooleanField(label=_("Only students at risk"), required=False, widget=TickBox())

    def __init__(self, *args: Any, choices: dict[str, list], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["school"].choices = [("", _("Any school")), *choices["schools"]]
        self.fields["pathway"].choices = [("", _("Any pathway")), *choices["pathways"]]

    def filters(self) -> CaseloadFilters:
        if not self.is_bound or not self.is_valid():
            return CaseloadFilters()
        return CaseloadFilters(**self.cleaned_data)
