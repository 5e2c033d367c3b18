"""Panels: how an app adds a piece of a page owned by an app below it, without that app
importing it.

Apps depend one way (``pathways`` <- ``partners``, ``students`` <- ``workbased``), yet a page
of a lower app must sometimes show what a higher one knows: the pathway page a student's
enroll buttons, the employer dashboard their opportunities, the student dashboard their work-
based learning. So the app that owns a page declares a named *slot* for it
(``partners.panels.EMPLOYER_DASHBOARD = declare_slot("partners.employer_dashboard")``),
its view renders ``panels_for(slot, request, obj)``, and the higher apps fill the slot from
their ``AppConfig.ready()`` with ``register_panel(slot, panel)``. The owner knows nothing of
who fills its slots; without any panel registered its pages work exactly as before.

A panel takes the request and the page's object (or None) and returns HTML, or "" when it
has nothing for this person. Each slot's owner documents what object its pages pass.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.http import HttpRequest
from django.utils.safestring import SafeString

Panel = Callable[[HttpRequest, Any], str]

_panels: dict[str, list[Panel]] = {}


def declare_slot(name: str) -> str:
    """Declare a slot (once per name; declaring it again keeps what is registered) and
    return its name, for the owner's module to export as a constant."""
    _panels.setdefault(name, [])
    return name


def slots() -> tuple[str, ...]:
    return tuple(_panels)


def register_panel(slot: str, panel: Panel) -> Panel:
    """Add ``panel`` to every page of ``slot`` (once, however often it is registered)."""
    if slot not in _panels:
        raise ValueError(f"Unknown panel slot {slot!r}: one of {', '.join(_panels)}")
    if panel not in _panels[slot]:
        _panels[slot].append(panel)
    return panel


def panels_for(slot: str, request: HttpRequest, obj: Any = None) -> list[SafeString]:
    """The HTML the registered panels give for this person and object, empty ones left out."""
    if slot not in _panels:
        raise ValueError(f"Unknown panel slot {slot!r}")
    rendered = (panel(request, obj) for panel in _panels[slot])
    return [SafeString(html) for html in rendered if html and html.strip()]
