"""Who may use every route: one table, checked for every role.

The test walks Django's URL resolver. A route of ours that is missing from ``MATRIX`` fails
``test_every_route_is_in_the_matrix``, so no feature lands without saying who may use it.
Third-party route groups (Django admin, allauth, i18n) are checked through representative
rows instead of route by route; see ``THIRD_PARTY``.

To add a route: add a ``Route`` with the expected status for each role. ``url`` receives the
``world`` (the people below, and whatever objects a feature adds to it) and returns the path,
so object routes can point at, say, ``student``'s record and prove ``other_student`` is refused.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from cte_portal.notifications.services import unsubscribe_token
from tests.factories.notifications import NotificationFactory
from tests.factories.users import (
    CounselorUserFactory,
    EmployerUserFactory,
    StaffUserFactory,
    StudentUserFactory,
)

ROLES = (
    "anonymous",
    "student",
    "other_student",
    "counselor",
    "staff",
    "employer",
    "other_employer",
)

# Groups of expectations, to keep the table readable.
EVERYONE_200 = dict.fromkeys(ROLES, 200)


def signed_in(status: int = 200, *, anonymous: int = 302) -> dict[str, int]:
    return {**dict.fromkeys(ROLES, status), "anonymous": anonymous}


def only(roles: set[str], status: int = 200, *, anonymous: int, others: int) -> dict[str, int]:
    return {
        role: anonymous if role == "anonymous" else (status if role in roles else others)
        for role in ROLES
    }


@dataclass(frozen=True)
class Route:
    name: str
    expect: dict[str, int]
    url: Callable[[dict[str, Any]], str] | None = None
    method: str = "get"
    data: dict[str, Any] = field(default_factory=dict)

    def path(self, world: dict[str, Any]) -> str:
        return self.url(world) if self.url else reverse(self.name)


# The catalogue API's resources and how each names the world's object in its address.
CATALOGUE_API: dict[str, Callable[[dict[str, Any]], Any]] = {
    "sector": lambda w: w["pathway"].sector.slug,
    "pathway": lambda w: w["pathway"].slug,
    "course": lambda w: w["course"].code,
    "credential": lambda w: w["credential"].slug,
    "occupation": lambda w: w["occupation"].soc_code,
    "school": lambda w: w["school"].slug,
    "offering": lambda w: w["offering"].pk,
}
CATALOGUE_WRITE = only({"staff"}, 415, anonymous=401, others=403)
# Partner pages: staff only; a partner's own pages: staff and its contacts (set per route).
STAFF_PAGE = only({"staff"}, anonymous=302, others=403)
PARTNER_OWN = only({"staff"}, anonymous=302, others=403)
PARTNER_API = only({"staff", "employer", "other_employer"}, anonymous=401, others=403)


# Students: who may open what.
STUDENT_PAGE = only({"student", "other_student"}, anonymous=302, others=403)
ADVISOR_PAGE = only({"counselor", "staff"}, anonymous=302, others=403)
STUDENT_RECORDS_API = only(
    {"student", "other_student", "counselor", "staff"}, anonymous=401, others=403
)
# ``student``'s own record: theirs and their advisors'; another student gets 404.
OWN_RECORD_PAGE = {
    **only({"student", "counselor", "staff"}, anonymous=302, others=403),
    "other_student": 404,
}
OWN_RECORD_API = {
    **only({"student", "counselor", "staff"}, anonymous=401, others=403),
    "other_student": 404,
}


# Work-based learning API. Writes take JSON: a role that passes every check and sends the
# matrix's form-encoded body gets 415 (nothing written); actions without a body really run.
WBL_SIGNED_IN = signed_in(anonymous=401)
# ``student``'s application, placement and hours, at ``employer``'s organization.
WBL_OWN = {
    **only({"student", "counselor", "staff", "employer"}, anonymous=401, others=403),
    "other_student": 404,
    "other_employer": 404,
}
# Acting on ``employer``'s organization's things: the host's people and staff; another
# partner does not see them (404); other roles may not (403).
WBL_HOST_ACTION = {
    **only({"staff", "employer"}, anonymous=401, others=403),
    "other_employer": 404,
}
WBL_HOST_ACTION_BODY = {
    **only({"staff", "employer"}, 415, anonymous=401, others=403),
    "other_employer": 404,
}


def _wbl_api(name: str, key: str) -> Callable[[dict[str, Any]], str]:
    return lambda w: reverse(name, args=[w[key].pk])


# Work-based learning pages (tests/workbased/world.py builds their objects). The employer's
# organization hosts them: ``other_employer`` gets 404 for its opportunities, applicants,
# placements and hours; ``other_student`` gets 404 for ``student``'s application, placement
# and reflection. A signed link's token is its permission (everyone 200; tampered: 400).
HOST_PAGE = {  # the host's people and CTE staff; another organization: 404
    **only({"employer", "staff"}, anonymous=302, others=403),
    "other_employer": 404,
}
EMPLOYER_PAGE = only({"employer", "other_employer"}, anonymous=302, others=403)
STAFF_ONLY = only({"staff"}, anonymous=302, others=403)
REQUEST_PAGE = {  # the school's counselor, staff, and partners whose offers match
    **only({"counselor", "staff", "employer"}, anonymous=302, others=403),
    "other_employer": 404,
}
OWN_WBL_PAGE = {**STUDENT_PAGE, "other_student": 404}
DRAFT_PAGE = only({"employer", "staff"}, anonymous=404, others=404)


def _wbl(name: str, key: str, suffix: str = "") -> Callable[[dict[str, Any]], str]:
    return lambda w: reverse(f"workbased:{name}", args=[w[key].pk]) + suffix


def _wbl_token(name: str, key: str, tamper: str = "") -> Callable[[dict[str, Any]], str]:
    return lambda w: reverse(f"workbased:{name}", args=[w[key] + tamper])


WORKBASED_ROUTES: list[Route] = [
    # Anyone: the board, a published opportunity and its calendar; a draft is its host's
    Route("workbased:opportunity_list", EVERYONE_200),
    Route(
        "workbased:opportunity_detail",
        EVERYONE_200,
        url=_wbl("opportunity_detail", "wbl_opportunity"),
    ),
    Route("workbased:opportunity_detail", DRAFT_PAGE, url=_wbl("opportunity_detail", "wbl_draft")),
    Route(
        "workbased:opportunity_calendar",
        EVERYONE_200,
        url=_wbl("opportunity_calendar", "wbl_opportunity"),
    ),
    Route(
        "workbased:opportunity_calendar", DRAFT_PAGE, url=_wbl("opportunity_calendar", "wbl_draft")
    ),
    Route(  # an empty statement (or "already applied"): the page comes back with the reason
        "workbased:opportunity_apply",
        only({"student", "other_student"}, anonymous=302, others=403),
        url=_wbl("opportunity_apply", "wbl_opportunity"),
        method="post",
    ),
    # Signed links: the token is the permission
    Route(
        "workbased:personal_feed", EVERYONE_200, url=_wbl_token("personal_feed", "wbl_feed_token")
    ),
    Route(
        "workbased:personal_feed",
        dict.fromkeys(ROLES, 400),
        url=_wbl_token("personal_feed", "wbl_feed_token", "x"),
    ),
    Route(  # anyone signed in resets their own feed link, and is sent back; anonymous: sign in
        "workbased:feed_reset", dict.fromkeys(ROLES, 302), method="post"
    ),
    Route("workbased:feed_reset", signed_in(405), method="get"),
    Route("workbased:consent", EVERYONE_200, url=_wbl_token("consent", "wbl_consent_token")),
    Route(  # no answer chosen: the page says so and records nothing
        "workbased:consent",
        EVERYONE_200,
        url=_wbl_token("consent", "wbl_consent_token"),
        method="post",
    ),
    Route(
        "workbased:consent",
        dict.fromkeys(ROLES, 400),
        url=_wbl_token("consent", "wbl_consent_token", "x"),
    ),
    Route(
        "workbased:hours_review", EVERYONE_200, url=_wbl_token("hours_review", "wbl_hours_token")
    ),
    Route(
        "workbased:hours_review",
        EVERYONE_200,
        url=_wbl_token("hours_review", "wbl_hours_token"),
        method="post",
    ),
    Route(
        "workbased:hours_review",
        dict.fromkeys(ROLES, 400),
        url=_wbl_token("hours_review", "wbl_hours_token", "x"),
    ),
    # A student's own
    Route("workbased:mine", STUDENT_PAGE),
    Route(
        "workbased:application_withdraw",
        {**OWN_WBL_PAGE, "counselor": 200, "staff": 200},
        url=_wbl("application_withdraw", "wbl_application"),
    ),
    Route(  # needs no consent: refused with a message, back to the page
        "workbased:consent_resend",
        {
            **only({"student", "counselor", "staff"}, 302, anonymous=302, others=403),
            "other_student": 404,
        },
        url=_wbl("consent_resend", "wbl_application"),
        method="post",
    ),
    Route("workbased:placement", OWN_WBL_PAGE, url=_wbl("placement", "wbl_placement")),
    Route(
        "workbased:reflection",
        OWN_WBL_PAGE,
        url=lambda w: reverse("workbased:reflection", args=["placement", w["wbl_placement"].pk]),
    ),
    # A host's pages (staff too); another organization's answer 404
    Route("workbased:manage", EMPLOYER_PAGE),
    Route("workbased:opportunity_new", EMPLOYER_PAGE),
    Route("workbased:opportunity_edit", HOST_PAGE, url=_wbl("opportunity_edit", "wbl_draft")),
    Route(
        "workbased:opportunity_submit",
        {**HOST_PAGE, "employer": 302, "staff": 302},
        url=_wbl("opportunity_submit", "wbl_draft"),
        method="post",
    ),
    Route(
        "workbased:opportunity_close", HOST_PAGE, url=_wbl("opportunity_close", "wbl_opportunity")
    ),
    Route(
        "workbased:opportunity_cancel", HOST_PAGE, url=_wbl("opportunity_cancel", "wbl_opportunity")
    ),
    Route("workbased:applicants", HOST_PAGE, url=_wbl("applicants", "wbl_opportunity")),
    Route("workbased:attendance", HOST_PAGE, url=_wbl("attendance", "wbl_opportunity")),
    Route(
        "workbased:application_decide", HOST_PAGE, url=_wbl("application_decide", "wbl_application")
    ),
    Route(
        "workbased:hours_to_approve",
        only({"employer", "other_employer", "staff"}, anonymous=302, others=403),
    ),
    Route("workbased:hours_decide", HOST_PAGE, url=_wbl("hours_decide", "wbl_hours")),
    Route("workbased:placement_manage", HOST_PAGE, url=_wbl("placement_manage", "wbl_placement")),
    Route(  # the host's people evaluate; staff were not there
        "workbased:evaluation",
        {**HOST_PAGE, "staff": 403},
        url=_wbl("evaluation", "wbl_placement"),
    ),
    # CTE staff and counselors
    Route("workbased:review", STAFF_ONLY),
    Route("workbased:review_decide", STAFF_ONLY, url=_wbl("review_decide", "wbl_draft")),
    Route("workbased:placements_overview", STAFF_ONLY),
    Route("workbased:attendance_overview", STAFF_ONLY),
    Route("workbased:students", ADVISOR_PAGE),
    # School requests
    Route(
        "workbased:request_list",
        only({"counselor", "staff", "employer", "other_employer"}, anonymous=302, others=403),
    ),
    Route("workbased:request_new", ADVISOR_PAGE),
    Route("workbased:school_request", REQUEST_PAGE, url=_wbl("school_request", "wbl_request")),
    Route(  # the matching partner volunteers; another partner does not see the request
        "workbased:request_volunteer",
        {**only({"employer"}, 302, anonymous=302, others=403), "other_employer": 404},
        url=_wbl("request_volunteer", "wbl_request"),
        method="post",
    ),
    Route(  # nobody to confirm yet: the page comes back with the error
        "workbased:request_confirm",
        ADVISOR_PAGE,
        url=_wbl("request_confirm", "wbl_request"),
        method="post",
    ),
    Route(  # not confirmed yet: refused on the page; a partner not chosen: 404
        "workbased:request_opportunity",
        {**REQUEST_PAGE, "employer": 404},
        url=_wbl("request_opportunity", "wbl_request"),
        method="post",
    ),
    Route("workbased:request_cancel", ADVISOR_PAGE, url=_wbl("request_cancel", "wbl_request")),
    Route("workbased:request_matching", STAFF_ONLY, url=_wbl("request_matching", "wbl_request")),
    Route(  # no partner chosen: the matching page comes back with the error
        "workbased:request_invite",
        STAFF_ONLY,
        url=_wbl("request_invite", "wbl_request"),
        method="post",
    ),
]


MATRIX: list[Route] = [
    # Portal pages
    Route("home", EVERYONE_200),
    Route("healthz", EVERYONE_200),
    Route("robots", EVERYONE_200),
    # API
    Route("api:root", EVERYONE_200),
    Route("api:token", dict.fromkeys(ROLES, 400), method="post"),  # public; empty body is refused
    Route("api:me", signed_in(anonymous=401)),
    Route("api:schema", EVERYONE_200),
    Route("api:docs", EVERYONE_200),
    # Notifications: everyone signed in has their own; nobody touches another's
    Route("notifications:list", signed_in(200)),
    Route("notifications:preferences", signed_in(200)),
    Route("notifications:read_all", signed_in(302), method="post"),
    Route(
        "notifications:read",
        {**dict.fromkeys(ROLES, 404), "anonymous": 302, "student": 302},
        url=lambda w: reverse("notifications:read", args=[w["student_notification"].pk]),
        method="post",
    ),
    Route(  # a signed link from an e-mail: no login needed, the token is the permission
        "notifications:unsubscribe",  # GET only asks (link scanners open links): 200
        EVERYONE_200,
        url=lambda w: reverse("notifications:unsubscribe", args=[w["employer_unsubscribe"]]),
    ),
    Route(  # POST acts: the page's button, or a mail client's RFC 8058 one-click POST
        "notifications:unsubscribe",
        EVERYONE_200,
        url=lambda w: reverse("notifications:unsubscribe", args=[w["employer_unsubscribe"]]),
        method="post",
        data={"List-Unsubscribe": "One-Click"},
    ),
    Route("api:notification-list", signed_in(anonymous=401)),
    Route(
        "api:notification-read",
        {**dict.fromkeys(ROLES, 404), "anonymous": 401, "student": 200},
        url=lambda w: reverse("api:notification-read", args=[w["student_notification"].pk]),
        method="post",
    ),
    # Catalogue: public pages and reads; drafts and writes for CTE staff only
    Route("pathways:list", EVERYONE_200),
    Route("pathways:compare", EVERYONE_200),
    Route(
        "pathways:detail",
        EVERYONE_200,
        url=lambda w: reverse("pathways:detail", args=[w["pathway"].slug]),
    ),
    Route(  # a draft: only staff may preview it; for everyone else it does not exist
        "pathways:detail",
        only({"staff"}, anonymous=404, others=404),
        url=lambda w: reverse("pathways:detail", args=[w["draft_pathway"].slug]),
    ),
    Route(
        "pathways:sector",
        EVERYONE_200,
        url=lambda w: reverse("pathways:sector", args=[w["pathway"].sector.slug]),
    ),
    Route(
        "pathways:school",
        EVERYONE_200,
        url=lambda w: reverse("pathways:school", args=[w["school"].slug]),
    ),
    Route(
        "api:pathway-detail",
        only({"staff"}, anonymous=404, others=404),
        url=lambda w: reverse("api:pathway-detail", args=[w["draft_pathway"].slug]),
    ),
    # Each catalogue resource: list and read for everyone; create (POST) and update
    # (PUT, PATCH) for staff only. Writes take JSON, so staff's form-encoded request here is 415.
    *(
        route
        for resource, key in CATALOGUE_API.items()
        for route in (
            Route(f"api:{resource}-list", EVERYONE_200),
            Route(
                f"api:{resource}-detail",
                EVERYONE_200,
                url=lambda w, r=resource, k=key: reverse(f"api:{r}-detail", args=[k(w)]),
            ),
            Route(f"api:{resource}-list", CATALOGUE_WRITE, method="post"),
            *(
                Route(
                    f"api:{resource}-detail",
                    CATALOGUE_WRITE,
                    url=lambda w, r=resource, k=key: reverse(f"api:{r}-detail", args=[k(w)]),
                    method=method,
                )
                for method in ("put", "patch")
            ),
        )
    ),
    # Students: each student's own pages; counselors (their caseload) and staff (all) the rest.
    # ``student`` has a record, an enrollment request, a course record and a credential;
    # ``other_student`` has their own, which nobody but them and the advisors may reach.
    Route("students:me", STUDENT_PAGE),
    Route(
        "students:enroll",
        STUDENT_PAGE,
        url=lambda w: reverse("students:enroll", args=[w["offering"].pk]),
    ),
    Route("students:change", STUDENT_PAGE),
    Route(
        "students:save",
        only({"student", "other_student"}, 302, anonymous=302, others=403),
        url=lambda w: reverse("students:save", args=[w["pathway"].pk]),
        method="post",
    ),
    Route(
        "students:withdraw",
        {**OWN_RECORD_PAGE, "employer": 404, "other_employer": 404},
        url=lambda w: reverse("students:withdraw", args=[w["enrollment"].pk]),
    ),
    Route("students:caseload", ADVISOR_PAGE),
    Route("students:queue", ADVISOR_PAGE),
    Route(
        "students:decide",
        ADVISOR_PAGE,
        url=lambda w: reverse("students:decide", args=[w["enrollment"].pk]),
    ),
    Route(
        "students:student",
        ADVISOR_PAGE,
        url=lambda w: reverse("students:student", args=[w["student_profile"].pk]),
    ),
    Route(  # an empty note: the page comes back with the error
        "students:note_add",
        ADVISOR_PAGE,
        url=lambda w: reverse("students:note_add", args=[w["student_profile"].pk]),
        method="post",
    ),
    Route(
        "students:readiness_add",
        ADVISOR_PAGE,
        url=lambda w: reverse("students:readiness_add", args=[w["student_profile"].pk]),
        method="post",
    ),
    Route(  # an empty workshop: the page comes back with the errors
        "students:workshop_add",
        ADVISOR_PAGE,
        url=lambda w: reverse("students:workshop_add", args=[w["student_profile"].pk]),
        method="post",
    ),
    Route(  # a course record with nothing typed: the page comes back with the errors
        "students:course_record_add",
        ADVISOR_PAGE,
        url=lambda w: reverse("students:course_record_add", args=[w["student_profile"].pk]),
        method="post",
    ),
    Route(  # a credential with nothing typed: the page comes back with the errors
        "students:credential_award_add",
        ADVISOR_PAGE,
        url=lambda w: reverse("students:credential_award_add", args=[w["student_profile"].pk]),
        method="post",
    ),
    Route(  # a request cannot be completed: back to the student page, saying why
        "students:complete",
        only({"counselor", "staff"}, 302, anonymous=302, others=403),
        url=lambda w: reverse("students:complete", args=[w["enrollment"].pk]),
        method="post",
    ),
    Route("api:student-list", STUDENT_RECORDS_API),  # a student: a list of their own record
    Route(
        "api:student-detail",
        OWN_RECORD_API,
        url=lambda w: reverse("api:student-detail", args=[w["student_profile"].pk]),
    ),
    Route("api:enrollment-list", STUDENT_RECORDS_API),
    Route(  # only a student requests; an empty body is refused
        "api:enrollment-list",
        only({"student", "other_student"}, 400, anonymous=401, others=403),
        method="post",
    ),
    Route(
        "api:enrollment-detail",
        OWN_RECORD_API,
        url=lambda w: reverse("api:enrollment-detail", args=[w["enrollment"].pk]),
    ),
    *(
        Route(
            f"api:enrollment-{decision}",
            {**OWN_RECORD_API, "student": 403},
            url=lambda w, d=decision: reverse(f"api:enrollment-{d}", args=[w["enrollment"].pk]),
            method="post",
        )
        for decision in ("approve", "waitlist")
    ),
    Route(  # no reason given: refused
        "api:enrollment-decline",
        {**OWN_RECORD_API, "student": 403, "counselor": 400, "staff": 400},
        url=lambda w: reverse("api:enrollment-decline", args=[w["enrollment"].pk]),
        method="post",
    ),
    Route(  # a request cannot be completed: 409 for those who may complete
        "api:enrollment-complete",
        {**OWN_RECORD_API, "student": 403, "counselor": 409, "staff": 409},
        url=lambda w: reverse("api:enrollment-complete", args=[w["enrollment"].pk]),
        method="post",
    ),
    Route(
        "api:enrollment-withdraw",
        OWN_RECORD_API,
        url=lambda w: reverse("api:enrollment-withdraw", args=[w["enrollment"].pk]),
        method="post",
    ),
    Route("api:course-record-list", STUDENT_RECORDS_API),
    Route(
        "api:course-record-detail",
        OWN_RECORD_API,
        url=lambda w: reverse("api:course-record-detail", args=[w["course_record"].pk]),
    ),
    Route("api:credential-award-list", STUDENT_RECORDS_API),
    Route(
        "api:credential-award-detail",
        OWN_RECORD_API,
        url=lambda w: reverse("api:credential-award-detail", args=[w["credential_award"].pk]),
    ),
    # Roster import (OneRoster): CTE staff only
    Route("roster:upload", STAFF_PAGE),
    Route("roster:upload", STAFF_PAGE, method="post"),  # no file: the form comes back
    Route(
        "roster:run",
        STAFF_PAGE,
        url=lambda w: reverse("roster:run", args=[w["import_run"].pk]),
    ),
    # Partners
    # Anyone: the sign-up, its signed links, the mailing list (a link's token is its permission)
    Route("partners:join", EVERYONE_200),
    Route("partners:join_sent", EVERYONE_200),
    Route("partners:join_resend", EVERYONE_200),
    Route("partners:join_done", EVERYONE_200),
    Route(
        "partners:join_confirm",
        EVERYONE_200,
        url=lambda w: reverse("partners:join_confirm", args=[w["signup_token"]]),
    ),
    Route(  # tampered with: refused for everyone
        "partners:join_confirm",
        dict.fromkeys(ROLES, 400),
        url=lambda w: reverse("partners:join_confirm", args=[w["signup_token"] + "x"]),
    ),
    Route(
        "partners:invitation_accept",
        EVERYONE_200,
        url=lambda w: reverse("partners:invitation_accept", args=[w["invitation_token"]]),
    ),
    Route("partners:mailing_list", EVERYONE_200),
    Route("partners:mailing_list_sent", EVERYONE_200),
    Route(
        "partners:mailing_list_confirm",
        EVERYONE_200,
        url=lambda w: reverse("partners:mailing_list_confirm", args=[w["list_confirm_token"]]),
    ),
    Route(
        "partners:mailing_list_unsubscribe",
        EVERYONE_200,
        url=lambda w: reverse(
            "partners:mailing_list_unsubscribe", args=[w["list_unsubscribe_token"]]
        ),
    ),
    # A partner contact: their own organization; another employer's answers 404
    Route("partners:dashboard", only({"employer", "other_employer"}, anonymous=302, others=403)),
    *(
        Route(
            name,
            {**PARTNER_OWN, "employer": 200, "other_employer": 404},
            url=lambda w, n=name, k=key: reverse(n, args=[w[k].pk]),
        )
        for name, key in (
            ("partners:offers", "employer_org"),
            ("partners:invite", "employer_org"),
            ("partners:agreement_file", "employer_agreement"),
            # The organization's people manage their colleagues (so do staff)
            ("partners:contact_primary", "employer_colleague"),
            ("partners:contact_remove", "employer_colleague"),
        )
    ),
    # CTE staff run the relationships
    Route("partners:list", STAFF_PAGE),
    Route("partners:export", STAFF_PAGE),
    Route("partners:review", STAFF_PAGE),
    Route("partners:not_contacted", STAFF_PAGE),
    Route("partners:expiring", STAFF_PAGE),
    *(
        Route(name, STAFF_PAGE, url=lambda w, n=name: reverse(n, args=[w["employer_org"].pk]))
        for name in (
            "partners:detail",
            "partners:edit",
            "partners:status",
            "partners:interaction_new",
            "partners:agreement_new",
            "partners:seat_new",
        )
    ),
    Route(
        "partners:contact",
        STAFF_PAGE,
        url=lambda w: reverse("partners:contact", args=[w["join_request"].pk]),
    ),
    Route(
        "partners:contact_decide",
        STAFF_PAGE,
        url=lambda w: reverse("partners:contact_decide", args=[w["join_request"].pk]),
    ),
    *(  # corrections of a partner's seats, interactions and agreements: staff only
        Route(name, STAFF_PAGE, url=lambda w, n=name, k=key: reverse(n, args=[w[k].pk]))
        for name, key in (
            ("partners:seat_end", "employer_seat"),
            ("partners:interaction_edit", "interaction"),
            ("partners:agreement_edit", "employer_agreement"),
        )
    ),
    # The partners API: staff all, an employer their own, students and counselors nothing
    *(
        route
        for resource, key in (
            ("organization", lambda w: w["employer_org"].pk),
            ("contact", lambda w: w["employer_contact"].pk),
            ("agreement", lambda w: w["employer_agreement"].pk),
        )
        for route in (
            Route(f"api:{resource}-list", PARTNER_API),
            Route(
                f"api:{resource}-detail",
                {**PARTNER_API, "other_employer": 404},
                url=lambda w, r=resource, k=key: reverse(f"api:{r}-detail", args=[k(w)]),
            ),
        )
    ),
    *(  # staff's decisions take JSON: a form-encoded request from staff is 415, and changes nothing
        Route(
            name,
            only({"staff"}, 415, anonymous=401, others=403),
            url=lambda w, n=name: reverse(n, args=[w["pending_org"].pk]),
            method="post",
        )
        for name in ("api:organization-approve", "api:organization-decline")
    ),
    Route("api:interaction-list", only({"staff"}, anonymous=401, others=403)),
    Route("api:interaction-list", only({"staff"}, 415, anonymous=401, others=403), method="post"),
    Route(
        "api:interaction-detail",
        only({"staff"}, anonymous=401, others=403),
        url=lambda w: reverse("api:interaction-detail", args=[w["interaction"].pk]),
    ),
    # Work-based learning API (see WBL_* above)
    Route("api:opportunity-list", EVERYONE_200),
    Route(
        "api:opportunity-list",
        only({"staff", "employer", "other_employer"}, 415, anonymous=401, others=403),
        method="post",
    ),
    Route(
        "api:opportunity-detail",
        EVERYONE_200,
        url=_wbl_api("api:opportunity-detail", "wbl_opportunity"),
    ),
    Route(  # a draft: its organization's people and staff; for everyone else it does not exist
        "api:opportunity-detail",
        only({"staff", "employer"}, anonymous=404, others=404),
        url=_wbl_api("api:opportunity-detail", "wbl_draft"),
    ),
    *(
        Route(
            "api:opportunity-detail",
            WBL_HOST_ACTION_BODY,
            url=_wbl_api("api:opportunity-detail", "wbl_draft"),
            method=method,
        )
        for method in ("put", "patch")
    ),
    Route(
        "api:opportunity-submit",
        WBL_HOST_ACTION,
        url=_wbl_api("api:opportunity-submit", "wbl_draft"),
        method="post",
    ),
    Route(
        "api:opportunity-publish",
        only({"staff"}, anonymous=401, others=403),
        url=_wbl_api("api:opportunity-publish", "wbl_submitted"),
        method="post",
    ),
    Route(
        "api:opportunity-return",
        only({"staff"}, 415, anonymous=401, others=403),
        url=_wbl_api("api:opportunity-return", "wbl_submitted"),
        method="post",
    ),
    Route(  # published, so another partner sees it, but it is not theirs to close (403)
        "api:opportunity-close",
        {**WBL_HOST_ACTION, "other_employer": 403},
        url=_wbl_api("api:opportunity-close", "wbl_opportunity"),
        method="post",
    ),
    Route(
        "api:opportunity-cancel",
        {**WBL_HOST_ACTION_BODY, "other_employer": 403},
        url=_wbl_api("api:opportunity-cancel", "wbl_opportunity"),
        method="post",
    ),
    Route("api:application-list", WBL_SIGNED_IN),  # each their own (an employer: applicants)
    Route(
        "api:application-list",
        only({"student", "other_student"}, 415, anonymous=401, others=403),
        method="post",
    ),
    Route(
        "api:application-detail",
        WBL_OWN,
        url=_wbl_api("api:application-detail", "wbl_application"),
    ),
    *(
        Route(
            f"api:application-{decision}",
            WBL_HOST_ACTION,
            url=_wbl_api(f"api:application-{decision}", "wbl_application"),
            method="post",
        )
        for decision in ("accept", "waitlist")
    ),
    Route(
        "api:application-decline",
        WBL_HOST_ACTION_BODY,
        url=_wbl_api("api:application-decline", "wbl_application"),
        method="post",
    ),
    Route(  # the student, their counselor and staff; never the host
        "api:application-withdraw",
        {**WBL_OWN, "employer": 403, "other_employer": 403},
        url=_wbl_api("api:application-withdraw", "wbl_application"),
        method="post",
    ),
    Route("api:placement-list", WBL_SIGNED_IN),
    Route("api:placement-detail", WBL_OWN, url=_wbl_api("api:placement-detail", "wbl_placement")),
    Route(  # the supervisor only: staff were not there
        "api:placement-evaluation",
        {**WBL_HOST_ACTION_BODY, "staff": 403},
        url=_wbl_api("api:placement-evaluation", "wbl_placement"),
        method="post",
    ),
    Route("api:hours-list", WBL_SIGNED_IN),
    Route(
        "api:hours-list",
        only({"student", "other_student"}, 415, anonymous=401, others=403),
        method="post",
    ),
    Route("api:hours-detail", WBL_OWN, url=_wbl_api("api:hours-detail", "wbl_hours")),
    *(
        Route(
            f"api:hours-{review}",
            WBL_HOST_ACTION_BODY,
            url=_wbl_api(f"api:hours-{review}", "wbl_hours"),
            method="post",
        )
        for review in ("approve", "reject")
    ),
    # A request of ``school`` that ``employer``'s offers match (``other_employer``'s do not)
    Route(
        "api:school-request-list",
        only({"counselor", "staff", "employer", "other_employer"}, anonymous=401, others=403),
    ),
    Route(
        "api:school-request-list",
        only({"counselor", "staff"}, 415, anonymous=401, others=403),
        method="post",
    ),
    Route(
        "api:school-request-detail",
        {
            **only({"counselor", "staff", "employer"}, anonymous=401, others=403),
            "other_employer": 404,
        },
        url=_wbl_api("api:school-request-detail", "wbl_request"),
    ),
    Route(
        "api:school-request-volunteer",
        {**only({"employer"}, 415, anonymous=401, others=403), "other_employer": 404},
        url=_wbl_api("api:school-request-volunteer", "wbl_request"),
        method="post",
    ),
    *(
        Route(
            f"api:school-request-{step}",
            only({"counselor", "staff"}, 415, anonymous=401, others=403),
            url=_wbl_api(f"api:school-request-{step}", "wbl_request"),
            method="post",
        )
        for step in ("confirm", "cancel")
    ),
    Route(  # staff's matching list and invitation
        "api:school-request-matching",
        only({"staff"}, anonymous=401, others=403),
        url=_wbl_api("api:school-request-matching", "wbl_request"),
    ),
    Route(
        "api:school-request-invite",
        only({"staff"}, 415, anonymous=401, others=403),
        url=_wbl_api("api:school-request-invite", "wbl_request"),
        method="post",
    ),
    Route(  # the school's side, or the chosen partner (the service tells them apart)
        "api:school-request-opportunity",
        {
            **only({"counselor", "staff", "employer"}, 415, anonymous=401, others=403),
            "other_employer": 404,
        },
        url=_wbl_api("api:school-request-opportunity", "wbl_request"),
        method="post",
    ),
    # Work-based learning pages (see WORKBASED_ROUTES above)
    *WORKBASED_ROUTES,
    # Representatives of third-party groups (see THIRD_PARTY)
    Route("admin:index", only({"staff"}, anonymous=302, others=302)),
    Route("admin:users_user_changelist", only({"staff"}, anonymous=302, others=302)),
    Route("account_login", {**dict.fromkeys(ROLES, 302), "anonymous": 200}),
    Route("account_logout", signed_in(200, anonymous=302)),
    Route("account_reset_password", EVERYONE_200),
    Route("account_signup", {**dict.fromkeys(ROLES, 302), "anonymous": 200}),  # "closed" page
    Route("account_email", signed_in(200)),
    Route("account_change_password", signed_in(200)),
    Route("set_language", dict.fromkeys(ROLES, 302), method="post", data={"language": "es"}),
]

# Views owned by libraries, with the reason they are not listed route by route. They are
# recognised by the module of their view (or, for the admin site, its URL namespace), not by
# their address, so a route of ours added under /accounts/ still needs its row.
THIRD_PARTY = {
    "allauth.": "django-allauth: sign-in pages; rows above sample them",
    "django.views.i18n": "Django's set_language; sampled above",
}
# The admin site's views are methods of our ModelAdmins, so only the namespace tells them.
ADMIN_NAMESPACE = "admin:"  # staff only, enforced by admin.site; rows above sample it
IGNORED_METHODS = {"head", "options"}


def _walk(patterns, prefix: str = "", namespace: str = ""):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            ns = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from _walk(entry.url_patterns, prefix + str(entry.pattern), ns)
        elif isinstance(entry, URLPattern):
            name = f"{namespace}{entry.name}" if entry.name else None
            yield prefix + str(entry.pattern), name, entry.callback, namespace


def all_routes() -> list[tuple[str, str | None, Callable]]:
    """(pattern, name, view) of every route of ours (library views left out)."""
    return [
        (pattern, name, view)
        for pattern, name, view, namespace in _walk(get_resolver().url_patterns)
        if not view.__module__.startswith(tuple(THIRD_PARTY))
        and not namespace.startswith(ADMIN_NAMESPACE)
    ]


def allowed_methods(view: Callable) -> set[str]:
    """The HTTP methods a DRF or class-based view answers (empty for a function view, whose
    methods live in its decorators): a viewset route's actions, or the class's handlers."""
    if actions := getattr(view, "actions", None):
        return set(actions) - IGNORED_METHODS
    view_class = getattr(view, "cls", None) or getattr(view, "view_class", None)
    if view_class is None:
        return set()
    return {
        method
        for method in view_class.http_method_names
        if method not in IGNORED_METHODS and hasattr(view_class, method)
    }


def test_every_route_is_in_the_matrix():
    listed = {route.name for route in MATRIX}
    missing = [
        f"{pattern} (name={name})" for pattern, name, _ in all_routes() if name not in listed
    ]
    assert missing == [], "Routes with no row in tests/test_access_matrix.py MATRIX:\n" + "\n".join(
        missing
    )


def test_every_method_of_an_api_or_class_based_view_is_in_the_matrix():
    """A new action or method on a known route (a PUT beside the PATCH) says who may use it."""
    listed = {(route.name, route.method) for route in MATRIX}
    missing = [
        f"{method.upper()} {pattern} (name={name})"
        for pattern, name, view in all_routes()
        for method in sorted(allowed_methods(view))
        if (name, method) not in listed
    ]
    assert missing == [], "Methods with no row in MATRIX:\n" + "\n".join(missing)


def test_every_matrix_row_names_a_real_route_and_every_role():
    names = {name for _, name, _, _ in _walk(get_resolver().url_patterns)}
    for route in MATRIX:
        assert route.name in names, f"{route.name} is not a route any more"
        assert set(route.expect) == set(ROLES), f"{route.name} does not say who may use it"


@pytest.fixture
def world(db) -> dict[str, Any]:
    """One person per role; features add their objects here (e.g. each student's record)."""
    people = {
        "anonymous": None,
        "student": StudentUserFactory(email="m.student@example.org"),
        "other_student": StudentUserFactory(email="m.other.student@example.org"),
        "counselor": CounselorUserFactory(email="m.counselor@example.org"),
        "staff": StaffUserFactory(email="m.staff@example.org"),
        "employer": EmployerUserFactory(email="m.employer@example.org"),
        "other_employer": EmployerUserFactory(email="m.other.employer@example.org"),
    }
    people["student_notification"] = NotificationFactory(user=people["student"])
    people["employer_unsubscribe"] = unsubscribe_token(
        user_id=people["employer"].pk, kind="announcement"
    )
    people.update(_catalogue_world())
    people.update(_students_world(people))
    people.update(_partners_world(people))
    people.update(_workbased_world(people))
    return people


def _workbased_world(people: dict[str, Any]) -> dict[str, Any]:
    from tests.workbased import world

    return world.build(people)


def _students_world(people: dict[str, Any]) -> dict[str, Any]:
    """Each student's record at the offering's school, the counselor serving it, and for
    ``student`` a request, a course record and a credential."""
    from tests.factories.students import (
        CounselorProfileFactory,
        CourseRecordFactory,
        CredentialAwardFactory,
        EnrollmentFactory,
        StudentProfileFactory,
    )

    school = people["school"]
    mine = StudentProfileFactory(user=people["student"], school=school)
    theirs = StudentProfileFactory(user=people["other_student"], school=school)
    CounselorProfileFactory(user=people["counselor"], schools=[school])
    EnrollmentFactory(student=theirs, offering=people["offering"])
    from students.models import ImportRun

    return {
        "import_run": ImportRun.objects.create(source_name="matrix.zip", state="failed"),
        "student_profile": mine,
        "enrollment": EnrollmentFactory(student=mine, offering=people["offering"]),
        "course_record": CourseRecordFactory(student=mine, course=people["course"]),
        "credential_award": CredentialAwardFactory(student=mine, credential=people["credential"]),
    }


def _catalogue_world() -> dict[str, Any]:
    """A published pathway with everything it links to, offered at a school, and a draft."""
    from tests.factories.pathways import OfferingFactory, PathwayFactory, full_pathway

    pathway = full_pathway()
    offering = OfferingFactory(pathway=pathway)
    return {
        "pathway": pathway,
        "draft_pathway": PathwayFactory(status="draft", sector=pathway.sector),
        "course": pathway.sequence.first().course,
        "credential": pathway.credentials.first(),
        "occupation": pathway.occupations.first(),
        "school": offering.school,
        "offering": offering,
    }


def _partners_world(people: dict[str, Any]) -> dict[str, Any]:
    """Each employer's approved organization, an agreement, a pending sign-up, a request to
    join, an interaction, and valid signed links (sign-up, invitation, mailing list)."""
    from partners import tokens
    from partners.enums import ContactStatus, OrganizationStatus
    from tests.factories.partners import (
        AdvisorySeatFactory,
        AgreementFactory,
        ContactFactory,
        InteractionFactory,
        OrganizationFactory,
        SubscriberFactory,
        partner_of,
    )

    employer_org = partner_of(people["employer"], name="Matrix Employer Co")
    partner_of(people["other_employer"], name="Matrix Other Co")
    pending_org = OrganizationFactory(name="Matrix Pending Co", status=OrganizationStatus.PENDING)
    unconfirmed = ContactFactory(
        organization=pending_org,
        is_primary=True,
        status=ContactStatus.UNCONFIRMED,
        user=EmployerUserFactory(email="m.signup@example.org", is_active=False),
    )
    invited = ContactFactory(
        organization=employer_org,
        status=ContactStatus.INVITED,
        user=EmployerUserFactory(email="m.invited@example.org", is_active=False),
    )
    subscriber = SubscriberFactory(email="m.reader@example.org", status="pending")
    return {
        "employer_org": employer_org,
        "employer_contact": people["employer"].partner_contact,
        "employer_agreement": AgreementFactory(organization=employer_org),
        "pending_org": pending_org,
        "join_request": ContactFactory(
            organization=employer_org, status=ContactStatus.PENDING, join_request=True
        ),
        "interaction": InteractionFactory(organization=employer_org),
        "employer_colleague": ContactFactory(organization=employer_org),
        "employer_seat": AdvisorySeatFactory(organization=employer_org),
        "signup_token": tokens.signup_token(
            contact_id=unconfirmed.pk, email=unconfirmed.user.email
        ),
        "invitation_token": tokens.invitation_token(
            contact_id=invited.pk, email=invited.user.email
        ),
        "list_confirm_token": tokens.list_confirm_token(
            subscriber_id=subscriber.pk, email=subscriber.email
        ),
        "list_unsubscribe_token": tokens.list_unsubscribe_token(
            subscriber_id=subscriber.pk, email=subscriber.email
        ),
    }


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("route", MATRIX, ids=lambda r: r.name)
def test_route_answers_each_role_as_the_matrix_says(route: Route, role: str, world):
    client = Client()
    if world[role] is not None:
        client.force_login(world[role])

    response = getattr(client, route.method)(route.path(world), route.data)

    assert response.status_code == route.expect[role], (
        f"{route.method.upper()} {route.path(world)} as {role}: "
        f"{response.status_code}, expected {route.expect[role]}"
    )
