"""How a partner engages: what it offers per sector, its advisory seats, CTE staff's log of
interactions, and signed agreements with their files."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cte_portal.users.permissions import is_cte_staff

from .. import emails
from ..enums import OfferKind
from ..models import (
    AdvisorySeat,
    Agreement,
    Contact,
    Interaction,
    Offer,
    Organization,
    validate_agreement_file,
)
from .base import PartnerError, one_transaction, validated


@one_transaction
def offers_set(
    *, organization: Organization, offers: Mapping[int, Iterable[str]], actor: Any
) -> list[Offer]:
    """Replace what a partner offers: ``offers`` maps each of its sectors' ids to the kinds
    of offer in that sector. A sector left out keeps nothing; offers that stay keep their
    notes and dates."""
    allowed = set(organization.sectors.values_list("pk", flat=True))
    wanted: set[tuple[int, str]] = set()
    for sector_id, kinds in offers.items():
        if sector_id not in allowed:
            raise PartnerError(_("Offers can only be made in the organization's sectors."))
        for kind in kinds:
            if kind not in OfferKind.values:
                raise PartnerError(_("Unknown kind of offer: %(kind)s") % {"kind": kind})
            wanted.add((sector_id, kind))
    current = {(o.sector_id, o.kind): o for o in Offer.objects.filter(organization=organization)}
    Offer.objects.filter(pk__in=[o.pk for key, o in current.items() if key not in wanted]).delete()
    Offer.objects.bulk_create(
        Offer(organization=organization, sector_id=sector_id, kind=kind)
        for sector_id, kind in sorted(wanted - set(current))
    )
    return list(organization.offers.select_related("sector"))


@one_transaction
def advisory_seat_add(
    *,
    organization: Organization,
    actor: Any,
    sector: Any,
    body: str,
    person_name: str,
    starts_on: date,
    ends_on: date | None = None,
    person_title: str = "",
    contact: Contact | None = None,
    is_chair: bool = False,
    listed: bool = False,
) -> AdvisorySeat:
    """Give a partner's person a seat on a sector's advisory board or industry commission.
    ``listed`` records that they agreed to appear on the sector's public page."""
    if contact is not None and contact.organization_id != organization.pk:
        raise PartnerError(_("Choose one of this organization's contacts."), field="contact")
    seat = AdvisorySeat(
        organization=organization,
        sector=sector,
        body=body,
        person_name=person_name.strip(),
        person_title=person_title.strip(),
        contact=contact,
        is_chair=is_chair,
        starts_on=starts_on,
        ends_on=ends_on,
        listed=listed,
    )
    if ends_on is not None and ends_on < starts_on:
        raise PartnerError(_("The term must end after it starts."), field="ends_on")
    validated(seat)
    seat.save()
    return seat


@one_transaction
def interaction_log(
    *,
    organization: Organization,
    actor: Any,
    occurred_on: date,
    kind: str,
    summary: str,
    next_step: str = "",
    next_step_due: date | None = None,
    owner: Any = None,
) -> Interaction:
    """Log a call, meeting, event or follow-up with a partner, with its next step and who
    owns it. The owner (if someone else) is notified."""
    _check_interaction(
        occurred_on=occurred_on, next_step=next_step, next_step_due=next_step_due, owner=owner
    )
    interaction = Interaction(
        organization=organization,
        occurred_on=occurred_on,
        kind=kind,
        summary=summary.strip(),
        next_step=next_step.strip(),
        next_step_due=next_step_due,
        owner=owner,
        recorded_by=actor if getattr(actor, "pk", None) else None,
    )
    validated(interaction)
    interaction.save()
    emails.next_step_assigned(interaction=interaction)
    return interaction


def _check_interaction(
    *, occurred_on: date, next_step: str, next_step_due: date | None, owner: Any
) -> None:
    if owner is not None and not is_cte_staff(owner):
        raise PartnerError(_("The owner must be a member of the CTE office."), field="owner")
    if occurred_on > timezone.localdate():
        raise PartnerError(_("An interaction cannot be in the future."), field="occurred_on")
    if next_step_due is not None and not next_step.strip():
        raise PartnerError(
            _("Say what the next step is, or leave its date empty."), field="next_step"
        )


