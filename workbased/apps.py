from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkbasedConfig(AppConfig):
    name = "workbased"
    verbose_name = _("Work-based learning")
