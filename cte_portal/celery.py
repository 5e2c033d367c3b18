"""The Celery app. Configured from Django settings (``CELERY_`` namespace).

Without ``CELERY_BROKER_URL`` tasks run in-process (eager), so ``make run`` needs no Redis.
"""

from __future__ import annotations

import os

from celery import Celery, signals

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cte_portal.settings")

app = Celery("cte_portal")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@signals.task_prerun.connect
@signals.task_postrun.connect
def close_old_database_connections(sender=None, **kwargs) -> None:
    """A worker keeps its database connection from task to task, as a web process keeps it
    from request to request: closed when unusable or older than ``CONN_MAX_AGE``.

    Celery's own Django fixup closes every connection before and after each task unless
    ``CELERY_DB_REUSE_MAX`` is set (settings.py sets it): a new PostgreSQL session (a
    server process forked, authentication) per batch of notifications. Not for an eager
    task: it runs inside the caller's request and transaction.
    """
    if sender is not None and getattr(sender.request, "is_eager", False):
        return
    from django.db import close_old_connections

    close_old_connections()


@signals.worker_ready.connect
def report_an_unwritable_journal(**kwargs) -> None:
    """A worker that cannot write the outbox's delivery journal fails every batch: say so
    once, loudly, as it starts (the system check ``manage.py check`` runs)."""
    import logging

    from cte_portal.notifications.checks import journal_folder_writable

    for message in journal_folder_writable():
        logging.getLogger("cte_portal.notifications").error("%s %s", message.msg, message.hint)
