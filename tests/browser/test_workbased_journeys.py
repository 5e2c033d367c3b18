"""Work-based learning in a real browser, beyond the ``PAGES`` checks: the pages a broken
signed link leads to (status 400, so not in ``PAGES``) meet WCAG 2.1 AA too, and the guardian's
consent and a student's application work without JavaScript."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser import workbased_world
from tests.browser.conftest import DESKTOP, PHONE, assert_no_axe_violations, sign_in_with_cookie
from tests.browser.test_accessibility import verified_user
from tests.factories.users import StudentUserFactory

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
@pytest.mark.parametrize(
    "path",
    [
        "/opportunities/consent/not-a-token/",
        "/opportunities/hours/review/not-a-token/",
        "/opportunities/calendar/not-a-token.ics",
    ],
)
def test_a_broken_link_page_is_accessible(new_page, live_server, transactional_db, path, viewport):
    page = new_page(viewport=viewport)

    response = page.goto(live_server.url + path)

    assert response.status == 400
    expect(page.locator("h1")).to_have_text("This link does not work")
    assert_no_axe_violations(page)


def test_the_guardian_consents_without_javascript(new_page, live_server, transactional_db):
    path = workbased_world.consent_page()
    page = new_page(java_script_enabled=False, bypass_csp=False)

    page.goto(live_server.url + path)
    page.get_by_role("button", name="I consent: Amara Okafor may take part").click()

    page.wait_for_load_state()
    expect(page.locator("main")).to_contain_text("Thank you: you consented")
    from workbased.models import GuardianConsent

    assert GuardianConsent.objects.get().answer == "consented"


def test_a_student_applies_without_javascript(new_page, live_server, transactional_db):
    student = verified_user(StudentUserFactory, email="nojs.student@example.org")
    ids = workbased_world.build(student)
    page = new_page(java_script_enabled=False, bypass_csp=False)
    sign_in_with_cookie(page, live_server, student)

    page.goto(f"{live_server.url}/opportunities/{ids['open_opportunity']}/")
    page.get_by_label("Why you are applying and what you hope to learn").fill("I like nursing.")
    page.get_by_role("button", name="Send my application").click()

    page.wait_for_load_state()
    assert page.url == live_server.url + "/opportunities/mine/"
    expect(page.locator("main")).to_contain_text("Shadow a nurse for a morning")
