"""What the students app does when the catalogue changes (connected in ``StudentsConfig.ready``:
the catalogue below knows nothing of students).

Raising an offering's seats, wherever staff do it (the back office, its inline on the
pathway, the API's ``offering_update``), gives the new seats to the wait list in order,
through the same service and notification as a promotion after a withdrawal.
"""

from __future__ import annotations

from typing import Any

from pathways.models import Offering

from . import services

_SEATS_BEFORE = "_students_seats_before"


def remember_seats(sender: type, instance: Offering, raw: bool = False, **kwargs: Any) -> None:
    """Before an existing offering is saved, note the seats it had (one small query)."""
    if raw or instance.pk is None:
        return
    before = Offering.objects.filter(pk=instance.pk).values_list("seats", flat=True).first()
    setattr(instance, _SEATS_BEFORE, before)


def fill_raised_seats(
    sender: type, instance: Offering, created: bool, raw: bool = False, **kwargs: Any
) -> None:
    """After the save, in its transaction: more seats than before go to the wait list."""
    before = getattr(instance, _SEATS_BEFORE, None)
    if raw or created or before is None:
        return
    delattr(instance, _SEATS_BEFORE)
    if instance.seats > before and services.offering_waitlist_fill(offering_id=instance.pk):
        instance.refresh_from_db(fields=["seats_filled"])  # what the caller shows next
