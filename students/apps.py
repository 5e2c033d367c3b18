from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StudentsConfig(AppConfig):
    name = "students"
    verbose_name = _("Students and counselors")

    def ready(self) -> None:
        from django.db.models.signals import post_save, pre_save

        from cte_portal.api.me import register_section
        from cte_portal.panels import register_panel
        from pathways.models import Offering
        from pathways.panels import PATHWAY_JOIN

        # Register the students' notification kinds before any preference page lists them.
        from . import notifications  # noqa: F401
        from .api.serializers import MyCaseloadSerializer, MyRecordSerializer
        from .panels import enroll_panel
        from .receivers import fill_raised_seats, remember_seats

        # The pathway page's "Join this pathway" box shows a student's enroll buttons
        # (cte_portal.panels: the catalogue knows nothing of students).
        register_panel(PATHWAY_JOIN, enroll_panel)
        # /api/v1/me/ tells a student their record in short, a counselor their schools.
        register_section("student", MyRecordSerializer)
        register_section("counselor", MyCaseloadSerializer)
        # Seats raised in the catalogue (back office or API) go to the wait list in order.
        pre_save.connect(remember_seats, sender=Offering, dispatch_uid="students.remember_seats")
        post_save.connect(
            fill_raised_seats, sender=Offering, dispatch_uid="students.fill_raised_seats"
        )
