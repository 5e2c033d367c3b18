"""Every write to the catalogue. CTE staff make them (the API; the back office uses Django
admin), and ``demo.seed()`` builds the demo district through the pathway ones.

Each service runs in one transaction: it validates the whole change first (model fields, the
catalogue's rules, the database constraints), writes it, and records who acted in the admin
log (Django's ``LogEntry``, shown in each object's history in the back office). Anything
wrong raises ``CatalogueError`` with messages by field, and nothing is written.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, ParamSpec, TypeVar

from django.contrib.admin.models import ADDITION, CHANGE, LogEntry
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import IntegrityError, models, transaction
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .enums import PathwayStatus
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

P = ParamSpec("P")
R = TypeVar("R")
M = TypeVar("M", bound=models.Model)


class CatalogueError(ValidationError):
    """A catalogue write was refused. ``message_dict`` holds the messages by field;
    ``__all__`` holds those about the whole object."""


@dataclass(frozen=True)
class SequenceEntry:
    """A course's place in a pathway's sequence."""

    course: Course
    year: int
    position: int = 1
    required: bool = True


@dataclass(frozen=True)
class CollegeCreditEntry:
    kind: str
    college: str
    college_course: str
    credits: Decimal


def _one_transaction(service: Callable[P, R]) -> Callable[P, R]:
    """Run a service atomically. A constraint the database enforces but validation could not
    see (two requests racing for one slug) becomes a CatalogueError, not a server error."""

    @functools.wraps(service)
    def run(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            with transaction.atomic():
                return service(*args, **kwargs)
        except IntegrityError as exc:
            raise CatalogueError(
                _("This change conflicts with another change to the catalogue; reload and retry.")
            ) from exc

    return run


def _validate(instance: models.Model, *, exclude: Iterable[str] = ()) -> None:
    try:
        instance.full_clean(exclude=set(exclude))
    except ValidationError as exc:
        raise CatalogueError(exc.message_dict) from exc


def _assign(instance: M, fields: dict[str, Any], allowed: Sequence[str]) -> list[str]:
    """Set ``fields`` on ``instance``; returns the names of those whose value changed."""
    unknown = set(fields) - set(allowed)
    if unknown:
        raise CatalogueError({name: [_("This field cannot be set.")] for name in sorted(unknown)})
    changed = []
    for name, value in fields.items():
        field = instance._meta.get_field(name)
        if field.is_relation:
            # Compare ids: reading an unset relation of a new object would raise.
            differs = getattr(instance, field.attname) != getattr(value, "pk", value)
        else:
            differs = getattr(instance, name) != value
        if differs:
            setattr(instance, name, value)
            changed.append(name)
    return changed


def _label(instance: models.Model, name: str) -> str:
    field = instance._meta.get_field(name)
    label = getattr(field, "verbose_name", None) or field.related_model._meta.verbose_name_plural
    return str(label)


def _audit(actor: Any, instance: models.Model, *, added: bool, changed: Iterable[str] = ()) -> None:
    """Record the write in the admin log, in the admin's own message format."""
    if actor is None or not getattr(actor, "pk", None):
        return
    names = [_label(instance, name) for name in changed]
    if not added and not names:
        return  # nothing changed: nothing to account for
    message: list[dict[str, Any]] = [{"added": {}}] if added else [{"changed": {"fields": names}}]
    LogEntry.objects.log_actions(
        user_id=actor.pk,
        queryset=[instance],
        action_flag=ADDITION if added else CHANGE,
        change_message=json.dumps(message),
        single_object=True,
    )


def _save(instance: M, *, actor: Any, fields: dict[str, Any], allowed: Sequence[str]) -> M:
    added = instance.pk is None
    changed = _assign(instance, fields, allowed)
    _validate(instance)
    instance.save()
    _audit(actor, instance, added=added, changed=changed)
    return instance


# --- Sectors, schools, credentials, occupations, offerings -------------------------------

SECTOR_FIELDS = ("name", "slug", "description", "position")
SCHOOL_FIELDS = ("name", "slug", "code", "level", "address", "website")
CREDENTIAL_FIELDS = ("name", "slug", "issuer", "kind", "how_earned", "state_approved")
OCCUPATION_FIELDS = (
    "soc_code",
    "title",
    "median_annual_wage",
    "projected_growth",
    "annual_openings",
    "typical_education",
    "data_source",
    "data_year",
)
# ``seats_filled`` is not here: only enrollment (students app) moves it.
OFFERING_FIELDS = (
    "pathway",
    "school",
    "school_year",
    "schedule",
    "schedule_note",
    "seats",
    "open_for_enrollment",
)


