"""Extension point of the pathway page: what apps above the catalogue add to its "Join this
pathway" box, without the catalogue importing them.

Apps depend one way (``pathways`` <- ``students``), yet the pathway page must show a signed-in
student the offerings they may request. So ``pathways`` owns this small registry and knows
nothing of who fills it: ``students`` registers its panel from ``StudentsConfig.ready()``;
``pathway_detail`` renders whatever is registered. A panel takes the request and the pathway
and returns HTML, or "" when it has nothing for this person (the page then shows its
general advice). Without any registered app the page works exactly as before.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from django.http import HttpRequest
from django.utils.safestring import SafeString

if TYPE_CHECKING:
    from .models import Pathway

JoinPanel = Callable[[HttpRequest, "Pathway"], str]

_join_panels: list[JoinPanel] = []


def register_join_panel(panel: JoinPanel) -> JoinPanel:
    """Add a panel to every pathway page's "Join this pathway" box (once, however often)."""
    if panel not in _join_panels:
        _join_panels.append(panel)
    return panel


def join_panels(request: HttpRequest, pathway: Pathway) -> list[SafeString]:
    """The registered panels' HTML for this person and pathway, the empty ones left out."""
    rendered = (panel(request, pathway) for panel in _join_panels)
    return [SafeString(html) for html in rendered if html and html.strip()]