@one_transaction
def interaction_update(
    *,
    interaction: Interaction,
    actor: Any,
    occurred_on: date,
    kind: str,
    summary: str,
    next_step: str = "",
    next_step_due: date | None = None,
    owner: Any = None,
) -> Interaction:
    """Correct a logged interaction or move its next step on. A new owner of the next step
    is notified (once per interaction and owner); who logged it stays recorded."""
    _check_interaction(
        occurred_on=occurred_on, next_step=next_step, next_step_due=next_step_due, owner=owner
    )
    interaction = Interaction.objects.select_for_update().get(pk=interaction.pk)
    interaction.occurred_on = occurred_on
    interaction.kind = kind
    interaction.summary = summary.strip()
    interaction.next_step = next_step.strip()
    interaction.next_step_due = next_step_due
    owner_changed = getattr(owner, "pk", None) != interaction.owner_id
    interaction.owner = owner
    validated(interaction)
    interaction.save()
    if owner_changed:
        emails.next_step_assigned(interaction=interaction, by=actor)
    return interaction


@one_transaction
def advisory_seat_end(
    *, seat: AdvisorySeat, actor: Any, ends_on: date | None = None
) -> AdvisorySeat:
    """End a seat's term (today unless told): the member leaves the sector's board or
    commission and its public page. A term that already ended stays as it is."""
    seat = AdvisorySeat.objects.select_for_update().get(pk=seat.pk)
    today = timezone.localdate()
    ends_on = ends_on or today
    if seat.ends_on is not None and seat.ends_on < today:
        raise PartnerError(_("This term has already ended."), conflict=True)
    if ends_on < seat.starts_on:
        raise PartnerError(_("The term must end after it starts."), field="ends_on")
    seat.ends_on = ends_on
    seat.save(update_fields=["ends_on"])
    return seat


@one_transaction
def agreement_add(
    *,
    organization: Organization,
    actor: Any,
    kind: str,
    title: str,
    starts_on: date,
    ends_on: date,
    file: Any,
    notes: str = "",
) -> Agreement:
    """Record a signed agreement with its file (type and size checked, stored under
    MEDIA_ROOT with a random name, downloaded only through the permission-checked page)."""
    try:
        validate_agreement_file(file)
    except ValidationError as exc:
        raise PartnerError(exc.messages[0], field="file") from exc
    if ends_on < starts_on:
        raise PartnerError(_("The agreement must end after it starts."), field="ends_on")
    agreement = Agreement(
        organization=organization,
        kind=kind,
        title=title.strip(),
        starts_on=starts_on,
        ends_on=ends_on,
        file=file,
        notes=notes.strip(),
        created_by=actor if getattr(actor, "pk", None) else None,
    )
    validated(agreement, exclude=("file",))
    agreement.save()
    return agreement


@one_transaction
def agreement_update(
    *,
    agreement: Agreement,
    actor: Any,
    kind: str,
    title: str,
    starts_on: date,
    ends_on: date,
    notes: str = "",
    file: Any = None,
) -> Agreement:
    """Correct an agreement's details, or replace its file (a renewed or corrected copy).
    The replaced file is deleted from storage once the change commits, so no stale copy of a
    confidential document stays behind."""
    if file is not None:
        try:
            validate_agreement_file(file)
        except ValidationError as exc:
            raise PartnerError(exc.messages[0], field="file") from exc
    if ends_on < starts_on:
        raise PartnerError(_("The agreement must end after it starts."), field="ends_on")
    agreement = Agreement.objects.select_for_update().get(pk=agreement.pk)
    agreement.kind = kind
    agreement.title = title.strip()
    agreement.starts_on = starts_on
    agreement.ends_on = ends_on
    agreement.notes = notes.strip()
    validated(agreement, exclude=("file",))
    old_name = agreement.file.name
    if file is not None:
        agreement.file = file
    agreement.save()
    if file is not None and old_name and old_name != agreement.file.name:
        storage = agreement.file.storage
        transaction.on_commit(lambda: storage.delete(old_name))
    return agreement
