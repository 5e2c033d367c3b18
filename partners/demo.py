"""Demo partners for ``manage.py seed_demo`` (idempotent; runs after the catalogue's demo).

A dozen organizations of every kind and size across the sectors, among them the demo
employer's (employer@demo.example, approved, with a colleague); two confirmed sign-ups and
one unconfirmed in the review queue, and one person asking to join a known partner; advisory
seats (most agreed to be listed), interactions (one partner never contacted), agreements (one
expiring soon, one expired) and a few mailing-list subscribers.

The records are written directly rather than through the services: seeding must not send a
burst of e-mails. Names, addresses and people are invented; ``.example`` addresses never
deliver.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from allauth.account.models import EmailAddress
from django.core.files.base import ContentFile
from django.utils import timezone

from cte_portal.users.demo import DEMO_PASSWORD
from cte_portal.users.enums import Role
from cte_portal.users.models import User
from pathways.models import Sector

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
from .models import (
    AdvisorySeat,
    Agreement,
    Contact,
    Interaction,
    MailingListSubscriber,
    Offer,
    Organization,
)

DEMO_EMPLOYER = "employer@demo.example"

# name, kind, size, status, website, city, sectors (slugs), offers, contact (email, name, title)
ORGANIZATIONS: list[dict[str, Any]] = [
    {
        "name": "Harbor Health Partners",
        "kind": OrganizationKind.EMPLOYER,
        "size": OrganizationSize.LARGE,
        "status": OrganizationStatus.APPROVED,
        "website": "https://www.harborhealth.example",
        "street": "100 Pearl Street",
        "city": "New York",
        "postal": "10004",
        "sectors": ["health-sciences", "information-technology"],
        "offers": [
            OfferKind.INTERNSHIP,
            OfferKind.JOB_SHADOW,
            OfferKind.SPEAKER,
            OfferKind.CURRICULUM_REVIEW,
        ],
        "contact": (DEMO_EMPLOYER, "Eli Employer", "Director of Workforce Development"),
        "colleague": ("ana.ruiz@harborhealth.example", "Ana Ruiz", "Nurse Educator"),
        "insurance_days": 200,
    },
    {
        "name": "Five Boroughs Builders",
        "kind": OrganizationKind.EMPLOYER,
        "size": OrganizationSize.MEDIUM,
        "status": OrganizationStatus.APPROVED,
        "website": "https://fiveboroughsbuilders.example",
        "street": "2 Metrotech Center",
        "city": "Brooklyn",
        "postal": "11201",
        "sectors": ["construction-sustainability", "engineering-architecture"],
        "offers": [OfferKind.SITE_VISIT, OfferKind.INTERNSHIP, OfferKind.COMPETITION],
        "contact": ("r.okafor@fiveboroughsbuilders.example", "Rita Okafor", "Safety Manager"),
        "insurance_days": 25,
    },
    {
        "name": "Skyline Software",
        "kind": OrganizationKind.EMPLOYER,
        "size": OrganizationSize.SMALL,
        "status": OrganizationStatus.APPROVED,
        "website": "https://skylinesoftware.example",
        "street": "55 Broad Street",
        "city": "New York",
        "postal": "10004",
        "sectors": ["information-technology"],
        "offers": [OfferKind.MENTORING, OfferKind.CAREER_DAY, OfferKind.TEACHER_TRAINING],
        "contact": ("dev@skylinesoftware.example", "Dev Patel", "Chief Technology Officer"),
        "insurance_days": 400,
    },
    {
        "name": "Queens Culinary Collective",
        "kind": OrganizationKind.NONPROFIT,
        "size": OrganizationSize.SMALL,
        "status": OrganizationStatus.APPROVED,
        "website": "https://queenscollective.example",
        "street": "37-02 Main Street",
        "city": "Queens",
        "postal": "11354",
        "sectors": ["culinary-hospitality"],
        "offers": [OfferKind.COMPETITION, OfferKind.SCHOLARSHIP, OfferKind.CAREER_DAY],
        "contact": ("hello@queenscollective.example", "Mei Lin", "Program Director"),
        "insurance_days": -10,
    },
    {
        "name": "Metro Transit Authority Workforce Office",
        "kind": OrganizationKind.GOVERNMENT,
        "size": OrganizationSize.LARGE,
        "status": OrganizationStatus.APPROVED,
        "website": "https://transit-workforce.example",
        "street": "2 Broadway",
        "city": "New York",
        "postal": "10004",
        "sectors": ["transportation"],
        "offers": [OfferKind.INTERNSHIP, OfferKind.SITE_VISIT, OfferKind.CREDENTIAL_REVIEW],
        "contact": ("workforce@transit-workforce.example", "Luis Gómez", "Apprenticeship Lead"),
        "insurance_days": 300,
    },
    {
        "name": "Borough Community College",
        "kind": OrganizationKind.COLLEGE,
        "size": OrganizationSize.LARGE,
        "status": OrganizationStatus.APPROVED,
        "website": "https://boroughcc.example",
        "street": "199 Chambers Street",
        "city": "New York",
        "postal": "10007",
        "sectors": ["business-finance", "health-sciences", "information-technology"],
        "offers": [OfferKind.CURRICULUM_REVIEW, OfferKind.TEACHER_TRAINING, OfferKind.SCHOLARSHIP],
        "contact": ("partnerships@boroughcc.example", "Grace Kim", "Dean of Partnerships"),
        "insurance_days": 500,
    },
    {
        "name": "Electrical Workers Local 3 Training Fund",
        "kind": OrganizationKind.UNION,
        "size": OrganizationSize.MEDIUM,
        "status": OrganizationStatus.APPROVED,
        "website": "https://local3training.example",
        "street": "158-11 Harry Van Arsdale Jr. Avenue",
        "city": "Queens",
        "postal": "11365",
        "sectors": ["construction-sustainability"],
        "offers": [OfferKind.CREDENTIAL_REVIEW, OfferKind.SPEAKER, OfferKind.SITE_VISIT],
        "contact": ("training@local3training.example", "Sean Murphy", "Training Director"),
        "insurance_days": 120,
    },
    {
        "name": "Lens and Light Studios",
        "kind": OrganizationKind.EMPLOYER,
        "size": OrganizationSize.SMALL,
        "status": OrganizationStatus.SUSPENDED,
        "website": "https://lensandlight.example",
        "street": "39-10 Queens Boulevard",
        "city": "Queens",
        "postal": "11104",
        "sectors": ["media-marketing-film"],
        "offers": [OfferKind.JOB_SHADOW, OfferKind.INTERNSHIP],
        "contact": ("studio@lensandlight.example", "Omar Haddad", "Producer"),
        "reason": "Insurance certificate lapsed; suspended until a new one is on file.",
    },
    {
        "name": "Bronx Financial Literacy Alliance",
        "kind": OrganizationKind.NONPROFIT,
        "size": OrganizationSize.SMALL,
        "status": OrganizationStatus.ARCHIVED,
        "website": "https://bronxfla.example",
        "street": "851 Grand Concourse",
        "city": "Bronx",
        "postal": "10451",
        "sectors": ["business-finance"],
        "offers": [OfferKind.SPEAKER],
        "contact": ("info@bronxfla.example", "Tanya Brooks", "Executive Director"),
        "reason": "The alliance closed in June.",
    },
    {
        "name": "City Hall Youth Fellows",
        "kind": OrganizationKind.OTHER,
        "size": OrganizationSize.MEDIUM,
        "status": OrganizationStatus.APPROVED,
        "website": "",
        "street": "City Hall Park",
        "city": "New York",
        "postal": "10007",
        "sectors": ["public-service"],
        "offers": [OfferKind.MENTORING, OfferKind.JOB_SHADOW],
        "contact": ("fellows@cityhallfellows.example", "Nia Johnson", "Coordinator"),
        "insurance_days": 90,
    },
    # The review queue: two confirmed sign-ups and one still unconfirmed.
    {
        "name": "Staten Island Marine Works",
        "kind": OrganizationKind.EMPLOYER,
        "size": OrganizationSize.MEDIUM,
        "status": OrganizationStatus.PENDING,
        "confirmed": True,
        "website": "https://simarineworks.example",
        "street": "1 Bay Street",
        "city": "Staten Island",
        "postal": "10301",
        "sectors": ["transportation", "engineering-architecture"],
        "offers": [OfferKind.INTERNSHIP, OfferKind.SITE_VISIT],
        "contact": ("hr@simarineworks.example", "Paul Rossi", "HR Manager"),
    },
    {
        "name": "Greenroof Design Cooperative",
        "kind": OrganizationKind.NONPROFIT,
        "size": OrganizationSize.SMALL,
        "status": OrganizationStatus.PENDING,
        "confirmed": True,
        "website": "https://greenroof.example",
        "street": "540 President Street",
        "city": "Brooklyn",
        "postal": "11215",
        "sectors": ["construction-sustainability", "engineering-architecture"],
        "offers": [OfferKind.CAREER_DAY, OfferKind.TEACHER_TRAINING],
        "contact": ("team@greenroof.example", "Ivy Chen", "Co-founder"),
    },
    {
        "name": "Pixel Harbor Games",
        "kind": OrganizationKind.EMPLOYER,
        "size": OrganizationSize.SMALL,
        "status": OrganizationStatus.PENDING,
        "confirmed": False,
        "website": "https://pixelharbor.example",
        "street": "",
        "city": "Brooklyn",
        "postal": "",
        "sectors": ["media-marketing-film", "information-technology"],
        "offers": [OfferKind.SPEAKER],
        "contact": ("jobs@pixelharbor.example", "Sam Ortiz", "Studio Lead"),
    },
]

# organization, sector, body, person, title, chair, listed, start (days ago), end (days ahead)
SEATS = [
    (
        "Harbor Health Partners",
        "health-sciences",
        AdvisoryBody.ADVISORY_BOARD,
        "Eli Employer",
        "Director of Workforce Development",
        True,
        True,
        400,
        330,
    ),
    (
        "Harbor Health Partners",
        "health-sciences",
        AdvisoryBody.INDUSTRY_COMMISSION,
        "Ana Ruiz",
        "Nurse Educator",
        False,
        True,
        100,
        630,
    ),
    (
        "Skyline Software",
        "information-technology",
        AdvisoryBody.ADVISORY_BOARD,
        "Dev Patel",
        "Chief Technology Officer",
        False,
        True,
        200,
        530,
    ),
    (
        "Borough Community College",
        "information-technology",
        AdvisoryBody.INDUSTRY_COMMISSION,
        "Grace Kim",
        "Dean of Partnerships",
        True,
        True,
        50,
        680,
    ),
    (
        "Five Boroughs Builders",
        "construction-sustainability",
        AdvisoryBody.ADVISORY_BOARD,
        "Rita Okafor",
        "Safety Manager",
        False,
        False,
        300,
        60,
    ),
    (
        "Electrical Workers Local 3 Training Fund",
        "construction-sustainability",
        AdvisoryBody.INDUSTRY_COMMISSION,
        "Sean Murphy",
        "Training Director",
        True,
        True,
        700,
        None,
    ),
    (
        "Metro Transit Authority Workforce Office",
        "transportation",
        AdvisoryBody.ADVISORY_BOARD,
        "Luis Gómez",
        "Apprenticeship Lead",
        False,
        True,
        800,
        -30,
    ),
]

# organization, days ago, kind, summary, next step, due in (days), owned by the demo staff
INTERACTIONS = [
    (
        "Harbor Health Partners",
        12,
        InteractionKind.MEETING,
        "Planned spring internships for twelve medical assisting students.",
        "Send the student roster and consent forms",
        14,
        True,
    ),
    (
        "Harbor Health Partners",
        140,
        InteractionKind.EVENT,
        "Hosted a career day at Harbor View CTE: 80 students.",
        "",
        None,
        False,
    ),
    (
        "Five Boroughs Builders",
        40,
        InteractionKind.CALL,
        "Discussed a site visit to the Atlantic Avenue project.",
        "Confirm the date with the school",
        7,
        True,
    ),
    (
        "Skyline Software",
        250,
        InteractionKind.EMAIL,
        "Asked about mentors for the web development capstone.",
        "Follow up in the fall",
        None,
        False,
    ),
    (
        "Borough Community College",
        20,
        InteractionKind.MEETING,
        "Reviewed the articulation agreement for Accounting I and II.",
        "",
        None,
        False,
    ),
    (
        "Metro Transit Authority Workforce Office",
        400,
        InteractionKind.SITE_VISIT,
        "Toured the rail yard with the transportation teachers.",
        "",
        None,
        False,
    ),
    (
        "Queens Culinary Collective",
        95,
        InteractionKind.FOLLOW_UP,
        "Competition judges confirmed for the May cook-off.",
        "",
        None,
        False,
    ),
]

# organization, kind, title, started (days ago), ends in (days)
AGREEMENTS = [
    (
        "Harbor Health Partners",
        AgreementKind.INTERNSHIP,
        "Medical assisting internship agreement",
        300,
        30,
    ),
    (
        "Borough Community College",
        AgreementKind.ARTICULATION,
        "Accounting articulation agreement",
        400,
        700,
    ),
    ("Five Boroughs Builders", AgreementKind.MOU, "Site visits MOU", 500, 200),
    (
        "Metro Transit Authority Workforce Office",
        AgreementKind.MOU,
        "Transit apprenticeship pathway MOU",
        800,
        -20,
    ),
]

SUBSCRIBERS = [
    ("parent.one@family.example", "Jordan Lee", "en", SubscriberStatus.CONFIRMED),
    ("madre.dos@family.example", "Lucía Fernández", "es", SubscriberStatus.CONFIRMED),
    ("curious@business.example", "", "en", SubscriberStatus.PENDING),
]

# Someone from Skyline signed up the same organization again: a request to join it.
JOIN_REQUEST = ("kim@skylinesoftware.example", "Kim Alvarez", "Engineering Manager")


def _sectors(slugs: list[str]) -> list[Sector]:
    found = list(Sector.objects.filter(slug__in=slugs))
    if found:
        return found
    first = Sector.objects.order_by("position", "name").first()  # a catalogue of its own
    return [first] if first else []


def _person(email: str, name: str, *, active: bool, password: bool) -> User:
    user, created = User.objects.get_or_create(email=email, defaults={"role": Role.EMPLOYER})
    user.full_name = name
    user.role = Role.EMPLOYER
    user.is_active = active
    if not password:
        user.set_unusable_password()
    elif created or not user.has_usable_password():
        user.set_password(DEMO_PASSWORD)  # hashing is slow: only when it has none
    user.save()
    EmailAddress.objects.update_or_create(
        user=user, email=email, defaults={"verified": password, "primary": True}
    )
    return user


def _organization(spec: dict[str, Any], staff: User | None) -> Organization:
    now = timezone.now()
    today = timezone.localdate()
    status = spec["status"]
    confirmed = spec.get("confirmed", True)
    organization, _created = Organization.objects.get_or_create(
        name=spec["name"], defaults={"kind": spec["kind"], "size": spec["size"]}
    )
    organization.kind = spec["kind"]
    organization.size = spec["size"]
    organization.website = spec["website"]
    organization.street_address = spec["street"]
    organization.city = spec["city"]
    organization.state = "NY"
    organization.postal_code = spec["postal"]
    organization.status = status
    organization.decision_reason = spec.get("reason", "")
    decided = status != OrganizationStatus.PENDING
    organization.status_changed_at = now - timedelta(days=60) if decided else None
    organization.status_changed_by = staff if decided else None
    organization.submitted_at = (organization.submitted_at or now) if confirmed else None
    days = spec.get("insurance_days")
    organization.insurance_expires_on = today + timedelta(days=days) if days is not None else None
    organization.save()
    sectors = _sectors(spec["sectors"])
    organization.sectors.set(sectors)
    for sector in sectors:
        for kind in spec["offers"]:
            Offer.objects.get_or_create(organization=organization, sector=sector, kind=kind)

    email, name, title = spec["contact"]
    approved = status == OrganizationStatus.APPROVED
    user = _person(email, name, active=approved, password=confirmed)
    if status == OrganizationStatus.PENDING:
        contact_status = ContactStatus.PENDING if confirmed else ContactStatus.UNCONFIRMED
    else:
        contact_status = ContactStatus.ACTIVE
    Contact.objects.update_or_create(
        user=user,
        defaults={
            "organization": organization,
            "is_primary": True,
            "job_title": title,
            "phone": "212-555-0100",
            "status": contact_status,
            "confirmed_at": now - timedelta(days=3) if confirmed else None,
            "works_with_students": approved,
            "background_check": BackgroundCheck.CLEARED
            if approved
            else BackgroundCheck.NOT_REQUIRED,
            "background_checked_on": today - timedelta(days=90) if approved else None,
        },
    )
    if "colleague" in spec:
        email, name, title = spec["colleague"]
        colleague = _person(email, name, active=True, password=True)
        Contact.objects.update_or_create(
            user=colleague,
            defaults={
                "organization": organization,
                "is_primary": False,
                "job_title": title,
                "status": ContactStatus.ACTIVE,
                "works_with_students": True,
                "background_check": BackgroundCheck.IN_PROGRESS,
            },
        )
    return organization


def _agreement_file(title: str) -> ContentFile:
    # A tiny valid PDF, so the download works in the demo.
    body = (
        "%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
        "2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
        "3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 612 792]>>endobj\n"
        f"% Demo agreement: {title}\ntrailer<</Root 1 0 R>>\n%%EOF\n"
    )
    return ContentFile(body.encode(), name="agreement.pdf")


def seed() -> list[str]:
    """Create or refresh the demo partners (idempotent). Returns what it did, line by line."""
    today = timezone.localdate()
    staff = User.objects.filter(email="staff@demo.example").first()
    organizations = {spec["name"]: _organization(spec, staff) for spec in ORGANIZATIONS}

    for name, slug, body, person, title, chair, listed, ago, ahead in SEATS:
        sector = _sectors([slug])
        if not sector:
            continue
        AdvisorySeat.objects.update_or_create(
            organization=organizations[name],
            sector=sector[0],
            body=body,
            person_name=person,
            defaults={
                "person_title": title,
                "is_chair": chair,
                "listed": listed,
                "starts_on": today - timedelta(days=ago),
                "ends_on": today + timedelta(days=ahead) if ahead is not None else None,
                "contact": Contact.objects.filter(
                    organization=organizations[name], user__full_name=person
                ).first(),
            },
        )

    for name, ago, kind, summary, next_step, due, owned in INTERACTIONS:
        Interaction.objects.update_or_create(
            organization=organizations[name],
            summary=summary,
            defaults={
                "occurred_on": today - timedelta(days=ago),
                "kind": kind,
                "next_step": next_step,
                "next_step_due": today + timedelta(days=due) if due is not None else None,
                "owner": staff if owned else None,
                "recorded_by": staff,
            },
        )

    for name, kind, title, ago, ahead in AGREEMENTS:
        agreement = Agreement.objects.filter(organization=organizations[name], title=title).first()
        if agreement is None:
            agreement = Agreement(
                organization=organizations[name], kind=kind, title=title, created_by=staff
            )
            agreement.file = _agreement_file(title)
        agreement.starts_on = today - timedelta(days=ago)
        agreement.ends_on = today + timedelta(days=ahead)
        agreement.save()

    skyline = organizations["Skyline Software"]
    email, name, title = JOIN_REQUEST
    user = _person(email, name, active=False, password=True)
    Contact.objects.update_or_create(
        user=user,
        defaults={
            "organization": skyline,
            "job_title": title,
            "status": ContactStatus.PENDING,
            "join_request": True,
            "confirmed_at": timezone.now() - timedelta(days=1),
            "signup_details": {
                "organization_name": "Skyline Software Inc.",
                "website": "https://www.skylinesoftware.example",
                "city": "New York",
                "sectors": ["Information Technology"],
                "job_title": title,
                "contact_phone": "",
            },
        },
    )

    now = timezone.now()
    for address, name, language, status in SUBSCRIBERS:
        MailingListSubscriber.objects.update_or_create(
            email=address,
            defaults={
                "full_name": name,
                "language": language,
                "status": status,
                "confirmation_sent_at": now - timedelta(days=5),
                "confirmed_at": now - timedelta(days=4)
                if status == SubscriberStatus.CONFIRMED
                else None,
            },
        )

    approved = Organization.objects.filter(status=OrganizationStatus.APPROVED).count()
    queue = Organization.objects.filter(
        status=OrganizationStatus.PENDING, submitted_at__isnull=False
    ).count()
    return [
        f"partners: {Organization.objects.count()} organizations ({approved} approved, "
        f"{queue} waiting for review), {Contact.objects.count()} contacts, "
        f"{AdvisorySeat.objects.count()} advisory seats, {Interaction.objects.count()} "
        f"interactions, {Agreement.objects.count()} agreements",
        f"partners: {DEMO_EMPLOYER} acts for {ORGANIZATIONS[0]['name']} "
        f"(colleague {ORGANIZATIONS[0]['colleague'][0]}, password {DEMO_PASSWORD})",
    ]
