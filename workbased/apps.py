"""Work-based learning: opportunities, applications, placements, hours, evaluations and school
requests. Depends on pathways, partners and students.

Layout (see STYLE.md): models.py, enums.py, services/ (writes), selectors.py (reads),
permissions.py, errors.py (domain errors), tokens.py (signed links), labor.py (child-labor
limits), ical.py (calendars), links.py (page addresses), forms.py / views/ / urls.py (pages),
panels.py (what it adds to other apps' pages), emails.py (one function per message),
notifications.py (the kinds of message), tasks.py (beat tasks), demo.py (seed_demo).
"""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkbasedConfig(AppConfig):
    name = "workbased"
    verbose_name = _("Work-based learning")

    def ready(self) -> None:
        from cte_portal.panels import register_panel
        from partners.panels import EMPLOYER_DASHBOARD
        from students.panels import STUDENT_DASHBOARD

        # Register the workbased kinds before any preference page lists them.
        from . import notifications  # noqa: F401
        from .panels import employer_dashboard_panel, student_dashboard_panel

        # The student's and the employer's dashboards show their work-based learning
        # (cte_portal.panels: students and partners know nothing of workbased).
        register_panel(STUDENT_DASHBOARD, student_dashboard_panel)
        register_panel(EMPLOYER_DASHBOARD, employer_dashboard_panel)