@_one_transaction
def sector_create(*, actor: Any, **fields: Any) -> Sector:
    return _save(Sector(), actor=actor, fields=fields, allowed=SECTOR_FIELDS)


@_one_transaction
def sector_update(*, sector: Sector, actor: Any, **fields: Any) -> Sector:
    return _save(sector, actor=actor, fields=fields, allowed=SECTOR_FIELDS)


@_one_transaction
def school_create(*, actor: Any, **fields: Any) -> School:
    return _save(School(), actor=actor, fields=fields, allowed=SCHOOL_FIELDS)


@_one_transaction
def school_update(*, school: School, actor: Any, **fields: Any) -> School:
    return _save(school, actor=actor, fields=fields, allowed=SCHOOL_FIELDS)


@_one_transaction
def credential_create(*, actor: Any, **fields: Any) -> Credential:
    return _save(Credential(), actor=actor, fields=fields, allowed=CREDENTIAL_FIELDS)


@_one_transaction
def credential_update(*, credential: Credential, actor: Any, **fields: Any) -> Credential:
    return _save(credential, actor=actor, fields=fields, allowed=CREDENTIAL_FIELDS)


@_one_transaction
def occupation_create(*, actor: Any, **fields: Any) -> Occupation:
    return _save(Occupation(), actor=actor, fields=fields, allowed=OCCUPATION_FIELDS)


@_one_transaction
def occupation_update(*, occupation: Occupation, actor: Any, **fields: Any) -> Occupation:
    return _save(occupation, actor=actor, fields=fields, allowed=OCCUPATION_FIELDS)


@_one_transaction
def offering_create(*, actor: Any, **fields: Any) -> Offering:
    return _save(Offering(), actor=actor, fields=fields, allowed=OFFERING_FIELDS)


@_one_transaction
def offering_update(*, offering: Offering, actor: Any, **fields: Any) -> Offering:
    """Change an offering. Seats can shrink only down to the seats already filled
    (``offering_seats_refusal``; the database refuses less too); raised seats go to the wait
    list (the students app listens to the save)."""
    refusal = offering_seats_refusal(offering, seats=fields.get("seats", offering.seats))
    if refusal:
        raise CatalogueError({"seats": [refusal]})
    return _save(offering, actor=actor, fields=fields, allowed=OFFERING_FIELDS)


def offering_seats_refusal(offering: Offering, *, seats: Any) -> str | None:
    """Why an existing offering cannot have ``seats`` seats, or None: never fewer than those
    filled. Its row is locked until the transaction ends (the enrollment service waits for
    it) and its filled seats read afresh, so no approval takes a seat between this check and
    the save. Call it inside the transaction that saves the change."""
    filled = Offering.objects.select_for_update().values_list("seats_filled", flat=True)
    offering.seats_filled = filled.get(pk=offering.pk)
    if not isinstance(seats, int) or seats >= offering.seats_filled:
        return None  # a seat count that is not a number is the field's own error
    return ngettext(
        "%(filled)d seat is already taken: the offering cannot have fewer seats.",
        "%(filled)d seats are already taken: the offering cannot have fewer seats.",
        offering.seats_filled,
    ) % {"filled": offering.seats_filled}


# --- Courses and their college credit ----------------------------------------------------

COURSE_FIELDS = (
    "code",
    "title",
    "description",
    "credits",
    "level",
    "grade_min",
    "grade_max",
    "requirement_met",
)


def _replace_college_credits(course: Course, entries: Sequence[CollegeCreditEntry]) -> None:
    credits = [
        CollegeCredit(
            course=course,
            kind=e.kind,
            college=e.college,
            college_course=e.college_course,
            credits=e.credits,
        )
        for e in entries
    ]
    seen: set[tuple[str, str]] = set()
    for credit in credits:
        _validate(credit, exclude=["course"])
        key = (credit.college.casefold(), credit.college_course.casefold())
        if key in seen:
            raise CatalogueError(
                {"college_credits": [_("Each college course may be listed only once.")]}
            )
        seen.add(key)
    course.college_credits.all().delete()
    CollegeCredit.objects.bulk_create(credits)


@_one_transaction
def course_create(
    *, actor: Any, college_credits: Sequence[CollegeCreditEntry] = (), **fields: Any
) -> Course:
    """Add a course, with the college credit it earns."""
    course = _save(Course(), actor=actor, fields=fields, allowed=COURSE_FIELDS)
    _replace_college_credits(course, college_credits)
    return course


