from django.apps import AppConfig


class CTEPortalConfig(AppConfig):
    name = "cte_portal"
    verbose_name = "CTE Portal"
