"""The catalogue's panel slots (see ``cte_portal.panels``): what apps above the catalogue add
to its pages, without the catalogue importing them.

- ``PATHWAY_JOIN``: the pathway page's "Join this pathway" box (object: the pathway); when no
  panel answers, the page shows its general advice. ``students`` fills it (enroll buttons).
- ``SECTOR``: the sector page, below its pathways (object: the sector). ``partners`` fills it
  (the sector's industry advisors).
"""

from __future__ import annotations

from cte_portal.panels import declare_slot

PATHWAY_JOIN = declare_slot("pathways.pathway_join")
SECTOR = declare_slot("pathways.sector")
SLOTS = (PATHWAY_JOIN, SECTOR)
