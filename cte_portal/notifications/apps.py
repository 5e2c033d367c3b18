from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "cte_portal.notifications"
    label = "notifications"
    verbose_name = _("Notifications")

    def ready(self) -> None:
        from django.core import checks

        from . import journal

        @checks.register("notifications")
        def journal_folder_writable(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
            """``manage.py check`` (and a worker as it starts, cte_portal/celery.py): the
            outbox cannot send a message without its delivery journal. A warning, not an
            error: the web process only writes rows, and must start even where it cannot
            write that folder."""
            problem = journal.problem()
            if problem is None:
                return []
            return [
                checks.Warning(
                    f"The outbox's delivery journal folder cannot be written ({problem}).",
                    hint="Set NOTIFICATIONS_JOURNAL_DIR to a folder the worker's user can "
                    "write, the same one for every worker and the sweep.",
                    id="notifications.W001",
                )
            ]
