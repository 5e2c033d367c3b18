"""The CTE Portal project package: settings, URLs, the Celery app and the cross-cutting
pieces every domain app uses (users and roles under ``cte_portal.users``)."""

from .celery import app as celery_app

__all__ = ("celery_app",)
