"""The Celery app. Configured from Django settings (``CELERY_`` namespace).

Without ``CELERY_BROKER_URL`` tasks run in-process (eager), so ``make run`` needs no Redis.
"""

from __future__ import annotations

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cte_portal.settings")

app = Celery("cte_portal")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
