"""Every page in a real browser: WCAG 2.1 AA (axe-core), landmarks, phone width, no-JS use.

A feature that adds a page adds it to ``PAGES``; the checks below then run on it at desktop and
phone width, signed in as the role given (or anonymous for None).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from allauth.account.models import EmailAddress
from django.utils import timezone
from playwright.sync_api import expect

from tests.browser import students_world, workbased_world
from tests.browser.conftest import (
    DESKTOP,
    PHONE,
    assert_no_axe_violations,
    format_violations,
    run_axe,
    sign_in_with_cookie,
)
from tests.factories.users import (
    PASSWORD,
    CounselorUserFactory,
    EmployerUserFactory,
    StaffUserFactory,
    StudentUserFactory,
)

pytestmark = pytest.mark.browser


def roster_run(state: str) -> Callable[[], str]:
    """A roster import run in ``state`` (with a report to show), as the page's path."""

    def make() -> str:
        from students.models import ImportRun
        from students.roster.enums import Outcome
        from students.roster.report import Report

        report = Report()
        for outcome in (Outcome.CREATED, Outcome.CREATED, Outcome.SKIPPED):
            report.count("users.csv", outcome, reason="role teacher is not imported")
        report.problem("users.csv", 4, "grades: 9th is not a grade (use 01-13, KG, PK, ...).")
        report.notice("users.csv: columns ignored (not OneRoster 1.1): nickname.")
        if state == "done":
            report.problems.clear()
        run = ImportRun.objects.create(
            source_name="roster.zip",
            state=state,
            phase="checking" if state == "running" else "",
            rows_total=120,
            rows_done=45,
            report=report.to_dict(),
        )
        return f"/roster/{run.pk}/"

    return make


