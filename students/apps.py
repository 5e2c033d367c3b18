from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StudentsConfig(AppConfig):
    name = "students"
    verbose_name = _("Students and counselors")

    def ready(self) -> None:
        # Register the students' notification kinds before any preference page lists them.
        from . import notifications  # noqa: F401
