"""Every page in a real browser: WCAG 2.1 AA (axe-core), landmarks, phone width, no-JS use.

A feature that adds a page adds it to ``PAGES``; the checks below then run on it at desktop and
phone width, signed in as the role given (or anonymous for None).
"""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from allauth.account.models import EmailAddress
from playwright.sync_api import expect

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


# (name, URL path or a function making what the page shows and returning its path, role to
# sign in as or None for anonymous)
PAGES: list[tuple[str, str | Callable[[], str], str | None]] = [
    ("home", "/", None),
    ("sign-in", "/accounts/login/", None),
    ("password-reset", "/accounts/password/reset/", None),
    ("api-docs", "/api/v1/docs/", None),
    ("home-staff", "/", "staff"),
    ("roster-upload", "/roster/", "staff"),
    ("roster-run-running", roster_run("running"), "staff"),
    ("roster-run-done", roster_run("done"), "staff"),
    ("roster-run-failed", roster_run("failed"), "staff"),
]

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


@pytest.mark.parametrize("viewport", VIEWPORTS)
@pytest.mark.parametrize(("name", "path", "role"), PAGES, ids=[name for name, _, _ in PAGES])
def test_page_is_accessible(new_page, live_server, name, path, role, viewport):
    page = new_page(viewport=viewport)
    if role is not None:
        sign_in_with_cookie(page, live_server, verified_user(FACTORIES[role]))
    if callable(path):
        path = path()

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