# (name, path, role to sign in as or None for anonymous). The path is a string that may name
# objects of the page world below as ``{key}`` (formatted with ``page_world`` and, for a page
# listed in ``WORLDS``, what its builder returns for the signed-in user), or a function that
# makes what the page shows and returns its path.
PAGES: list[tuple[str, str | Callable[[], str], str | None]] = [
    ("home", "/", None),
    ("sign-in", "/accounts/login/", None),
    ("password-reset", "/accounts/password/reset/", None),
    ("api-docs", "/api/v1/docs/", None),
    ("home-staff", "/", "staff"),
    # The catalogue, as a family finds it
    ("pathway-list", "/pathways/", None),
    ("pathway-search", "/pathways/?q=welding&grade=9", None),
    ("pathway-list-empty", "/pathways/?q=astronaut", None),
    ("pathway-detail", "/pathways/{pathway.slug}/", None),
    ("pathway-compare", "/pathways/compare/?p={pathway.slug}&p={other_pathway.slug}", None),
    ("pathway-compare-empty", "/pathways/compare/", None),
    ("sector", "/sectors/{pathway.sector.slug}/", None),
    ("school", "/schools/{school.slug}/", None),
    # Partners: sign-up and mailing list (anyone), an employer's own pages, staff's pages
    ("partner-join", "/partners/join/", None),
    ("mailing-list", "/partners/mailing-list/", None),
    ("partner-dashboard", "/partners/dashboard/", "employer"),
    ("partner-offers", "/partners/{employer_org.pk}/offers/", "employer"),
    ("partner-invite", "/partners/{employer_org.pk}/invite/", "employer"),
    ("partner-list", "/partners/", "staff"),
    ("partner-review", "/partners/review/", "staff"),
    ("partner-not-contacted", "/partners/not-contacted/", "staff"),
    ("partner-detail", "/partners/{employer_org.pk}/", "staff"),
    ("partner-edit", "/partners/{employer_org.pk}/edit/", "staff"),
    ("partner-interaction-new", "/partners/{employer_org.pk}/interactions/new/", "staff"),
    ("partner-agreement-new", "/partners/{employer_org.pk}/agreements/new/", "staff"),
    ("partner-seat-new", "/partners/{employer_org.pk}/seats/new/", "staff"),
    ("partner-expiring", "/partners/expiring/", "staff"),
    ("partner-contact-primary", "/partners/contacts/{colleague.pk}/primary/", "employer"),
    ("partner-contact-remove", "/partners/contacts/{colleague.pk}/remove/", "employer"),
    ("partner-seat-end", "/partners/seats/{seat.pk}/end/", "staff"),
    ("partner-interaction-edit", "/partners/interactions/{interaction.pk}/edit/", "staff"),
    ("partner-agreement-edit", "/partners/agreements/{agreement.pk}/edit/", "staff"),
    ("mailing-list-unsubscribe", "/partners/mailing-list/unsubscribe/{unsubscribe_token}/", None),
    # Notifications
    ("notifications", "/notifications/", "employer"),
    ("notification-preferences", "/notifications/preferences/", "employer"),
    ("unsubscribe", "/notifications/unsubscribe/{employer_unsubscribe}/", None),
    # Roster import (staff)
    ("roster-upload", "/roster/", "staff"),
    ("roster-run-running", roster_run("running"), "staff"),
    ("roster-run-done", roster_run("done"), "staff"),
    ("roster-run-failed", roster_run("failed"), "staff"),
    # Students and counselors (tests/browser/students_world.py builds their records)
    ("student-dashboard", "/me/", "student"),
    ("student-dashboard-empty", "/me/", "student"),
    ("student-pathway-cta", "/pathways/{pathway}/", "student"),
    ("student-enroll", "/me/enroll/{offering}/", "student"),
    ("student-change", "/me/change/", "student"),
    ("student-withdraw", "/enrollments/{enrollment}/withdraw/", "student"),
    ("counselor-caseload", "/counselor/", "counselor"),
    ("counselor-requests", "/counselor/requests/", "counselor"),
    ("counselor-decide", "/counselor/requests/{enrollment}/", "counselor"),
    ("counselor-student", "/counselor/students/{student}/", "counselor"),
    ("counselor-student-middle", "/counselor/students/{middle}/", "counselor"),
    # Work-based learning (tests/browser/workbased_world.py builds what the pages show)
    ("wbl-board", workbased_world.board_page, None),
    ("wbl-board-empty", "/opportunities/?kind=internship&paid=yes&q=astronaut", None),
    ("wbl-detail", workbased_world.detail_page, None),
    ("wbl-consent", workbased_world.consent_page, None),
    ("wbl-hours-review", workbased_world.hours_review_page, None),
    ("wbl-detail-student", "/opportunities/{open_opportunity}/", "student"),
    ("wbl-detail-applied", "/opportunities/{opportunity}/", "student"),
    ("wbl-mine", "/opportunities/mine/", "student"),
    ("wbl-mine-no-record", "/opportunities/mine/", "student"),
    ("wbl-withdraw", "/opportunities/mine/applications/{application}/withdraw/", "student"),
    ("wbl-placement", "/opportunities/mine/placements/{placement}/", "student"),
    ("wbl-reflection", "/opportunities/mine/reflections/attendance/{attendance}/", "student"),
    ("wbl-student-dashboard", "/me/", "student"),
    ("wbl-manage", "/opportunities/manage/", "employer"),
    ("wbl-manage-empty", "/opportunities/manage/", "employer"),
    ("wbl-new", "/opportunities/manage/new/", "employer"),
    ("wbl-detail-host", "/opportunities/{draft}/", "employer"),
    ("wbl-edit", "/opportunities/manage/{draft}/edit/", "employer"),
    ("wbl-close", "/opportunities/manage/{opportunity}/close/", "employer"),
    ("wbl-cancel", "/opportunities/manage/{opportunity}/cancel/", "employer"),
    ("wbl-applicants", "/opportunities/manage/{opportunity}/applicants/", "employer"),
    ("wbl-decide", "/opportunities/manage/applications/{application}/", "employer"),
    ("wbl-attendance", "/opportunities/manage/{past_event}/attendance/", "employer"),
    ("wbl-hours", "/opportunities/manage/hours/", "employer"),
    ("wbl-hours-decide", "/opportunities/manage/hours/{hours}/", "employer"),
    ("wbl-placement-manage", "/opportunities/manage/placements/{placement}/", "employer"),
    ("wbl-evaluation", "/opportunities/manage/placements/{ended_placement}/evaluate/", "employer"),
    ("wbl-requests-employer", "/opportunities/requests/", "employer"),
    ("wbl-request-employer", "/opportunities/requests/{request}/", "employer"),
    ("wbl-partner-dashboard", "/partners/dashboard/", "employer"),
    ("wbl-review", "/opportunities/review/", "staff"),
    ("wbl-review-decide", "/opportunities/review/{submitted}/", "staff"),
    ("wbl-placements", "/opportunities/placements/", "staff"),
    ("wbl-attendance-staff", "/opportunities/attendance/", "staff"),
    ("wbl-attendance-staff-record", "/opportunities/manage/{past_event}/attendance/", "staff"),
    ("wbl-students", "/opportunities/students/", "staff"),
    ("wbl-hours-staff", "/opportunities/manage/hours/", "staff"),
    ("wbl-requests-staff", "/opportunities/requests/", "staff"),
    ("wbl-request-staff", "/opportunities/requests/{request}/", "staff"),
    ("wbl-request-matching", "/opportunities/requests/{request}/matching/", "staff"),
    ("wbl-students-counselor", "/opportunities/students/", "counselor"),
    ("wbl-reflections-counselor", "/opportunities/students/?show=reflections", "counselor"),
    ("wbl-request-new", "/opportunities/requests/new/", "counselor"),
    ("wbl-request-counselor", "/opportunities/requests/{request}/", "counselor"),
    ("wbl-request-cancel", "/opportunities/requests/{request}/cancel/", "counselor"),
]

