"""Where the workbased pages live, for links in e-mails and the notification centre.

The pages arrive with the app's second step (views and urls.py); until then the addresses are
built here, in one place, and ``workbased/urls.py`` must route exactly these paths (its tests
compare ``reverse()`` with these functions). Paths, not absolute URLs: e-mail code prefixes
``PORTAL_BASE_URL`` where a link must work from a mailbox.
"""

from __future__ import annotations

from django.conf import settings

BASE = "/opportunities/"


def absolute(path: str) -> str:
    return settings.PORTAL_BASE_URL + path


def board() -> str:
    return BASE


def opportunity(pk: int) -> str:
    return f"{BASE}{pk}/"


def opportunity_calendar(pk: int) -> str:
    return f"{BASE}{pk}/calendar.ics"


def personal_feed(token: str) -> str:
    return f"{BASE}calendar/{token}.ics"


def student_home() -> str:
    """A student's applications, placements, hours and evaluations."""
    return f"{BASE}mine/"


def placement(pk: int) -> str:
    """A student's placement: its hours log, the reviews and the evaluation."""
    return f"{BASE}mine/placements/{pk}/"


def employer_home() -> str:
    """An employer's opportunities, applicants, placements and hours to approve."""
    return f"{BASE}manage/"


def applicants(pk: int) -> str:
    return f"{BASE}manage/{pk}/applicants/"


def hours_to_approve() -> str:
    return f"{BASE}manage/hours/"


def staff_queue() -> str:
    return f"{BASE}review/"


def school_request(pk: int) -> str:
    return f"{BASE}requests/{pk}/"


def request_matching(pk: int) -> str:
    """Staff: the partners a school request matches, and who was told or volunteered."""
    return f"{BASE}requests/{pk}/matching/"


def staff_attendance() -> str:
    """Staff: the one-day events of the district, to record who attended."""
    return f"{BASE}attendance/"


def consent(token: str) -> str:
    """The guardian's page: what the student applied for, consent or refuse (no login)."""
    return f"{BASE}consent/{token}/"


def hours_review(token: str) -> str:
    """The supervisor's page for one hours log, from the e-mailed link (no login)."""
    return f"{BASE}hours/review/{token}/"
