"""The workbased app's kinds of notification (imported by ``WorkbasedConfig.ready``).

Each has its templates under ``templates/emails/<key>/``; those going to students, families
and employers are translated into Spanish. The guardian's consent request goes to an address
without an account: it cannot be turned off and carries no unsubscribe link (the guardian has
no preferences to change); it is the one message of an event they must see.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from cte_portal.notifications.kinds import Kind, register

OPPORTUNITY_SUBMITTED = register(
    Kind("wbl_opportunity_submitted", _("Opportunities waiting for approval (CTE staff)"))
)
OPPORTUNITY_DECIDED = register(
    Kind("wbl_opportunity_decided", _("Decisions on my organization's opportunities"))
)
OPPORTUNITY_CANCELLED = register(
    Kind(
        "wbl_opportunity_cancelled",
        _("Opportunities I applied to that were cancelled"),
        unsubscribe_link=False,
    )
)
APPLICATION_RECEIVED = register(
    Kind("wbl_application_received", _("New applications to opportunities I host"))
)
APPLICATION_DECIDED = register(
    Kind(
        "wbl_application_decided",
        _("Decisions on my work-based learning applications"),
        unsubscribe_link=False,
    )
)
CONSENT_REQUEST = register(
    Kind(
        "wbl_consent_request",
        _("A guardian's consent request"),
        can_turn_off=False,
        unsubscribe_link=False,
        listed=False,
        confidential=True,  # the link consents in the guardian's name
    )
)
CONSENT_ANSWERED = register(
    Kind(
        "wbl_consent_answered",
        _("My guardian's answer to a consent request"),
        unsubscribe_link=False,
    )
)
HOURS_WAITING = register(
    Kind(
        "wbl_hours_waiting",
        _("Weekly list of student hours waiting for my approval"),
        confidential=True,  # its links approve hours in the supervisor's name
    )
)
SESSION_REMINDER = register(
    Kind("wbl_session_reminder", _("Reminders two days before a work-based learning session"))
)
SCHOOL_REQUEST = register(
    Kind("wbl_school_request", _("School requests that match my organization's offers"))
)
REQUEST_VOLUNTEERED = register(
    Kind("wbl_request_volunteered", _("Partners volunteering for my school's requests"))
)
REQUEST_CONFIRMED = register(
    Kind("wbl_request_confirmed", _("My organization was chosen for a school request"))
)
REQUEST_NOT_CHOSEN = register(
    Kind(
        "wbl_request_not_chosen",
        _("School requests I volunteered for that went to another partner or were cancelled"),
    )
)
REQUEST_INVITED = register(
    Kind("wbl_request_invited", _("School requests the CTE office invites my organization to"))
)
CONSENT_ANSWERED_HOST = register(
    Kind(
        "wbl_consent_answered_host",
        _("Guardians' answers for applicants to opportunities I host"),
    )
)
APPLICATION_WITHDRAWN = register(
    Kind("wbl_application_withdrawn", _("Applications withdrawn from opportunities I host"))
)
HOURS_REJECTED = register(
    Kind(
        "wbl_hours_rejected",
        _("Hours my supervisor did not approve"),
        unsubscribe_link=False,
    )
)
EVALUATION_GIVEN = register(
    Kind(
        "wbl_evaluation_given",
        _("My supervisor's evaluation of my placement"),
        unsubscribe_link=False,
    )
)
