"""Every page in a real browser: WCAG 2.1 AA (axe-core), landmarks, phone width, no-JS use.

A feature that adds a page adds it to ``PAGES``; the checks below then run on it at desktop and
phone width, signed in as the role given (or anonymous for None).
"""

from __future__ import annotations

import re
from typing import Any

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

# (name, URL path, role to sign in as or None for anonymous). A path may name objects of the
# page world below as ``{key}``: it is formatted with ``page_world`` before the page opens.
PAGES: list[tuple[str, str, str | None]] = [
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
    # Notifications
    ("notifications", "/notifications/", "employer"),
    ("notification-preferences", "/notifications/preferences/", "employer"),
    ("unsubscribe", "/notifications/unsubscribe/{employer_unsubscribe}/", None),
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


@pytest.fixture
def page_world(transactional_db) -> dict[str, Any]:
    """One signed-in person per role and the objects the pages above show: enough data
    that a page renders its tables, lists and forms, not only its empty state."""
    from cte_portal.notifications.services import unsubscribe_token
    from tests.factories.notifications import NotificationFactory
    from tests.factories.partners import InteractionFactory, OfferFactory, partner_of
    from tests.factories.pathways import full_pathway

    world: dict[str, Any] = {role: verified_user(factory) for role, factory in FACTORIES.items()}
    world["pathway"] = full_pathway(name="Welding Technology")
    world["other_pathway"] = full_pathway(name="Culinary Arts")
    world["school"] = world["pathway"].offerings.first().school
    org = partner_of(world["employer"], name="Harbor Shipyards")
    OfferFactory(organization=org, sector=world["pathway"].sector)
    InteractionFactory(organization=org)
    world["employer_org"] = org
    NotificationFactory(user=world["employer"])
    world["employer_unsubscribe"] = unsubscribe_token(
        user_id=world["employer"].pk, kind="announcement"
    )
    return world


@pytest.mark.parametrize("viewport", VIEWPORTS)
@pytest.mark.parametrize(("name", "path", "role"), PAGES, ids=[name for name, _, _ in PAGES])
def test_page_is_accessible(new_page, live_server, page_world, name, path, role, viewport):
    page = new_page(viewport=viewport)
    if role is not None:
        sign_in_with_cookie(page, live_server, page_world[role])
    path = path.format(**page_world)

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
