"""Reminders before a session, sent by a daily Celery beat task (``workbased.tasks``).

Every session of a published (or closed) opportunity that starts within the next
``WORKBASED_REMINDER_DAYS_AHEAD`` days (two: the task running on Monday picks Wednesday's
sessions, and any later today or tomorrow that were added since and never reminded) gets one
reminder: to the accepted students, the host, and for a visit a school asked for, the
counselor who asked. A placement is reminded of its first session only: after the first day
the student knows the schedule. Each session is marked when its reminder is written, in the
same transaction, so running the task again sends nothing more.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta

from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from .. import conf, emails
from ..enums import HAPPENING_STATUSES, PLACEMENT_KINDS, ApplicationStatus
from ..models import Application, OpportunitySession


def sessions_due(*, now: datetime | None = None) -> list[int]:
    """Ids of the sessions whose reminder is due and not yet written."""
    now = now or timezone.now()
    days = int(conf.get("WORKBASED_REMINDER_DAYS_AHEAD"))
    last_day = timezone.localtime(now).date() + timedelta(days=days)
    until = timezone.make_aware(datetime.combine(last_day + timedelta(days=1), time.min))
    due = OpportunitySession.objects.filter(
        reminder_sent_at__isnull=True,
        starts_at__gt=now,
        starts_at__lt=until,
        opportunity__status__in=HAPPENING_STATUSES,
    )
    earlier = OpportunitySession.objects.filter(
        opportunity_id=OuterRef("opportunity_id"), starts_at__lt=OuterRef("starts_at")
    )
    # For a placement, only its first session.
    due = due.exclude(Q(opportunity__kind__in=PLACEMENT_KINDS) & Exists(earlier))
    return list(due.order_by("starts_at", "pk").values_list("pk", flat=True))


def session_reminders_send(*, now: datetime | None = None) -> int:
    """Write the due reminders (one transaction per session). Returns how many sessions."""
    sent = 0
    for pk in sessions_due(now=now):
        with transaction.atomic():
            session = (
                OpportunitySession.objects.select_for_update(of=("self",), skip_locked=True)
                .select_related("opportunity__host__user", "opportunity__organization")
                .filter(pk=pk, reminder_sent_at__isnull=True)
                .first()
            )
            if session is None:  # another run took it
                continue
            opportunity = session.opportunity
            students = [
                a.student.user
                for a in Application.objects.filter(
                    opportunity=opportunity, status=ApplicationStatus.ACCEPTED
                )
                .select_related("student__user")
                .order_by("pk")
            ]
            hosts = [opportunity.host.user] if opportunity.host else []
            request = getattr(opportunity, "school_request", None)
            if request is not None and request.requested_by is not None:
                hosts.append(request.requested_by)
            emails.session_reminder(session=session, students=students, hosts=hosts)
            session.reminder_sent_at = timezone.now()
            session.save(update_fields=["reminder_sent_at"])
            sent += 1
    return sent
