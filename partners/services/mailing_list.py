"""The CTE mailing list (seed 004: "Join the CTE Mailing List"), for anyone, no account.

    subscribe ──► PENDING (confirmation e-mailed) ──signed link──► CONFIRMED (welcome e-mail
    with the one-click unsubscribe link) ──unsubscribe link──► UNSUBSCRIBED

Double opt-in: an address receives nothing but its confirmation until its owner confirms.
"""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from .. import emails, tokens
from ..enums import SubscriberStatus
from ..models import MailingListSubscriber
from .base import one_transaction

# A person (or a prankster) subscribing the same address again and again gets one
# confirmation e-mail per this many minutes.
RESEND_AFTER = timedelta(minutes=10)


@one_transaction
def mailing_list_subscribe(
    *, email: str, full_name: str = "", language: str = "en"
) -> MailingListSubscriber:
    """Ask to join the list: e-mails a confirmation link (nothing else) to the address.

    Already subscribed: nothing is sent. The page says the same whatever happened, so it
    does not reveal who is on the list.
    """
    email = email.strip().lower()
    subscriber, created = MailingListSubscriber.objects.select_for_update().get_or_create(
        email=email, defaults={"full_name": full_name.strip(), "language": language}
    )
    if subscriber.status == SubscriberStatus.CONFIRMED:
        return subscriber
    now = timezone.now()
    recently = (
        subscriber.confirmation_sent_at and now - subscriber.confirmation_sent_at < RESEND_AFTER
    )
    if not created and recently and subscriber.status == SubscriberStatus.PENDING:
        return subscriber
    subscriber.status = SubscriberStatus.PENDING
    subscriber.full_name = full_name.strip() or subscriber.full_name
    subscriber.language = language
    subscriber.confirmation_sent_at = now
    subscriber.save()
    emails.mailing_list_confirmation(subscriber=subscriber)
    return subscriber


def _subscriber(claim: tokens.Claim) -> MailingListSubscriber:
    subscriber = MailingListSubscriber.objects.select_for_update().filter(pk=claim.pk).first()
    if subscriber is None or subscriber.email != claim.email:
        raise tokens.TokenInvalid("No such subscriber.")
    return subscriber


@one_transaction
def mailing_list_confirm(*, token: str) -> MailingListSubscriber:
    """The owner of the address followed the confirmation link: they are on the list.
    Confirming again changes nothing; an unsubscribed address must subscribe again."""
    subscriber = _subscriber(tokens.read_list_confirm_token(token))
    if subscriber.status == SubscriberStatus.PENDING:
        subscriber.status = SubscriberStatus.CONFIRMED
        subscriber.confirmed_at = timezone.now()
        subscriber.unsubscribed_at = None
        subscriber.save(update_fields=["status", "confirmed_at", "unsubscribed_at"])
        emails.mailing_list_welcome(subscriber=subscriber)
    return subscriber


@one_transaction
def mailing_list_unsubscribe(*, token: str) -> MailingListSubscriber:
    """One click from any list e-mail, no login: off the list. Doing it twice is harmless."""
    subscriber = _subscriber(tokens.read_list_unsubscribe_token(token))
    if subscriber.status != SubscriberStatus.UNSUBSCRIBED:
        subscriber.status = SubscriberStatus.UNSUBSCRIBED
        subscriber.unsubscribed_at = timezone.now()
        subscriber.save(update_fields=["status", "unsubscribed_at"])
    return subscriber
