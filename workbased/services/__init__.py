"""Every write of the workbased app. Pages and the API call these same functions.

Each service takes keyword-only arguments, runs in one transaction, checks its rule (a refusal
raises a ``WorkbasedError`` subclass whose message is for the person: the page shows it on the
form, the API answers 403, 409 or 400, see ``workbased.errors``), writes, records who acted,
and queues its e-mails through the outbox, sent after commit.
"""

from __future__ import annotations

from .applications import (
    application_accept,
    application_decline,
    application_submit,
    application_waitlist,
    application_withdraw,
)
from .consent import consent_answer, consent_for_token, consent_resend
from .feeds import calendar_feed_reset
from .hours import (
    hours_approve,
    hours_for_token,
    hours_log,
    hours_reject,
    hours_review_by_token,
    hours_waiting_digest,
)
from .opportunities import (
    OpportunityDetails,
    SessionSpec,
    opportunity_cancel,
    opportunity_close,
    opportunity_create,
    opportunity_publish,
    opportunity_return,
    opportunity_submit,
    opportunity_update,
)
from .placements import attendance_record, evaluation_submit, placement_update, reflection_write
from .reminders import session_reminders_send
from .requests import (
    matching_organizations,
    school_request_cancel,
    school_request_confirm,
    school_request_create,
    school_request_create_opportunity,
    school_request_invite,
    school_request_volunteer,
)

__all__ = [
    "OpportunityDetails",
    "SessionSpec",
    "application_accept",
    "application_decline",
    "application_submit",
    "application_waitlist",
    "application_withdraw",
    "attendance_record",
    "calendar_feed_reset",
    "consent_answer",
    "consent_for_token",
    "consent_resend",
    "evaluation_submit",
    "hours_approve",
    "hours_for_token",
    "hours_log",
    "hours_reject",
    "hours_review_by_token",
    "hours_waiting_digest",
    "matching_organizations",
    "opportunity_cancel",
    "opportunity_close",
    "opportunity_create",
    "opportunity_publish",
    "opportunity_return",
    "opportunity_submit",
    "opportunity_update",
    "placement_update",
    "reflection_write",
    "school_request_cancel",
    "school_request_confirm",
    "school_request_create",
    "school_request_create_opportunity",
    "school_request_invite",
    "school_request_volunteer",
    "session_reminders_send",
]
