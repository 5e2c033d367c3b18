"""Industry partners: organizations, contacts, sign-up, offers, advisory seats, interactions and
agreements. Depends on pathways.

Layout (see STYLE.md): models.py, enums.py, services/ (writes), selectors.py (reads),
permissions.py, forms.py / views/ / urls.py (pages), api/ (REST), emails.py (one function per
message), notifications.py (the kinds of message), tokens.py (signed links).
"""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PartnersConfig(AppConfig):
    name = "partners"
    verbose_name = _("Industry partners")

    def ready(self) -> None:
        from cte_portal.panels import register_panel
        from pathways.panels import SECTOR

        # Register the partners' notification kinds before any preference page lists them.
        from . import notifications  # noqa: F401
        from .panels import sector_advisory_panel

        # A sector page lists the sector's industry advisors (cte_portal.panels: the catalogue
        # knows nothing of partners).
        register_panel(SECTOR, sector_advisory_panel)
