"""Every read of the partners app, with its joins, annotations and visibility rule.

Pages and API views both call these. Who sees what: CTE staff see every partner; an employer
sees only the organization they are an active contact of (and only while it is approved);
nobody else sees partners, except the public list of advisory members who agreed to be listed.
List queries annotate in SQL (last interaction, current seats) and prefetch, so a page costs
the same number of queries for one partner or thousands.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields
from datetime import date, datetime, timedelta
from typing import Any

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.db.models import (
    BooleanField,
    Case,
    Count,
    Exists,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce, Lower, StrIndex, Substr
from django.utils import timezone
from django.utils.translation import gettext as _

from cte_portal.users.enums import Role
from cte_portal.users.models import User
from cte_portal.users.permissions import is_cte_staff, is_employer
from pathways.models import Sector

from . import conf
from .enums import ContactStatus, OrganizationStatus
from .models import (
    AdvisorySeat,
    Agreement,
    Contact,
    Interaction,
    Offer,
    Organization,
    normalize_organization_name,
    website_domain,
)


def sector_label() -> str:
    """The word people see for a sector ("Career cluster" unless the district says so)."""
    return _(str(settings.CATALOGUE_SECTOR_LABEL))


def months_ago(months: int, today: date | None = None) -> date:
    return (today or timezone.localdate()) - relativedelta(months=months)


# --- Identity ------------------------------------------------------------------------------------


def abandoned_signups(*, now: datetime | None = None) -> QuerySet[Organization]:
    """Sign-ups nobody confirmed before every confirmation link sent for them expired
    (``PARTNERS_SIGNUP_LINK_MAX_AGE``): pending, never submitted, and none of their
    unconfirmed people holds a link that still works."""
    cutoff = (now or timezone.now()) - timedelta(seconds=conf.get("PARTNERS_SIGNUP_LINK_MAX_AGE"))
    live_link = (
        Contact.objects.filter(organization=OuterRef("pk"), status=ContactStatus.UNCONFIRMED)
        .annotate(sent=Coalesce("confirmation_sent_at", "created_at"))
        .filter(sent__gte=cutoff)
    )
    return Organization.objects.filter(
        status=OrganizationStatus.PENDING, submitted_at__isnull=True, created_at__lt=cutoff
    ).filter(~Exists(live_link))


def organization_find_duplicate(
    *, name: str, website: str, exclude: Organization | None = None
) -> Organization | None:
    """A known organization with the same normalized name and website domain: "Acme, Inc."
    at https://www.acme.com is "ACME" at acme.com/jobs. A declined sign-up is not known, nor
    an abandoned one (see ``abandoned_signups``): neither blocks a genuine sign-up."""
    found = (
        Organization.objects.filter(
            normalized_name=normalize_organization_name(name),
            website_domain=website_domain(website),
        )
        .exclude(status=OrganizationStatus.DECLINED)
        .exclude(pk__in=abandoned_signups().values("pk"))
    )
    if exclude is not None:
        found = found.exclude(pk=exclude.pk)
    return found.order_by("pk").first()


def abandoned_twins(
    *, name: str, website: str, exclude: Organization | None = None
) -> QuerySet[Organization]:
    """Abandoned sign-ups with this identity: the database's one-organization rule still
    counts them, so a genuine sign-up retires them first."""
    found = abandoned_signups().filter(
        normalized_name=normalize_organization_name(name),
        website_domain=website_domain(website),
    )
    if exclude is not None:
        found = found.exclude(pk=exclude.pk)
    return found


# Addresses at these providers say nothing about the organization a person works for.
WEBMAIL_DOMAINS = frozenset(
    {
        "aol.com",
        "att.net",
        "comcast.net",
        "gmail.com",
        "gmx.com",
        "googlemail.com",
        "hotmail.com",
        "icloud.com",
        "live.com",
        "mac.com",
        "mail.com",
        "me.com",
        "msn.com",
        "optonline.net",
        "outlook.com",
        "proton.me",
        "protonmail.com",
        "verizon.net",
        "yahoo.com",
        "ymail.com",
        "zoho.com",
    }
)


def email_domain(email: str) -> str:
    """The organization's part of an address ("" for a webmail provider's)."""
    domain = email.rpartition("@")[2].strip().lower().removeprefix("www.")
    return "" if domain in WEBMAIL_DOMAINS else domain


def possible_duplicates(
    *, signups: list[tuple[Organization, str]]
) -> dict[int, list[Organization]]:
    """For each (organization, its primary contact's e-mail), the other known organizations
    (not declined) it may be: the same normalized name on another website (or none), or a
    website or contact at that e-mail's domain (webmail providers aside). The exact duplicate
    (same name and website) never gets this far: that sign-up became a request to join. Two
    queries, however many organizations are asked about."""
    if not signups:
        return {}
    organizations = [org for org, _email in signups]
    primary_domain = {org.pk: email_domain(email or "") for org, email in signups}
    domains = {d for d in primary_domain.values() if d}
    contact_domains: dict[int, set[str]] = {}
    if domains:
        at = StrIndex("user__email", Value("@"))
        rows = (
            Contact.objects.annotate(domain=Lower(Substr("user__email", at + 1)))
            .filter(domain__in=domains)
            .exclude(organization__status=OrganizationStatus.DECLINED)
            .values_list("organization_id", "domain")
        )
        for org_id, domain in rows:
            contact_domains.setdefault(org_id, set()).add(domain)
    names = {o.normalized_name for o in organizations}
    candidates = list(
        Organization.objects.filter(
            Q(normalized_name__in=names)
            | Q(website_domain__in=domains)
            | Q(pk__in=list(contact_domains))
        )
        .exclude(status=OrganizationStatus.DECLINED)
        .order_by("name", "pk")
    )
    found: dict[int, list[Organization]] = {}
    for org in organizations:
        domain = primary_domain.get(org.pk, "")
        found[org.pk] = [
            other
            for other in candidates
            if other.pk != org.pk
            and (
                other.normalized_name == org.normalized_name
                or (
                    domain
                    and (
                        other.website_domain == domain
                        or domain in contact_domains.get(other.pk, ())
                    )
                )
            )
        ]
    return found


# --- Who the signed-in person speaks for ---------------------------------------------------------


def contact_for_user(*, user: Any) -> Contact | None:
    """The employer's active contact record in an approved organization, or None."""
    if not is_employer(user):
        return None
    return (
        Contact.objects.select_related("organization", "user")
        .filter(
            user=user,
            status=ContactStatus.ACTIVE,
            organization__status=OrganizationStatus.APPROVED,
        )
        .first()
    )


def organization_dashboard(*, organization: Organization) -> Organization:
    """An organization with everything its dashboard shows, in a fixed number of queries."""
    return Organization.objects.prefetch_related(
        Prefetch("sectors", queryset=Sector.objects.order_by("position", "name")),
        Prefetch(
            "contacts",
            queryset=Contact.objects.select_related("user")
            .filter(status__in=[ContactStatus.ACTIVE, ContactStatus.INVITED])
            .order_by("-is_primary", "user__full_name", "pk"),
        ),
        Prefetch("offers", queryset=Offer.objects.select_related("sector")),
        Prefetch("agreements", queryset=Agreement.objects.order_by("ends_on", "pk")),
        Prefetch(
            "advisory_seats",
            queryset=AdvisorySeat.objects.select_related("sector").order_by("-starts_on", "pk"),
        ),
    ).get(pk=organization.pk)


# --- The staff's list and its filters ------------------------------------------------------------


@dataclass(frozen=True)
class PartnerFilters:
    """What staff asked the partner list for. Every part is optional and they combine."""

    q: str = ""
    sector: str = ""  # a sector's slug
    kind: str = ""
    size: str = ""
    status: str = ""
    offer: str = ""  # an OfferKind: partners offering it in any sector
    advisory: str = ""  # "yes": holds a current advisory seat; "no": holds none
    contacted_within: int | None = None  # months: last interaction at most this long ago
    not_contacted_in: int | None = None  # months: no interaction for this long (or ever)

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any]) -> PartnerFilters:
        names = {f.name for f in fields(cls)}
        clean = {k: v for k, v in data.items() if k in names and v not in (None, "")}
        if "q" in clean:
            clean["q"] = " ".join(str(clean["q"]).split())
        return cls(**clean)

    @property
    def narrows(self) -> bool:
        return any(getattr(self, f.name) not in ("", None) for f in fields(self))