WORLDS: dict[str, Callable[[Any], dict[str, Any]]] = {
    name: students_world.build
    for name in (
        "student-dashboard",
        "student-pathway-cta",
        "student-enroll",
        "student-change",
        "student-withdraw",
        "counselor-caseload",
        "counselor-requests",
        "counselor-decide",
        "counselor-student",
        "counselor-student-middle",
    )
}
WORLDS.update(
    {
        name: workbased_world.build
        for name, _path, _role in PAGES
        if name.startswith("wbl-")
        and not callable(_path)
        and name not in ("wbl-board-empty", "wbl-mine-no-record", "wbl-manage-empty")
    }
)

FACTORIES = {
    "student": StudentUserFactory,
    "counselor": CounselorUserFactory,
    "staff": StaffUserFactory,
    "employer": EmployerUserFactory,
}

# Pages that finish rendering in JavaScript: wait for this selector before checking them.
READY = {
    "api-docs": "#swagger-ui .opblock",
}

# Third-party markup axe must skip on one page only, each with the reason. Keep this empty
# unless a violation truly cannot be fixed in our templates or CSS.
AXE_EXCLUDE: dict[str, list[list[str]]] = {}

VIEWPORTS = [pytest.param(DESKTOP, id="desktop"), pytest.param(PHONE, id="phone")]


def verified_user(factory=StudentUserFactory, **kwargs):
    """A user who can sign in: e-mail verification is mandatory."""
    user = factory(**kwargs)
    EmailAddress.objects.get_or_create(
        user=user, email=user.email, defaults={"verified": True, "primary": True}
    )
    return user


@pytest.fixture
def page_world(transactional_db) -> dict[str, Any]:
    """One signed-in person per role and the objects the pages above show: enough data
    that a page renders its tables, lists and forms, not only its empty state."""
    from cte_portal.notifications.services import unsubscribe_token
    from partners import tokens
    from tests.factories.notifications import NotificationFactory
    from tests.factories.partners import (
        AdvisorySeatFactory,
        AgreementFactory,
        ContactFactory,
        InteractionFactory,
        OfferFactory,
        SubscriberFactory,
        partner_of,
    )
    from tests.factories.pathways import full_pathway

    world: dict[str, Any] = {role: verified_user(factory) for role, factory in FACTORIES.items()}
    world["pathway"] = full_pathway(name="Welding Technology")
    world["other_pathway"] = full_pathway(name="Culinary Arts")
    world["school"] = world["pathway"].offerings.first().school
    org = partner_of(world["employer"], name="Harbor Shipyards")
    OfferFactory(organization=org, sector=world["pathway"].sector)
    world["interaction"] = InteractionFactory(organization=org)
    world["employer_org"] = org
    world["colleague"] = ContactFactory(organization=org)
    world["seat"] = AdvisorySeatFactory(organization=org, sector=world["pathway"].sector)
    # One expired, so the partner page and the expiring page show their flags.
    world["agreement"] = AgreementFactory(
        organization=org, ends_on=timezone.localdate() - timedelta(days=3)
    )
    reader = SubscriberFactory(email="reader@example.org")
    world["unsubscribe_token"] = tokens.list_unsubscribe_token(
        subscriber_id=reader.pk, email=reader.email
    )
    NotificationFactory(user=world["employer"])
    world["employer_unsubscribe"] = unsubscribe_token(
        user_id=world["employer"].pk, kind="announcement"
    )
    return world


def page_path(
    name: str, path: str | Callable[[], str], world: dict[str, Any], user: Any = None
) -> str:
    """The address to open: made by the page's function, or formatted from the world."""
    if callable(path):
        return path()
    if name in WORLDS:
        world = {**world, **WORLDS[name](user)}
    return path.format(**world)


