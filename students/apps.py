from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StudentsConfig(AppConfig):
    name = "students"
    verbose_name = _("Students and counselors")

    def ready(self) -> None:
        from cte_portal.api.me import register_section
        from cte_portal.panels import register_panel
        from pathways.panels import PATHWAY_JOIN

        # Register the students' notification kinds before any preference page lists them.
        from . import notifications  # noqa: F401
        from .api.serializers import MyCaseloadSerializer, MyRecordSerializer
        from .panels import enroll_panel

        # The pathway page's "Join this pathway" box shows a student's enroll buttons
        # (cte_portal.panels: the catalogue knows nothing of students).
        register_panel(PATHWAY_JOIN, enroll_panel)
        # /api/v1/me/ tells a student their record in short, a counselor their schools.
        register_section("student", MyRecordSerializer)
        register_section("counselor", MyCaseloadSerializer)
