"""System checks of the outbox (``manage.py check``; a worker runs them as it starts)."""

from __future__ import annotations

from django.core import checks

from . import journal


@checks.register("notifications")
def journal_folder_writable(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    """The outbox cannot send a message without its delivery journal. A warning, not an
    error: the web process only writes rows, and must start even where it cannot write
    that folder."""
    problem = journal.problem()
    if problem is None:
        return []
    return [
        checks.Warning(
            f"The outbox cannot send: its delivery journal folder cannot be written ({problem}).",
            hint="Set NOTIFICATIONS_JOURNAL_DIR to a folder the worker's user can write, the "
            "same one for every worker and the sweep.",
            id="notifications.W001",
        )
    ]