@pytest.mark.parametrize("viewport", VIEWPORTS)
@pytest.mark.parametrize(("name", "path", "role"), PAGES, ids=[name for name, _, _ in PAGES])
def test_page_is_accessible(new_page, live_server, page_world, name, path, role, viewport):
    page = new_page(viewport=viewport)
    if role is not None:
        sign_in_with_cookie(page, live_server, page_world[role])
    path = page_path(name, path, page_world, page_world.get(role))

    response = page.goto(live_server.url + path)
    assert response is not None
    assert response.status == 200, f"{path} answered {response.status}"
    if name in READY:
        page.wait_for_selector(READY[name])

    assert page.locator("h1").count() == 1, "a page has exactly one <h1>"
    assert page.locator("main, [role=main]").count() == 1, "a page has one main landmark"
    assert page.locator("main#main-content").count() == 1, "the main landmark is #main-content"
    # The skip link is the first thing the keyboard reaches, and it leads to the main content.
    skip = page.locator('a[href="#main-content"]')
    assert skip.count() == 1, "a skip link targets #main-content"
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.getAttribute('href')") == "#main-content"

    if role is not None:
        expect(page.locator("header")).to_contain_text("Sign out")

    if viewport["width"] == PHONE["width"]:
        widths = page.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")
        assert widths[0] <= widths[1], f"{path} scrolls sideways at phone width: {widths}"

    assert_no_axe_violations(page, exclude=AXE_EXCLUDE.get(name))


@pytest.mark.parametrize(("name", "path", "role"), PAGES, ids=[name for name, _, _ in PAGES])
def test_page_breaks_no_content_security_rule(new_page, live_server, page_world, name, path, role):
    """With the policy enforced (the other checks lift it to inject axe): no inline script,
    style or handler, nothing from another origin."""
    page = new_page(bypass_csp=False)
    refused: list[str] = []
    page.on(
        "console",
        lambda message: (
            refused.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    if role is not None:
        sign_in_with_cookie(page, live_server, page_world[role])

    page.goto(live_server.url + page_path(name, path, page_world, page_world.get(role)))
    if name in READY:
        page.wait_for_selector(READY[name])
    page.wait_for_load_state("networkidle")

    assert refused == []


def test_sign_in_works_without_javascript(new_page, live_server):
    user = verified_user(email="nojs@example.org")
    page = new_page(java_script_enabled=False, bypass_csp=False)

    page.goto(live_server.url + "/accounts/login/")
    form = page.locator("main form")
    form.get_by_label(re.compile("e-?mail", re.IGNORECASE)).fill(user.email)
    form.get_by_label(re.compile("password", re.IGNORECASE)).fill(PASSWORD)
    form.get_by_role("button", name="Sign in").click()

    page.wait_for_load_state()
    assert page.url == live_server.url + "/"
    expect(page.locator("header")).to_contain_text("Sign out")


def test_menu_button_opens_navigation_at_phone_width(new_page, live_server):
    page = new_page(viewport=PHONE)
    page.goto(live_server.url + "/")
    nav_link = page.locator(".usa-nav").get_by_role("link", name="Sign in")
    expect(nav_link).to_be_hidden()

    page.get_by_role("button", name="Menu").click()

    expect(page.locator(".usa-nav")).to_have_class(re.compile(r"\bis-visible\b"))
    expect(nav_link).to_be_visible()
    expect(page.locator(".usa-nav").get_by_role("link", name="Home")).to_be_visible()


def test_language_switcher_works_without_javascript(new_page, live_server):
    page = new_page(java_script_enabled=False, bypass_csp=False)
    page.goto(live_server.url + "/")
    assert page.locator("html").get_attribute("lang") == "en"

    page.get_by_label("Language").select_option(label="Español")
    page.get_by_role("button", name="Change language").click()

    page.wait_for_load_state()
    assert page.url == live_server.url + "/"
    assert page.locator("html").get_attribute("lang") == "es"


def test_axe_reports_violations(browser):
    """The harness itself: a page with a known WCAG failure does not pass."""
    context = browser.new_context()
    try:
        page = context.new_page()
        page.set_content('<html lang="en"><body><main><img src="data:,"></main></body></html>')
        violations = run_axe(page)
    finally:
        context.close()
    assert "image-alt" in {v["id"] for v in violations}
    assert "image-alt" in format_violations(violations)


def test_a_refused_inline_script_is_reported_on_the_console(new_page):
    """The harness of the policy check: Chromium names the policy when it refuses."""
    page = new_page(bypass_csp=False)
    messages: list[str] = []
    page.on("console", lambda message: messages.append(message.text))

    page.set_content(
        '<html lang="en"><head><meta http-equiv="Content-Security-Policy" '
        "content=\"script-src 'self'\"></head><body><script>1</script></body></html>"
    )

    assert any("Content Security Policy" in text for text in messages)
