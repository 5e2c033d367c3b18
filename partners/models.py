"""Industry partners: organizations and their contacts, what each offers per sector, advisory
seats, the staff's log of interactions, agreements, and the public mailing list.

The rules the database keeps itself: one organization per normalized name and website domain
(a second sign-up of the same organization is routed to staff, never created twice), one
primary contact per organization, one person in one organization, terms and agreements that
end after they start.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date, timedelta
from pathlib import PurePath
from urllib.parse import urlsplit
from uuid import uuid4

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.db.models.fields.files import FieldFile
from django.template.defaultfilters import filesizeformat
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from . import conf
from .enums import (
    AdvisoryBody,
    AgreementKind,
    BackgroundCheck,
    ContactStatus,
    InteractionKind,
    OfferKind,
    OrganizationKind,
    OrganizationSize,
    OrganizationStatus,
    SubscriberStatus,
)

# Words that do not tell two organizations apart: "Acme, Inc." is "The Acme Company".
_LEGAL_WORDS = {
    "the",
    "inc",
    "incorporated",
    "llc",
    "llp",
    "lp",
    "ltd",
    "limited",
    "corp",
    "corporation",
    "co",
    "company",
    "pllc",
    "pc",
}


def normalize_organization_name(name: str) -> str:
    """The name as duplicates are compared: no accents, case, punctuation or legal form.

    "The Acme Company, Inc." and "ACME co" are both "acme"; "Ñandú & Sons" is "nandu and sons".
    """
    text = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().casefold()
    text = text.replace("&", " and ")
    words = re.findall(r"[a-z0-9]+", text)
    kept = [w for w in words if w not in _LEGAL_WORDS]
    return " ".join(kept or words)[:200]


def website_domain(url: str) -> str:
    """The host of a website without ``www.``: "https://WWW.Acme.com/jobs" is "acme.com"."""
    url = (url or "").strip()
    if not url:
        return ""
    if "://" not in url:
        url = f"http://{url}"
    try:
        host = urlsplit(url).hostname or ""
    except ValueError:
        return ""
    host = host.lower().rstrip(".")
    return host.removeprefix("www.")[:253]


# --- Agreement files -----------------------------------------------------------------------------

# Each accepted type: its extensions and the bytes its files start with.
AGREEMENT_FILE_TYPES: dict[str, tuple[tuple[str, ...], tuple[bytes, ...]]] = {
    "PDF": ((".pdf",), (b"%PDF-",)),
    "Word": ((".docx",), (b"PK\x03\x04",)),
    "OpenDocument": ((".odt",), (b"PK\x03\x04",)),
    "PNG": ((".png",), (b"\x89PNG\r\n\x1a\n",)),
    "JPEG": ((".jpg", ".jpeg"), (b"\xff\xd8\xff",)),
}
AGREEMENT_EXTENSIONS = tuple(ext for exts, _magic in AGREEMENT_FILE_TYPES.values() for ext in exts)


def validate_agreement_file(upload: object) -> None:
    """An agreement's file: a PDF, Word, OpenDocument or image file, small enough.

    The extension must match the content: a renamed executable is refused. Only new uploads
    are read (an already stored file was checked when it came in).
    """
    if isinstance(upload, FieldFile) and upload._committed:
        return  # a stored file, checked when it came in
    name = PurePath(getattr(upload, "name", "") or "").name
    extension = PurePath(name).suffix.lower()
    size = getattr(upload, "size", 0) or 0
    limit = conf.get("PARTNERS_AGREEMENT_MAX_BYTES")
    if size > limit:
        raise ValidationError(
            _("The file is %(size)s; the largest accepted is %(limit)s."),
            code="file_too_large",
            params={"size": filesizeformat(size), "limit": filesizeformat(limit)},
        )
    if size == 0:
        raise ValidationError(_("The file is empty."), code="file_empty")
    matching = [
        magic for exts, magic in AGREEMENT_FILE_TYPES.values() if extension and extension in exts
    ]
    if not matching:
        raise ValidationError(
            _("Upload a PDF, Word (.docx), OpenDocument (.odt), PNG or JPEG file."),
            code="file_type",
        )
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    if not any(head.startswith(m) for m in matching[0]):
        raise ValidationError(
            _("The file's content does not match its %(extension)s extension."),
            code="file_content",
            params={"extension": extension},
        )


def agreement_upload_to(instance: Agreement, filename: str) -> str:
    # A random name: a file's address never reveals the partner or the agreement's title.
    extension = PurePath(filename).suffix.lower()
    return f"partners/agreements/{timezone.now():%Y/%m}/{uuid4().hex}{extension}"


# --- Organizations and their people --------------------------------------------------------------


class Organization(models.Model):
    """An industry partner: an employer, a nonprofit, an agency, a college, a union..."""

    name = models.CharField(_("name"), max_length=200)
    normalized_name = models.CharField(max_length=200, editable=False, db_index=True)
    kind = models.CharField(_("kind"), max_length=16, choices=OrganizationKind.choices)
    size = models.CharField(_("size"), max_length=8, choices=OrganizationSize.choices)
    sectors = models.ManyToManyField(
        "pathways.Sector",
        verbose_name=_("sectors it works in"),
        related_name="partner_organizations",
        blank=True,
    )
    website = models.URLField(_("website"), max_length=300, blank=True)
    website_domain = models.CharField(max_length=253, editable=False, blank=True)
    street_address = models.CharField(_("street address"), max_length=200, blank=True)
    city = models.CharField(_("city"), max_length=100, blank=True)
    state = models.CharField(_("state"), max_length=40, blank=True)
    postal_code = models.CharField(_("ZIP code"), max_length=10, blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    description = models.TextField(_("about the organization"), blank=True)

    status = models.CharField(
        _("status"),
        max_length=16,
        choices=OrganizationStatus.choices,
        default=OrganizationStatus.PENDING,
    )
    status_changed_at = models.DateTimeField(_("status changed"), null=True, blank=True)
    status_changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("status changed by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    decision_reason = models.TextField(_("reason"), blank=True)
    # When the first contact confirmed their e-mail: from then on the sign-up is in the queue.
    submitted_at = models.DateTimeField(_("submitted for review"), null=True, blank=True)

    insurance_expires_on = models.DateField(
        _("insurance certificate expires on"), null=True, blank=True
    )

    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("partner organization")
        verbose_name_plural = _("partner organizations")
        ordering = ["name", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=OrganizationStatus.values),
                name="organization_status_is_known",
            ),
            models.CheckConstraint(
                condition=Q(kind__in=OrganizationKind.values), name="organization_kind_is_known"
            ),
            models.CheckConstraint(
                condition=Q(size__in=OrganizationSize.values), name="organization_size_is_known"
            ),
            # Two sign-ups of one organization never make two partners (a declined sign-up
            # does not block a later, genuine one).
            models.UniqueConstraint(
                fields=["normalized_name", "website_domain"],
                condition=~Q(status=OrganizationStatus.DECLINED),
                name="organization_once",
                violation_error_message=_(
                    "An organization with this name and website is already known to the portal."
                ),
            ),
        ]
        indexes = [
            models.Index(fields=["status", "submitted_at"], name="organization_queue"),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args: object, **kwargs: object) -> None:
        self.normalized_name = normalize_organization_name(self.name)
        self.website_domain = website_domain(self.website)
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("partners:detail", args=[self.pk])

    @property
    def is_approved(self) -> bool:
        return self.status == OrganizationStatus.APPROVED

    @property
    def address_lines(self) -> list[str]:
        place = " ".join(p for p in (self.state, self.postal_code) if p)
        city = ", ".join(p for p in (self.city, place) if p)
        return [line for line in (self.street_address, city) if line]

    def insurance_state(self, today: date | None = None) -> str:
        """ "missing", "expired", "expiring" (within the warning window) or "valid"."""
        if self.insurance_expires_on is None:
            return "missing"
        today = today or timezone.localdate()
        if self.insurance_expires_on < today:
            return "expired"
        if self.insurance_expires_on <= today + timedelta(days=conf.get("PARTNERS_EXPIRING_DAYS")):
            return "expiring"
        return "valid"


class Contact(models.Model):
    """A person who speaks for a partner: an employer-role account tied to one organization."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("account"),
        on_delete=models.CASCADE,
        related_name="partner_contact",
    )
    organization = models.ForeignKey(
        Organization,
        verbose_name=_("organization"),
        on_delete=models.CASCADE,
        related_name="contacts",
    )
    is_primary = models.BooleanField(_("primary contact"), default=False)
    job_title = models.CharField(_("job title"), max_length=120, blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=ContactStatus.choices,
        default=ContactStatus.UNCONFIRMED,
    )
    works_with_students = models.BooleanField(_("will be with students"), default=False)
    background_check = models.CharField(
        _("background check"),
        max_length=16,
        choices=BackgroundCheck.choices,
        default=BackgroundCheck.NOT_REQUIRED,
    )
    background_checked_on = models.DateField(_("background check date"), null=True, blank=True)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("invited by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    # A sign-up that matched a known organization: the person asks to join it; staff decide.
    join_request = models.BooleanField(_("asked to join a known organization"), default=False)
    # What such a sign-up typed, for staff to compare with the organization they matched.
    signup_details = models.JSONField(_("details given at sign-up"), default=dict, blank=True)
    # When the latest confirmation link was sent: a sign-up nobody confirmed before its last
    # link expired is abandoned, and no longer blocks another sign-up of the organization.
    confirmation_sent_at = models.DateTimeField(_("confirmation link sent"), null=True, blank=True)
    confirmed_at = models.DateTimeField(_("e-mail confirmed"), null=True, blank=True)
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    decision_reason = models.TextField(_("reason"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("partner contact")
        verbose_name_plural = _("partner contacts")
        ordering = ["-is_primary", "user__full_name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization"],
                condition=Q(is_primary=True),
                name="contact_one_primary_per_organization",
            ),
            models.CheckConstraint(
                condition=Q(status__in=ContactStatus.values), name="contact_status_is_known"
            ),
            models.CheckConstraint(
                condition=Q(background_check__in=BackgroundCheck.values),
                name="contact_background_check_is_known",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} ({self.organization})"

    @property
    def is_active(self) -> bool:
        return self.status == ContactStatus.ACTIVE

    @property
    def needs_background_check(self) -> bool:
        return self.works_with_students and self.background_check != BackgroundCheck.CLEARED


class Offer(models.Model):
    """Something a partner is willing to do for students or schools, in one sector."""

    organization = models.ForeignKey(
        Organization,
        verbose_name=_("organization"),
        on_delete=models.CASCADE,
        related_name="offers",
    )
    sector = models.ForeignKey(
        "pathways.Sector",
        verbose_name=_("sector"),
        on_delete=models.CASCADE,
        related_name="partner_offers",
    )
    kind = models.CharField(_("offer"), max_length=24, choices=OfferKind.choices)
    note = models.CharField(_("note"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("offer")
        verbose_name_plural = _("offers")
        ordering = ["sector__position", "sector__name", "kind"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "sector", "kind"], name="offer_once_per_sector"
            ),
            models.CheckConstraint(
                condition=Q(kind__in=OfferKind.values), name="offer_kind_is_known"
            ),
        ]
        indexes = [models.Index(fields=["kind", "organization"], name="offer_by_kind")]

    def __str__(self) -> str:
        return f"{self.organization}: {self.get_kind_display()} ({self.sector})"


class AdvisorySeat(models.Model):
    """A seat on a sector's advisory board or industry commission, for a term."""

    organization = models.ForeignKey(
        Organization,
        verbose_name=_("organization"),
        on_delete=models.CASCADE,
        related_name="advisory_seats",
    )
    sector = models.ForeignKey(
        "pathways.Sector",
        verbose_name=_("sector"),
        on_delete=models.CASCADE,
        related_name="advisory_seats",
    )
    body = models.CharField(_("body"), max_length=24, choices=AdvisoryBody.choices)
    contact = models.ForeignKey(
        Contact,
        verbose_name=_("contact"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="advisory_seats",
    )
    person_name = models.CharField(_("member's name"), max_length=200)
    person_title = models.CharField(_("member's job title"), max_length=200, blank=True)
    is_chair = models.BooleanField(_("chair"), default=False)
    starts_on = models.DateField(_("term starts"))
    ends_on = models.DateField(_("term ends"), null=True, blank=True)
    listed = models.BooleanField(
        _("agreed to be listed"),
        default=False,
        help_text=_("Shown on the sector's public page only if the member agreed."),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("advisory seat")
        verbose_name_plural = _("advisory seats")
        ordering = ["sector__position", "body", "-is_chair", "person_name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=F("starts_on")),
                name="advisory_seat_term_ends_after_start",
            ),
            models.CheckConstraint(
                condition=Q(body__in=AdvisoryBody.values), name="advisory_seat_body_is_known"
            ),
        ]
        indexes = [models.Index(fields=["sector", "listed"], name="advisory_seat_sector")]

    def __str__(self) -> str:
        return f"{self.person_name} · {self.get_body_display()} · {self.sector}"

    def is_current(self, today: date | None = None) -> bool:
        today = today or timezone.localdate()
        return self.starts_on <= today and (self.ends_on is None or self.ends_on >= today)


class Interaction(models.Model):
    """CTE staff's dated note of a call, meeting, event or follow-up with a partner."""

    organization = models.ForeignKey(
        Organization,
        verbose_name=_("organization"),
        on_delete=models.CASCADE,
        related_name="interactions",
    )
    occurred_on = models.DateField(_("date"))
    kind = models.CharField(_("kind"), max_length=16, choices=InteractionKind.choices)
    summary = models.TextField(_("what happened"))
    next_step = models.CharField(_("next step"), max_length=300, blank=True)
    next_step_due = models.DateField(_("next step due"), null=True, blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner of the next step"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="partner_next_steps",
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("recorded"), auto_now_add=True)

    class Meta:
        verbose_name = _("interaction")
        verbose_name_plural = _("interactions")
        ordering = ["-occurred_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=InteractionKind.values), name="interaction_kind_is_known"
            ),
        ]
        indexes = [
            # "Last interaction" of each partner, and the "not contacted in N months" view.
            models.Index(fields=["organization", "occurred_on"], name="interaction_latest"),
        ]

    def __str__(self) -> str:
        return f"{self.occurred_on} {self.get_kind_display()}: {self.organization}"


class Agreement(models.Model):
    """A signed agreement with a partner (MOU, articulation, internship) and its file."""

    organization = models.ForeignKey(
        Organization,
        verbose_name=_("organization"),
        on_delete=models.CASCADE,
        related_name="agreements",
    )
    kind = models.CharField(_("kind"), max_length=16, choices=AgreementKind.choices)
    title = models.CharField(_("title"), max_length=200)
    starts_on = models.DateField(_("starts"))
    ends_on = models.DateField(_("ends"))
    file = models.FileField(
        _("file"),
        upload_to=agreement_upload_to,
        max_length=200,
        validators=[validate_agreement_file],
    )
    notes = models.TextField(_("notes"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("added by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("added"), auto_now_add=True)

    class Meta:
        verbose_name = _("agreement")
        verbose_name_plural = _("agreements")
        ordering = ["ends_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=F("starts_on")), name="agreement_ends_after_start"
            ),
            models.CheckConstraint(
                condition=Q(kind__in=AgreementKind.values), name="agreement_kind_is_known"
            ),
        ]
        indexes = [models.Index(fields=["ends_on"], name="agreement_ends")]

    def __str__(self) -> str:
        return f"{self.title} ({self.organization})"

    def get_file_url(self) -> str:
        # Never MEDIA_URL: agreements are confidential, the download checks who asks.
        return reverse("partners:agreement_file", args=[self.pk])

    def is_expired(self, today: date | None = None) -> bool:
        return self.ends_on < (today or timezone.localdate())

    def is_expiring_soon(self, today: date | None = None) -> bool:
        """Still in force, and ends within ``PARTNERS_EXPIRING_DAYS`` days."""
        today = today or timezone.localdate()
        return today <= self.ends_on <= today + timedelta(days=conf.get("PARTNERS_EXPIRING_DAYS"))


class MailingListSubscriber(models.Model):
    """Someone on the CTE mailing list (no account needed). Double opt-in: the address
    receives nothing but the confirmation until its owner confirms it."""

    email = models.EmailField(_("e-mail address"), unique=True)
    full_name = models.CharField(_("name"), max_length=200, blank=True)
    language = models.CharField(
        _("language"), max_length=8, choices=settings.LANGUAGES, default="en"
    )
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=SubscriberStatus.choices,
        default=SubscriberStatus.PENDING,
    )
    created_at = models.DateTimeField(_("signed up"), auto_now_add=True)
    confirmation_sent_at = models.DateTimeField(_("confirmation sent"), null=True, blank=True)
    confirmed_at = models.DateTimeField(_("confirmed"), null=True, blank=True)
    unsubscribed_at = models.DateTimeField(_("unsubscribed"), null=True, blank=True)

    class Meta:
        verbose_name = _("mailing-list subscriber")
        verbose_name_plural = _("mailing-list subscribers")
        ordering = ["email"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=SubscriberStatus.values), name="subscriber_status_is_known"
            ),
        ]

    def __str__(self) -> str:
        return self.email

    def save(self, *args: object, **kwargs: object) -> None:
        self.email = self.email.strip().lower()
        super().save(*args, **kwargs)
