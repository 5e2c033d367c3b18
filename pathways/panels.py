"""Extension points of the catalogue's pages: what apps above the catalogue add to a page,
without the catalogue importing them.

Apps depend one way (``pathways`` <- ``partners``, ``students``), yet the pathway page must
show a signed-in student the offerings they may request, and a sector page the industry
advisors of that sector. So ``pathways`` owns this small registry of *slots* and knows
nothing of who fills them: each app registers its panels from its ``AppConfig.ready()``,
and the catalogue's views render whatever is registered for their slot. A panel takes the
request and the page's object and returns HTML, or "" when it has nothing for this person.
Without any registered app the pages work exactly as before.

Slots:
- ``PATHWAY_JOIN``: the pathway page's "Join this pathway" box (object: the pathway);
  when no panel answers, the page shows its general advice.
- ``SECTOR``: the sector page, below its pathways (object: the sector).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.http import HttpRequest
from django.utils.safestring import SafeString

Panel = Callable[[HttpRequest, Any], str]

PATHWAY_JOIN = "pathway_join"
SECTOR = "sector"
SLOTS = (PATHWAY_JOIN, SECTOR)

_panels: dict[str, list[Panel]] = {slot: [] for slot in SLOTS}


def register_panel(slot: str, panel: Panel) -> Panel:
    """Add ``panel`` to every page of ``slot`` (once, however often it is registered)."""
    if slot not in _panels:
        raise ValueError(f"Unknown panel slot {slot!r}: one of {', '.join(SLOTS)}")
    if panel not in _panels[slot]:
        _panels[slot].append(panel)
    return panel


def panels_for(slot: str, request: HttpRequest, obj: Any) -> list[SafeString]:
    """The HTML the registered panels give for this person and object, empty ones left out."""
    rendered = (panel(request, obj) for panel in _panels[slot])
    return [SafeString(html) for html in rendered if html and html.strip()]
