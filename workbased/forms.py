"""The workbased pages' forms: their shape only. What they mean, and every refusal, is in the
services (a refusal comes back as a ``WorkbasedError`` and the view puts its message on the
form's field, so the page keeps what was typed)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from pathways.models import Pathway, Sector

from . import bounds
from .enums import EVALUATION_SKILLS, ONE_DAY_KINDS, OpportunityKind, Rating, RequestKind
from .selectors import BoardFilters
from .services import OpportunityDetails, SessionSpec


class DateInput(forms.DateInput):
    """The browser's date picker (an ISO date, whatever the language)."""

    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs=attrs, format="%H:%M")


class DateTimeInput(forms.DateTimeInput):
    """The browser's date-and-time picker; without it, people type 2026-05-31T14:30."""

    input_type = "datetime-local"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs=attrs, format="%Y-%m-%dT%H:%M")


def _text(label: Any, *, rows: int = 4, max_length: int = 5000, **kwargs: Any) -> forms.CharField:
    return forms.CharField(
        label=label,
        required=False,
        max_length=max_length,
        widget=forms.Textarea(attrs={"rows": rows}),
        **kwargs,
    )


# --- The board -------------------------------------------------------------------------------

EITHER = ""
YES_NO = {"yes": True, "no": False}


class BoardFilterForm(forms.Form):
    """The board's filters (GET): every field optional, they combine, and an invalid one is
    shown as an error and ignored so the rest still answers. Choices come from the view
    (``selectors.board_filter_choices``): the form makes no query of its own."""

    q = forms.CharField(label=_("Keyword"), required=False, max_length=200)
    kind = forms.ChoiceField(
        label=_("Type"),
        required=False,
        choices=[(EITHER, _("Any type")), *OpportunityKind.choices],
    )
    sector = forms.TypedChoiceField(label=_("Sector"), required=False, coerce=int)
    pathway = forms.TypedChoiceField(label=_("Pathway"), required=False, coerce=int)
    starts_from = forms.DateField(
        label=_("Starting from"),
        required=False,
        widget=DateInput(),
        validators=[bounds.validate_date],
    )
    starts_until = forms.DateField(
        label=_("Starting until"),
        required=False,
        widget=DateInput(),
        validators=[bounds.validate_date],
    )
    virtual = forms.ChoiceField(
        label=_("Where"),
        required=False,
        choices=[
            (EITHER, _("In person or virtual")),
            ("no", _("In person")),
            ("yes", _("Virtual")),
        ],
    )
    paid = forms.ChoiceField(
        label=_("Pay"),
        required=False,
        choices=[(EITHER, _("Paid or unpaid")), ("yes", _("Paid")), ("no", _("Unpaid"))],
    )

    FILTERS = ("q", "kind", "sector", "pathway", "starts_from", "starts_until", "virtual", "paid")

    def __init__(
        self,
        *args: Any,
        choices: dict[str, list[tuple[int, str]]],
        sector_label: str = "",
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        if sector_label:
            self.fields["sector"].label = sector_label
        self.fields["sector"].choices = [(EITHER, _("Any")), *choices["sectors"]]
        self.fields["pathway"].choices = [(EITHER, _("Any pathway")), *choices["pathways"]]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        start, until = data.get("starts_from"), data.get("starts_until")
        if start and until and until < start:
            self.add_error("starts_until", _("Choose a day on or after the first one."))
        return data

    def filters(self) -> BoardFilters:
        if not self.is_bound:
            return BoardFilters()
        self.is_valid()
        data = {name: self.cleaned_data.get(name) for name in self.FILTERS}
        return BoardFilters(
            q=(data["q"] or "").strip(),
            kind=data["kind"] or "",
            sector=data["sector"] or None,
            pathway=data["pathway"] or None,
            starts_from=data["starts_from"],
            starts_until=data["starts_until"],
            virtual=YES_NO.get(data["virtual"] or ""),
            paid=YES_NO.get(data["paid"] or ""),
        )


# --- Students ---------------------------------------------------------------------------------


class ApplyForm(forms.Form):
    statement = _text(
        _("Why you are applying and what you hope to learn"),
        rows=6,
        help_text=_("The host reads this with your name, grade, school and pathway."),
    )


class HoursLogForm(forms.Form):
    date = forms.DateField(label=_("Date"), widget=DateInput())
    start_time = forms.TimeField(label=_("Started"), widget=TimeInput())
    end_time = forms.TimeField(label=_("Ended"), widget=TimeInput())
    hours = forms.DecimalField(
        label=_("Hours (optional)"),
        required=False,
        min_value=0,
        max_digits=4,
        decimal_places=2,
        help_text=_("Leave empty to count the time from start to end; less if you took a break."),
    )
    activities = _text(_("What you did"), rows=3, max_length=3000)


class ReflectionForm(forms.Form):
    what_i_did = _text(_("What I did"), rows=5)
    what_i_learned = _text(_("What I learned"), rows=5)


# --- Employers --------------------------------------------------------------------------------


class OpportunityForm(forms.Form):
    """What a host says about an opportunity; its sessions are the ``SessionFormSet``."""

    kind = forms.ChoiceField(
        label=_("Type"), choices=[("", _("Choose a type")), *OpportunityKind.choices]
    )
    title = forms.CharField(label=_("Title"), max_length=200)
    description = forms.CharField(
        label=_("Description"),
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("What students will do and learn, and anything they should bring."),
    )
    host = forms.ModelChoiceField(
        label=_("Host contact"),
        queryset=None,
        help_text=_("The person who welcomes the students (and supervises interns)."),
    )
    sectors = forms.ModelMultipleChoiceField(
        label=_("Sectors it suits"),
        queryset=Sector.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    pathways = forms.ModelMultipleChoiceField(
        label=_("Only for students in these pathways (optional)"),
        queryset=Pathway.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Leave all unticked to welcome students of any pathway."),
    )
    is_virtual = forms.BooleanField(label=_("Virtual (online)"), required=False)
    address = forms.CharField(
        label=_("Address (in person)"),
        max_length=300,
        required=False,
        help_text=_("Where students go."),
    )
    meeting_url = forms.URLField(
        label=_("Meeting link (virtual)"),
        max_length=500,
        required=False,
        assume_scheme="https",
    )
    seats = forms.IntegerField(label=_("Seats"), min_value=1, max_value=bounds.MAX_SEATS)
    min_grade = forms.TypedChoiceField(
        label=_("Minimum grade"),
        required=False,
        coerce=int,
        empty_value=None,
        choices=[("", _("Any grade")), *((g, g) for g in range(7, 13))],
    )
    min_age = forms.IntegerField(
        label=_("Minimum age (optional)"),
        required=False,
        min_value=10,
        max_value=21,
        help_text=_("On the day of the first session."),
    )
    is_paid = forms.BooleanField(label=_("Paid"), required=False)
    hours_per_week = forms.DecimalField(
        label=_("Hours per week (internships, mentoring)"),
        required=False,
        min_value=0,
        max_digits=4,
        decimal_places=1,
    )
    needs_guardian_consent = forms.BooleanField(
        label=_("Students under 18 need a guardian's consent"), required=False
    )
    needs_background_check = forms.BooleanField(
        label=_("Adults working with the students need a cleared background check"),
        required=False,
    )
    apply_by = forms.DateField(
        label=_("Application deadline (optional)"), required=False, widget=DateInput()
    )

    def __init__(
        self, *args: Any, contacts: Any, sectors: Any, pathways: Any, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["host"].queryset = contacts
        self.fields["host"].label_from_instance = lambda c: c.user.get_full_name() or c.user.email
        self.fields["sectors"].queryset = sectors
        self.fields["pathways"].queryset = pathways

    @staticmethod
    def initial_for(opportunity: Any) -> dict[str, Any]:
        names = (
            "kind",
            "title",
            "description",
            "is_virtual",
            "address",
            "meeting_url",
            "seats",
            "min_grade",
            "min_age",
            "is_paid",
            "hours_per_week",
            "needs_guardian_consent",
            "needs_background_check",
            "apply_by",
        )
        initial = {name: getattr(opportunity, name) for name in names}
        initial["host"] = opportunity.host_id
        initial["sectors"] = [s.pk for s in opportunity.sectors.all()]
        initial["pathways"] = [p.pk for p in opportunity.pathways.all()]
        return initial

    def details(self, sessions: list[SessionSpec], *, school: Any = None) -> OpportunityDetails:
        data = self.cleaned_data
        return OpportunityDetails(
            kind=data["kind"],
            title=data["title"],
            description=data["description"],
            seats=data["seats"],
            sessions=sessions,
            sectors=list(data["sectors"]),
            pathways=list(data["pathways"]),
            is_virtual=data["is_virtual"],
            address=data["address"],
            meeting_url=data["meeting_url"],
            min_grade=data["min_grade"],
            min_age=data["min_age"],
            is_paid=data["is_paid"],
            hours_per_week=data["hours_per_week"],
            needs_guardian_consent=data["needs_guardian_consent"],
            needs_background_check=data["needs_background_check"],
            apply_by=data["apply_by"],
            school=school,
        )


class SessionForm(forms.Form):
    """One session; a row left empty is ignored, and ticking "remove" drops a session."""

    starts_at = forms.DateTimeField(label=_("Starts"), required=False, widget=DateTimeInput())
    ends_at = forms.DateTimeField(label=_("Ends"), required=False, widget=DateTimeInput())
    note = forms.CharField(label=_("Note (optional)"), max_length=200, required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        starts, ends = data.get("starts_at"), data.get("ends_at")
        if (starts is None) != (ends is None) and not self.errors:
            field = "ends_at" if starts else "starts_at"
            self.add_error(field, _("Give both the start and the end."))
        return data


class BaseSessionFormSet(forms.BaseFormSet):
    def add_fields(self, form: forms.Form, index: int | None) -> None:
        super().add_fields(form, index)
        if "DELETE" in form.fields:
            form.fields["DELETE"].label = _("Remove this session")


SessionFormSet = forms.formset_factory(
    SessionForm, formset=BaseSessionFormSet, extra=2, can_delete=True, max_num=60
)


def session_specs(formset: Any) -> list[SessionSpec]:
    """The sessions a valid formset describes (empty and removed rows left out)."""
    specs = []
    for form in formset.forms:
        data = getattr(form, "cleaned_data", None) or {}
        if data.get("DELETE") or not data.get("starts_at"):
            continue
        specs.append(SessionSpec(data["starts_at"], data["ends_at"], data.get("note") or ""))
    return specs


class CancelForm(forms.Form):
    reason = _text(_("Why it is cancelled (optional; the students who applied read it)"), rows=3)


class RequestCancelForm(forms.Form):
    reason = _text(_("Why it is no longer needed (optional)"), rows=3)


class InvitePartnerForm(forms.Form):
    """Staff's button on a matching partner's row: the partner is in a hidden field."""

    organization = forms.IntegerField(min_value=1, widget=forms.HiddenInput)


class ConfirmForm(forms.Form):
    """A button and nothing else: the page says what pressing it does."""


DECISIONS = [
    ("accept", _("Accept (wait-listed if every seat is taken)")),
    ("waitlist", _("Wait-list")),
    ("decline", _("Decline")),
]


class ApplicationDecisionForm(forms.Form):
    decision = forms.ChoiceField(label=_("Decision"), choices=DECISIONS, widget=forms.RadioSelect)
    reason = _text(_("Reason (required to decline; the student reads it)"), rows=3)


class HoursDecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[("approve", _("Approve")), ("reject", _("Reject"))],
        widget=forms.RadioSelect,
    )
    note = _text(_("Note to the student (required to reject)"), rows=2, max_length=2000)


class PlacementForm(forms.Form):
    supervisor = forms.ModelChoiceField(
        label=_("Supervisor"), queryset=None, required=False, empty_label=_("No supervisor yet")
    )
    starts_on = forms.DateField(label=_("First day"), widget=DateInput())
    ends_on = forms.DateField(label=_("Last day"), widget=DateInput())
    target_hours = forms.DecimalField(
        label=_("Target hours (optional)"),
        required=False,
        min_value=0,
        max_digits=6,
        decimal_places=1,
    )

    def __init__(self, *args: Any, contacts: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["supervisor"].queryset = contacts
        self.fields["supervisor"].label_from_instance = lambda c: (
            c.user.get_full_name() or c.user.email
        )


class EvaluationForm(forms.Form):
    """One 1-to-4 rating per employability skill, and comments."""

    comments = _text(_("Comments (the student and their counselor read them)"), rows=4)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, label in EVALUATION_SKILLS:
            self.fields[name] = forms.TypedChoiceField(
                label=label,
                choices=Rating.choices,
                coerce=int,
                required=False,
                empty_value=None,
                widget=forms.RadioSelect,
            )
        self.order_fields([name for name, _label in EVALUATION_SKILLS] + ["comments"])

    def ratings(self) -> dict[str, int | None]:
        return {name: self.cleaned_data.get(name) for name, _label in EVALUATION_SKILLS}


# --- CTE staff, counselors, school requests ---------------------------------------------------


class ReviewForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[("publish", _("Publish")), ("return", _("Return to the host for changes"))],
        widget=forms.RadioSelect,
    )
    reason = _text(_("What to change (required to return; the host reads it)"), rows=3)


class SchoolRequestForm(forms.Form):
    school = forms.ModelChoiceField(label=_("School"), queryset=None)
    pathway = forms.ModelChoiceField(
        label=_("Pathway class"),
        queryset=None,
        help_text=_("A pathway offered at the school: partners of its sector are told."),
    )
    kind = forms.ChoiceField(
        label=_("Asking for"), choices=[("", _("Choose one")), *RequestKind.choices]
    )
    topic = forms.CharField(label=_("Topic"), max_length=200, required=False)
    details = _text(_("Details (optional)"), rows=4)
    earliest_date = forms.DateField(label=_("From"), widget=DateInput())
    latest_date = forms.DateField(label=_("Until"), widget=DateInput())
    audience_size = forms.IntegerField(label=_("Number of students"), min_value=1)
    grade = forms.TypedChoiceField(
        label=_("Grade"),
        coerce=int,
        choices=[("", _("Choose a grade")), *((g, g) for g in range(6, 13))],
    )

    def __init__(self, *args: Any, schools: Any, pathways: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["school"].queryset = schools
        self.fields["pathway"].queryset = pathways


class VolunteerForm(forms.Form):
    message = _text(_("Message to the school (optional)"), rows=3, max_length=3000)
    proposed_starts_at = forms.DateTimeField(
        label=_("Proposed start (optional)"), required=False, widget=DateTimeInput()
    )
    proposed_ends_at = forms.DateTimeField(
        label=_("Proposed end (optional)"), required=False, widget=DateTimeInput()
    )


class ConfirmVolunteerForm(forms.Form):
    volunteer = forms.TypedChoiceField(
        label=_("Partner to confirm"), coerce=int, widget=forms.RadioSelect
    )

    def __init__(self, *args: Any, volunteers: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["volunteer"].choices = volunteers


class RequestOpportunityForm(forms.Form):
    starts_at = forms.DateTimeField(
        label=_("Starts"),
        required=False,
        widget=DateTimeInput(),
        help_text=_("Empty: the time the partner proposed."),
    )
    ends_at = forms.DateTimeField(label=_("Ends"), required=False, widget=DateTimeInput())
    title = forms.CharField(
        label=_("Title (optional)"),
        max_length=200,
        required=False,
        help_text=_("Empty: what was asked for, and the topic."),
    )
    description = _text(_("Description (optional)"), rows=4)
    is_virtual = forms.BooleanField(label=_("Virtual (online)"), required=False)
    address = forms.CharField(
        label=_("Address (optional)"),
        max_length=300,
        required=False,
        help_text=_(
            "Empty: the school's address for a speaker or guest, the partner's for a visit."
        ),
    )


class AttendanceFilterForm(forms.Form):
    """Staff's attendance page filters (GET): the type of event and the school it was for.
    An invalid value is shown as an error and ignored."""

    kind = forms.ChoiceField(label=_("Type"), required=False)
    school = forms.TypedChoiceField(label=_("School"), required=False, coerce=int)

    def __init__(self, *args: Any, schools: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [
            (EITHER, _("Any type")),
            *((k.value, k.label) for k in ONE_DAY_KINDS),
        ]
        self.fields["school"].choices = [(EITHER, _("Any school")), *schools]

    def filters(self) -> dict[str, Any]:
        """The valid filters, for ``selectors.attendance_sessions``."""
        if not self.is_bound:
            return {}
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return {
            "kind": data.get("kind") or "",
            "school_id": data.get("school") or None,
        }


class AttendanceForm(forms.Form):
    present = forms.TypedMultipleChoiceField(
        label=_("Present"), coerce=int, required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args: Any, students: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["present"].choices = students


# --- Signed links -----------------------------------------------------------------------------


class ConsentAnswerForm(forms.Form):
    answer = forms.ChoiceField(
        choices=[("consent", _("I consent")), ("refuse", _("I do not consent"))]
    )


class HoursLinkForm(forms.Form):
    decision = forms.ChoiceField(choices=[("approve", _("Approve")), ("reject", _("Reject"))])
    note = _text(_("Note to the student (required to reject)"), rows=2, max_length=2000)