def _current_seats(today: date) -> Q:
    return Q(starts_on__lte=today) & (Q(ends_on__isnull=True) | Q(ends_on__gte=today))


def partner_list_annotated() -> QuerySet[Organization]:
    """Every organization with ``last_interaction_on`` and ``current_seat_count``."""
    today = timezone.localdate()
    latest = Interaction.objects.filter(organization=OuterRef("pk")).order_by("-occurred_on", "-pk")
    seats = (
        AdvisorySeat.objects.filter(_current_seats(today), organization=OuterRef("pk"))
        .order_by()
        .values("organization")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Organization.objects.annotate(
        last_interaction_on=Subquery(latest.values("occurred_on")[:1]),
        current_seat_count=Coalesce(
            Subquery(seats, output_field=IntegerField()), Value(0), output_field=IntegerField()
        ),
    )


def partner_apply_filters(
    queryset: QuerySet[Organization], *, filters: PartnerFilters
) -> QuerySet[Organization]:
    """Narrow an annotated list (``partner_list_annotated``). Shared by the page, the CSV
    export and the API, so each filter means one thing everywhere."""
    today = timezone.localdate()
    if filters.q:
        words = filters.q
        people = Contact.objects.filter(organization=OuterRef("pk")).filter(
            Q(user__email__icontains=words) | Q(user__full_name__icontains=words)
        )
        queryset = queryset.filter(
            Q(name__icontains=words)
            | Q(normalized_name__icontains=normalize_organization_name(words) or words)
            | Q(website_domain__icontains=words.lower())
            | Q(city__icontains=words)
            | Exists(people)
        )
    if filters.sector:
        in_sector = Organization.sectors.through.objects.filter(
            organization_id=OuterRef("pk"), sector__slug=filters.sector
        )
        queryset = queryset.filter(Exists(in_sector))
    if filters.kind:
        queryset = queryset.filter(kind=filters.kind)
    if filters.size:
        queryset = queryset.filter(size=filters.size)
    if filters.status:
        queryset = queryset.filter(status=filters.status)
    if filters.offer:
        offering = Offer.objects.filter(organization=OuterRef("pk"), kind=filters.offer)
        queryset = queryset.filter(Exists(offering))
    if filters.advisory in ("yes", "no"):
        seated = AdvisorySeat.objects.filter(_current_seats(today), organization=OuterRef("pk"))
        queryset = queryset.filter(Exists(seated) if filters.advisory == "yes" else ~Exists(seated))
    if filters.contacted_within:
        queryset = queryset.filter(
            last_interaction_on__gte=months_ago(filters.contacted_within, today)
        )
    if filters.not_contacted_in:
        recent = Interaction.objects.filter(
            organization=OuterRef("pk"),
            occurred_on__gte=months_ago(filters.not_contacted_in, today),
        )
        queryset = queryset.filter(~Exists(recent))
    return queryset


def partner_list(*, filters: PartnerFilters) -> QuerySet[Organization]:
    """CTE staff's partner list: filtered, with sectors, offers and the primary contact."""
    queryset = partner_apply_filters(partner_list_annotated(), filters=filters)
    return queryset.prefetch_related(
        Prefetch("sectors", queryset=Sector.objects.order_by("position", "name")),
        Prefetch("offers", queryset=Offer.objects.order_by("kind", "sector_id")),
        Prefetch(
            "contacts",
            queryset=Contact.objects.filter(is_primary=True).select_related("user"),
            to_attr="primary_contacts",
        ),
    ).order_by("name", "pk")


def partners_not_contacted(*, months: int) -> QuerySet[Organization]:
    """Approved partners nobody has talked to in ``months`` months (or ever), the longest
    silence first."""
    filters = PartnerFilters(status=OrganizationStatus.APPROVED, not_contacted_in=months)
    return partner_list(filters=filters).order_by(
        Coalesce("last_interaction_on", Value(date.min)).asc(), "name", "pk"
    )


def partner_filter_choices() -> dict[str, list[tuple[str, str]]]:
    """The sector choices of the filter form, in one query."""
    return {
        "sectors": list(Sector.objects.order_by("position", "name").values_list("slug", "name"))
    }


def sector_choices() -> QuerySet[Sector]:
    return Sector.objects.order_by("position", "name")


# --- The review queue and a partner's page -------------------------------------------------------


@dataclass(frozen=True)
class ReviewQueue:
    signups: list[Organization]  # new organizations whose e-mail is confirmed
    join_requests: list[Contact]  # people asking to join a known organization
    unconfirmed: int  # sign-ups still waiting for their e-mail confirmation (not abandoned)


def review_queue() -> ReviewQueue:
    signups = list(
        Organization.objects.filter(status=OrganizationStatus.PENDING, submitted_at__isnull=False)
        .prefetch_related(
            Prefetch("sectors", queryset=Sector.objects.order_by("position", "name")),
            Prefetch(
                "contacts",
                queryset=Contact.objects.filter(is_primary=True).select_related("user"),
                to_attr="primary_contacts",
            ),
        )
        .order_by("submitted_at", "pk")
    )
    join_requests = list(
        Contact.objects.filter(status=ContactStatus.PENDING, join_request=True)
        .select_related("user", "organization")
        .order_by("confirmed_at", "pk")
    )
    # Abandoned sign-ups (every link expired) will never arrive: they are not "waiting".
    unconfirmed = (
        Organization.objects.filter(status=OrganizationStatus.PENDING, submitted_at__isnull=True)
        .exclude(pk__in=abandoned_signups().values("pk"))
        .count()
    )
    return ReviewQueue(signups=signups, join_requests=join_requests, unconfirmed=unconfirmed)


def partner_detail(*, pk: int) -> Organization | None:
    """One organization with everything on its staff page."""
    return (
        partner_list_annotated()
        .select_related("status_changed_by")
        .prefetch_related(
            Prefetch("sectors", queryset=Sector.objects.order_by("position", "name")),
            Prefetch(
                "contacts",
                queryset=Contact.objects.select_related("user", "decided_by").order_by(
                    "-is_primary", "status", "user__full_name", "pk"
                ),
            ),
            Prefetch("offers", queryset=Offer.objects.select_related("sector")),
            Prefetch(
                "advisory_seats",
                queryset=AdvisorySeat.objects.select_related("sector").order_by("-starts_on", "pk"),
            ),
            Prefetch(
                "interactions",
                queryset=Interaction.objects.select_related("owner", "recorded_by").order_by(
                    "-occurred_on", "-pk"
                ),
            ),
            Prefetch("agreements", queryset=Agreement.objects.order_by("ends_on", "pk")),
        )
        .filter(pk=pk)
        .first()
    )


def staff_members() -> QuerySet[User]:
    """Who can own a next step."""
    return User.objects.filter(role=Role.STAFF, is_active=True).order_by("full_name", "email")


# --- The API's views of the data, by who asks ----------------------------------------------------


def organizations_visible_to(*, user: Any) -> QuerySet[Organization]:
    """Staff: every organization. Employer: their own, while approved. Others: none."""
    queryset = partner_list_annotated().prefetch_related(
        Prefetch("sectors", queryset=Sector.objects.order_by("position", "name")),
        Prefetch("offers", queryset=Offer.objects.select_related("sector").order_by("pk")),
    )
    if is_cte_staff(user):
        return queryset.order_by("name", "pk")
    contact = contact_for_user(user=user)
    if contact is None:
        return queryset.none()
    return queryset.filter(pk=contact.organization_id)


def contacts_visible_to(*, user: Any) -> QuerySet[Contact]:
    """Staff: every contact. Employer: their organization's active and invited people."""
    queryset = Contact.objects.select_related("user", "organization").order_by(
        "organization__name", "-is_primary", "pk"
    )
    if is_cte_staff(user):
        return queryset
    contact = contact_for_user(user=user)
    if contact is None:
        return queryset.none()
    return queryset.filter(
        organization_id=contact.organization_id,
        status__in=[ContactStatus.ACTIVE, ContactStatus.INVITED],
    )


def interactions_for_staff() -> QuerySet[Interaction]:
    return Interaction.objects.select_related("organization", "owner", "recorded_by").order_by(
        "-occurred_on", "-pk"
    )


def agreements_visible_to(*, user: Any) -> QuerySet[Agreement]:
    """Staff: every agreement. Employer: their organization's."""
    queryset = Agreement.objects.select_related("organization").order_by("ends_on", "pk")
    if is_cte_staff(user):
        return queryset
    contact = contact_for_user(user=user)
    if contact is None:
        return queryset.none()
    return queryset.filter(organization_id=contact.organization_id)


def agreement_for(*, user: Any, pk: int) -> Agreement | None:
    return agreements_visible_to(user=user).filter(pk=pk).first()


def agreements_expiring(*, today: date | None = None) -> QuerySet[Agreement]:
    """Agreements still in force that end within the warning window, soonest first."""
    today = today or timezone.localdate()
    horizon = today + timedelta(days=conf.get("PARTNERS_EXPIRING_DAYS"))
    return (
        Agreement.objects.select_related("organization")
        .filter(ends_on__gte=today, ends_on__lte=horizon)
        .order_by("ends_on", "pk")
    )


# Partners whose paperwork no longer matters: a former partner, a sign-up never accepted.
_PAST_PARTNERS = (OrganizationStatus.ARCHIVED, OrganizationStatus.DECLINED)


@dataclass(frozen=True)
class ComplianceDue:
    """What CTE staff must renew: agreements and insurance certificates that expired or end
    within ``PARTNERS_EXPIRING_DAYS``, soonest (or longest expired) first."""

    agreements: QuerySet[Agreement]
    insurance: QuerySet[Organization]
    today: date
    horizon: date

    def __bool__(self) -> bool:
        return self.agreements.exists() or self.insurance.exists()


def compliance_due(*, today: date | None = None) -> ComplianceDue:
    """Expired and expiring agreements and insurance certificates of current partners, as
    two querysets (the page paginates them; the weekly e-mail lists them all).

    An agreement counts while it is the latest of its kind with that partner: once a renewed
    one (ending later) is added, the old one stops asking for attention.
    """
    today = today or timezone.localdate()
    horizon = today + timedelta(days=conf.get("PARTNERS_EXPIRING_DAYS"))
    renewed = Agreement.objects.filter(
        organization=OuterRef("organization"),
        kind=OuterRef("kind"),
        ends_on__gt=OuterRef("ends_on"),
    )
    agreements = (
        Agreement.objects.filter(ends_on__lte=horizon)
        .exclude(organization__status__in=_PAST_PARTNERS)
        .filter(~Exists(renewed))
        .select_related("organization")
        .order_by("ends_on", "organization__name", "pk")
    )
    insurance = (
        Organization.objects.filter(insurance_expires_on__lte=horizon)
        .exclude(status__in=_PAST_PARTNERS)
        .annotate(
            insurance_is_expired=Case(
                When(insurance_expires_on__lt=today, then=Value(True)),
                default=Value(False),
                output_field=BooleanField(),
            )
        )
        .order_by("insurance_expires_on", "name", "pk")
    )
    return ComplianceDue(agreements=agreements, insurance=insurance, today=today, horizon=horizon)


# --- The public side -----------------------------------------------------------------------------


def advisory_members_for_sector(sector: Sector, *, today: date | None = None) -> list[AdvisorySeat]:
    """The sector's current advisory board and industry commission members who agreed to be
    listed, from approved partners: what the sector's public page shows. One query."""
    today = today or timezone.localdate()
    return list(
        AdvisorySeat.objects.filter(
            _current_seats(today),
            sector=sector,
            listed=True,
            organization__status=OrganizationStatus.APPROVED,
        )
        .select_related("organization")
        .order_by("body", "-is_chair", "person_name", "pk")
    )