@_one_transaction
def course_update(
    *,
    course: Course,
    actor: Any,
    college_credits: Sequence[CollegeCreditEntry] | None = None,
    **fields: Any,
) -> Course:
    """Change a course; ``college_credits``, when given, replaces the course's list."""
    changed = _assign(course, fields, COURSE_FIELDS)
    _validate(course)
    course.save()
    if college_credits is not None:
        _replace_college_credits(course, college_credits)
        changed.append("college_credits")
    _audit(actor, course, added=False, changed=changed)
    return course


# --- Pathways ----------------------------------------------------------------------------

PATHWAY_FIELDS = (
    "sector",
    "name",
    "slug",
    "summary",
    "description",
    "cip_code",
    "entry_grade_min",
    "entry_grade_max",
    "status",
    "non_traditional_for",
)


def _check_sequence(entries: Sequence[SequenceEntry]) -> None:
    """A course appears once per sequence, and no two courses share a year and order."""
    errors = []
    courses = [e.course.pk for e in entries]
    if len(set(courses)) != len(courses):
        errors.append(_("A course appears only once in a pathway's sequence."))
    slots = [(e.year, e.position) for e in entries]
    if len(set(slots)) != len(slots):
        errors.append(_("Two courses cannot share the same year and order."))
    if errors:
        raise CatalogueError({"sequence": errors})


def _replace_sequence(pathway: Pathway, entries: Sequence[SequenceEntry]) -> None:
    _check_sequence(entries)
    rows = [
        PathwayCourse(
            pathway=pathway,
            course=e.course,
            year=e.year,
            position=e.position,
            required=e.required,
        )
        for e in entries
    ]
    for row in rows:
        try:
            row.full_clean(exclude={"pathway", "course"}, validate_constraints=False)
        except ValidationError as exc:
            raise CatalogueError({"sequence": exc.messages}) from exc
    pathway.sequence.all().delete()
    PathwayCourse.objects.bulk_create(rows)


def publish_refusal(*, status: str, has_sequence: bool) -> str | None:
    """Why a pathway with this status cannot be saved, if it cannot: a published pathway
    always shows families its course sequence. The API and the back office both ask here."""
    if status == PathwayStatus.PUBLISHED and not has_sequence:
        return _("Add the course sequence before publishing the pathway.")
    return None


def _check_publishable(pathway: Pathway) -> None:
    refusal = publish_refusal(status=pathway.status, has_sequence=pathway.sequence.exists())
    if refusal:
        raise CatalogueError({"status": [refusal]})


@_one_transaction
def pathway_create(
    *,
    actor: Any,
    sequence: Sequence[SequenceEntry] = (),
    credentials: Iterable[Credential] = (),
    occupations: Iterable[Occupation] = (),
    **fields: Any,
) -> Pathway:
    """Add a pathway with its course sequence, credentials and careers, all or nothing.

    A pathway starts as a draft unless ``status`` says otherwise; it can be published only
    with a course sequence.
    """
    pathway = _save(Pathway(), actor=actor, fields=fields, allowed=PATHWAY_FIELDS)
    _replace_sequence(pathway, sequence)
    pathway.credentials.set(credentials)
    pathway.occupations.set(occupations)
    _check_publishable(pathway)
    return pathway


@_one_transaction
def pathway_update(
    *,
    pathway: Pathway,
    actor: Any,
    sequence: Sequence[SequenceEntry] | None = None,
    credentials: Iterable[Credential] | None = None,
    occupations: Iterable[Occupation] | None = None,
    **fields: Any,
) -> Pathway:
    """Change a pathway. Each of ``sequence``, ``credentials`` and ``occupations``, when
    given, replaces the pathway's whole list; when left out, it stays as it is."""
    changed = _assign(pathway, fields, PATHWAY_FIELDS)
    _validate(pathway)
    pathway.save()
    if sequence is not None:
        _replace_sequence(pathway, sequence)
        changed.append("courses")
    if credentials is not None:
        pathway.credentials.set(credentials)
        changed.append("credentials")
    if occupations is not None:
        pathway.occupations.set(occupations)
        changed.append("occupations")
    _check_publishable(pathway)
    _audit(actor, pathway, added=False, changed=changed)
    return pathway


def errors_by_field(error: ValidationError) -> dict[str, list[str]]:
    """A CatalogueError's messages by field, whole-object ones under ``non_field_errors``
    (the API's convention)."""
    if not hasattr(error, "error_dict"):
        return {"non_field_errors": list(error.messages)}
    return {
        ("non_field_errors" if name == NON_FIELD_ERRORS else name): messages
        for name, messages in error.message_dict.items()
    }
