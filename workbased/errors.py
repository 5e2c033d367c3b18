"""The workbased app's domain errors: each refusal says why, in words for the person.

The page shows ``message`` on the form (``field`` names the field it belongs to, None: the
whole form); the API answers 403 when ``forbidden`` (the person may not do this at all), 409
when ``conflict`` (the request is fine but the record's state forbids it now), 400 otherwise.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError


class WorkbasedError(Exception):
    """A work-based learning rule refused the change; nothing was written."""

    def __init__(
        self,
        message: str,
        *,
        field: str | None = None,
        conflict: bool = False,
        forbidden: bool = False,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.field = field
        self.conflict = conflict
        self.forbidden = forbidden

    @classmethod
    def from_validation(cls, exc: ValidationError) -> WorkbasedError:
        if hasattr(exc, "error_dict"):
            field, messages = next(iter(exc.message_dict.items()))
            return cls(messages[0], field=None if field == "__all__" else field)
        return cls(exc.messages[0])


class NotAllowed(WorkbasedError):
    """The person may not do this (not the host, not the supervisor, not their record...)."""

    def __init__(self, message: str) -> None:
        super().__init__(message, forbidden=True)


class OpportunityError(WorkbasedError):
    pass


class ApplicationError(WorkbasedError):
    pass


class EligibilityError(ApplicationError):
    """The student may not apply; ``code`` names the rule (the page may word it its own way)."""

    def __init__(self, message: str, *, code: str) -> None:
        super().__init__(message)
        self.code = code


class ConsentError(WorkbasedError):
    pass


class PlacementError(WorkbasedError):
    pass


class HoursError(WorkbasedError):
    pass


class ChildLaborLimit(HoursError):
    """Hours a student under 16 may not work (federal child-labor rules); ``limit`` names
    which: ``time_of_day``, ``school_day``, ``non_school_day``, ``school_week`` or
    ``non_school_week``."""

    def __init__(self, message: str, *, limit: str) -> None:
        super().__init__(message)
        self.limit = limit


class EvaluationError(WorkbasedError):
    pass


class AttendanceError(WorkbasedError):
    pass


class SchoolRequestError(WorkbasedError):
    pass
