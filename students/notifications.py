"""The students app's kinds of notification (templates under templates/emails/<key>/)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from cte_portal.notifications.kinds import Kind, register

ENROLLMENT_DECIDED = register(
    Kind("enrollment_decided", _("Decisions on my pathway requests"), unsubscribe_link=False)
)
