"""Work-based learning: opportunities, applications, placements, hours, evaluations and school
requests. Depends on pathways, partners and students.

Layout (see STYLE.md): models.py, enums.py, services/ (writes), selectors.py (reads),
permissions.py, errors.py (domain errors), tokens.py (signed links), labor.py (child-labor
limits), ical.py (calendars), links.py (page addresses), emails.py (one function per message),
notifications.py (the kinds of message), tasks.py (beat tasks), demo.py (seed_demo).
"""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkbasedConfig(AppConfig):
    name = "workbased"
    verbose_name = _("Work-based learning")

    def ready(self) -> None:
        # Register the workbased kinds before any preference page lists them.
        from . import notifications  # noqa: F401
