"""Work-based learning objects for the access matrix (``tests/test_access_matrix.py``): the
employer's organization hosts a published one-day event (``student`` applied to it), a
draft, and an internship on which ``student`` is placed with hours waiting; the school has
a request matching the employer's offer; and valid signed links (a guardian's consent for
``other_student``'s application, the supervisor's hours review, ``student``'s feed)."""

from __future__ import annotations

from typing import Any

from partners.enums import OfferKind
from tests.factories.partners import OfferFactory
from tests.factories.workbased import (
    ApplicationFactory,
    HoursLogFactory,
    InternshipFactory,
    OpportunityFactory,
    PlacementFactory,
    SchoolRequestFactory,
    at,
)
from workbased import tokens
from workbased.enums import ApplicationStatus, ConsentState, OpportunityStatus
from workbased.models import GuardianConsent


def build(people: dict[str, Any]) -> dict[str, Any]:
    org = people["employer_org"]
    host = people["employer"].partner_contact
    pathway = people["pathway"]
    mine, theirs = people["student_profile"], people["other_student"].student_profile
    published = OpportunityFactory(
        organization=org, host=host, title="Matrix Career Day", sectors=[pathway.sector]
    )
    draft = OpportunityFactory(
        organization=org, host=host, title="Matrix Draft", status=OpportunityStatus.DRAFT
    )
    internship = InternshipFactory(organization=org, host=host, sessions=[(at(-30, 9), at(30, 17))])
    placement = PlacementFactory(
        application=ApplicationFactory(
            student=mine, opportunity=internship, status=ApplicationStatus.ACCEPTED
        ),
        supervisor=host,
    )
    hours = HoursLogFactory(placement=placement)
    ApplicationFactory(student=theirs, opportunity=published)  # data that must not leak
    consent_needed = OpportunityFactory(organization=org, host=host, needs_guardian_consent=True)
    consent = GuardianConsent.objects.create(
        application=ApplicationFactory(
            student=theirs, opportunity=consent_needed, guardian_consent=ConsentState.PENDING
        ),
        guardian_email="m.guardian@example.org",
    )
    OfferFactory(organization=org, sector=pathway.sector, kind=OfferKind.SPEAKER)
    return {
        "wbl_opportunity": published,
        "wbl_draft": draft,
        "wbl_submitted": OpportunityFactory(
            organization=org, host=host, status=OpportunityStatus.SUBMITTED
        ),
        "wbl_application": ApplicationFactory(student=mine, opportunity=published),
        "wbl_placement": placement,
        "wbl_hours": hours,
        "wbl_request": SchoolRequestFactory(
            school=people["school"], pathway=pathway, requested_by=people["counselor"]
        ),
        "wbl_consent_token": tokens.consent_token(consent_id=consent.pk, nonce=consent.nonce),
        "wbl_hours_token": tokens.hours_token(hours_id=hours.pk, supervisor_id=host.pk),
        "wbl_feed_token": tokens.feed_token(user_id=people["student"].pk),
    }
