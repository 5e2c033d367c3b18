"""Browser fixtures: Debian's Chromium driven by Playwright against pytest-django's live server.

Nothing is downloaded: Playwright's driver ships in its wheel, the browser is the system's
``/usr/bin/chromium`` and axe-core comes from npm (``node_modules/axe-core``). Without Chromium
every browser test is skipped with the reason.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

# Playwright's sync API runs an asyncio loop in this thread (inside a greenlet). From the moment
# it starts until it stops, asyncio reports that loop as running here, so Django's async-safety
# check would refuse every ORM call the tests make (factories, force_login, the transactional
# flush) with SynchronousOnlyOperation. The calls are plain synchronous code, so the check is
# lifted. It has to be process-wide: the browser fixture is session-scoped, so the loop stays
# registered while the rest of the suite (which runs after tests/browser) uses the database.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = Path("/usr/bin/chromium")
AXE_JS = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    # No network here: without these Chromium keeps trying to reach Google's services.
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
# The WCAG 2.0 and 2.1 A and AA rules: what the portal promises.
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 375, "height": 740}
TIMEOUT_MS = 10_000


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Every test under tests/browser is a browser test, so ``-m "not browser"`` skips them."""
    here = Path(__file__).resolve().parent
    for item in items:
        if here in Path(str(item.path)).resolve().parents:
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    if not CHROMIUM.exists():
        pytest.skip("no Chromium: apt-get install chromium")
    sync_api = pytest.importorskip(
        "playwright.sync_api", reason="no Playwright: pip install -e .[dev]"
    )
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture
def new_page(browser, live_server) -> Iterator[Callable[..., Any]]:
    """Open a page in a fresh browser context (own cookies); keyword arguments go to the context.

    ``bypass_csp`` is on by default so axe can be injected: the portal's CSP is
    ``script-src 'self'`` and axe arrives as an injected script.
    """
    contexts = []

    def make(**context_options: Any) -> Any:
        options = {"viewport": DESKTOP, "bypass_csp": True, "locale": "en-US"}
        options.update(context_options)
        context = browser.new_context(**options)
        context.set_default_timeout(TIMEOUT_MS)
        contexts.append(context)
        return context.new_page()

    yield make
    for context in contexts:
        context.close()
    _wait_for_server_requests(live_server)


def _wait_for_server_requests(live_server: Any, timeout: float = 5.0) -> None:
    """Let requests still running in the live server finish before the database is flushed.

    A test that fails mid-page can leave one running (Swagger UI fetching the schema, a form
    post): its queries would then deadlock with the flush's TRUNCATE.
    """
    threads = getattr(getattr(live_server.thread, "httpd", None), "_threads", None)
    if not isinstance(threads, list):
        return
    deadline = time.monotonic() + timeout
    for thread in list(threads):
        thread.join(max(0.0, deadline - time.monotonic()))


@pytest.fixture
def page(new_page) -> Any:
    return new_page()


def sign_in_with_cookie(page: Any, live_server: Any, user: Any) -> None:
    """Sign the page's context in as ``user`` without going through the form."""
    from django.conf import settings
    from django.test import Client

    client = Client()
    client.force_login(user)
    session_key = client.cookies[settings.SESSION_COOKIE_NAME].value
    page.context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": session_key, "url": live_server.url}]
    )


def run_axe(page: Any, *, exclude: list[list[str]] | None = None) -> list[dict[str, Any]]:
    """Run axe-core's WCAG 2.0/2.1 A and AA rules on the page; return its violations.

    ``exclude`` lists selectors axe must skip: only for third-party markup we cannot change,
    and each use must say why.
    """
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE_JS))
    context = {"include": [["html"]], "exclude": exclude} if exclude else None
    return page.evaluate(
        """async ([context, tags]) => {
            const results = await axe.run(context || document, {
                runOnly: {type: "tag", values: tags},
                resultTypes: ["violations"],
            });
            return results.violations.map((v) => ({
                id: v.id,
                impact: v.impact,
                help: v.help,
                helpUrl: v.helpUrl,
                tags: v.tags,
                nodes: v.nodes.map((n) => ({target: n.target, summary: n.failureSummary})),
            }));
        }""",
        [context, AXE_TAGS],
    )


def format_violations(violations: list[dict[str, Any]]) -> str:
    """One block per violation: its id, what it means and every offending element."""
    lines = []
    for violation in violations:
        lines.append(f"{violation['id']} ({violation['impact']}): {violation['help']}")
        lines.append(f"  {violation['helpUrl']}")
        for node in violation["nodes"]:
            lines.append(f"  - {node['target']}")
            for detail in (node["summary"] or "").splitlines():
                lines.append(f"      {detail}")
    return "\n".join(lines)


def assert_no_axe_violations(page: Any, *, exclude: list[list[str]] | None = None) -> None:
    violations = run_axe(page, exclude=exclude)
    assert not violations, (
        f"axe found {len(violations)} WCAG violation(s) on {page.url}:\n"
        + format_violations(violations)
    )
