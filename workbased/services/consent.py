"""A guardian's consent, by a signed link and without an account.

The guardian is asked when the student applies (``application_submit``). The e-mail carries a
signed link to a page that shows what the student applied for, with two buttons: consent or
refuse. The answer is kept with its time and the address and browser it came from. Answering
again the same way changes nothing (a second click, a reloaded page); answering the other way
is refused (the CTE office can help). A tampered, expired or replaced link is refused. A
refusal withdraws the application; either answer tells the student.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_ipv46_address
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from .. import emails, permissions, tokens
from ..enums import ACTIVE_APPLICATION_STATUSES, ConsentState, GuardianAnswer, OpportunityStatus
from ..errors import ConsentError
from ..models import Application, GuardianConsent
from .applications import consent_details, lock, refuse_by_guardian
from .base import one_transaction, require


def consent_for_token(token: str) -> GuardianConsent:
    """The consent a link stands for, with what the page shows (TokenInvalid/TokenExpired
    if the link was tampered with, is too old, or a newer link replaced it)."""
    claim = tokens.read_consent_token(token)
    consent = (
        GuardianConsent.objects.select_related(
            "application__opportunity__organization",
            "application__student__user",
            "application__student__school",
        )
        .filter(pk=claim.pk)
        .first()
    )
    if consent is None or str(consent.nonce) != claim.check:
        raise tokens.TokenInvalid(
            _("This link was replaced by a newer one. Use the latest e-mail you received.")
        )
    return consent


def _clean_ip(ip: Any) -> str | None:
    try:
        validate_ipv46_address(ip)
    except ValidationError:
        return None
    return ip


@one_transaction
def consent_answer(
    *, token: str, consent: bool, ip: str | None = None, user_agent: str = ""
) -> GuardianConsent:
    """Record the guardian's answer from the link. Idempotent for the same answer."""
    record = consent_for_token(token)
    application, _opportunity = lock(record.application_id)
    record = GuardianConsent.objects.select_for_update().get(pk=record.pk)
    record.application = application
    answer = GuardianAnswer.CONSENTED if consent else GuardianAnswer.REFUSED
    if record.answer == answer:
        return record
    if record.answer != GuardianAnswer.PENDING:
        raise ConsentError(
            _(
                "You already answered on %(day)s (%(answer)s). To change your answer, contact "
                "the school's counselor or the CTE office."
            )
            % {
                "day": formats.date_format(timezone.localtime(record.answered_at), "DATE_FORMAT"),
                "answer": record.get_answer_display().lower(),
            },
            conflict=True,
        )
    if (
        application.status not in ACTIVE_APPLICATION_STATUSES
        or application.opportunity.status == OpportunityStatus.CANCELLED
    ):
        raise ConsentError(
            _("This application is no longer active: there is nothing to answer."),
            conflict=True,
        )
    record.answer = answer
    record.answered_at = timezone.now()
    record.answered_ip = _clean_ip(ip)
    record.answered_user_agent = (user_agent or "")[:300]
    record.save()
    application.guardian_consent = ConsentState.GIVEN if consent else ConsentState.REFUSED
    application.save(update_fields=["guardian_consent"])
    if not consent:
        refuse_by_guardian(record)
    emails.consent_answered(consent=record)
    return record


@one_transaction
def consent_resend(*, application: Application, by: Any) -> GuardianConsent:
    """Ask the guardian again (the link expired, or the guardian's address was corrected on
    the student's record). Earlier links stop working."""
    application, _opportunity = lock(application.pk)
    require(permissions.can_request_consent(by, application))
    record = GuardianConsent.objects.select_for_update().filter(application=application).first()
    if record is None or application.guardian_consent == ConsentState.NOT_NEEDED:
        raise ConsentError(_("This application needs no guardian's consent."), conflict=True)
    if record.answer != GuardianAnswer.PENDING:
        raise ConsentError(_("The guardian has already answered."), conflict=True)
    if application.status not in ACTIVE_APPLICATION_STATUSES:
        raise ConsentError(_("This application is no longer active."), conflict=True)
    student = application.student
    if not student.guardian_email:
        raise ConsentError(
            _("The student's record has no guardian e-mail: the counselor can add it.")
        )
    record.guardian_email = student.guardian_email.strip().lower()
    record.guardian_name = student.guardian_name
    record.language = student.preferred_language or "en"
    record.details = consent_details(application.opportunity)
    record.nonce = uuid.uuid4()
    record.requested_at = timezone.now()
    record.times_requested += 1
    record.save()
    record.application = application
    emails.consent_request(consent=record)
    return record
