from __future__ import annotations

from datetime import timedelta

import factory
from allauth.account.models import EmailAddress
from django.core.files.base import ContentFile
from django.utils import timezone

from partners.enums import (
    AdvisoryBody,
    AgreementKind,
    ContactStatus,
    InteractionKind,
    OfferKind,
    OrganizationKind,
    OrganizationSize,
    OrganizationStatus,
    SubscriberStatus,
)
from partners.models import (
    AdvisorySeat,
    Agreement,
    Contact,
    Interaction,
    MailingListSubscriber,
    Offer,
    Organization,
)
from tests.factories.pathways import SectorFactory
from tests.factories.users import EmployerUserFactory

PDF_BYTES = b"%PDF-1.4\n% test agreement\n%%EOF\n"


class OrganizationFactory(factory.django.DjangoModelFactory):
    """An approved partner unless told otherwise."""

    class Meta:
        model = Organization
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Partner {n} Company")
    kind = OrganizationKind.EMPLOYER
    size = OrganizationSize.MEDIUM
    website = factory.Sequence(lambda n: f"https://partner{n}.example")
    city = "New York"
    state = "NY"
    status = OrganizationStatus.APPROVED
    submitted_at = factory.LazyFunction(timezone.now)

    @factory.post_generation
    def sectors(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.sectors.set(extracted)


class ContactFactory(factory.django.DjangoModelFactory):
    """An active contact; the account is an employer's, active, with a verified address."""

    class Meta:
        model = Contact
        skip_postgeneration_save = True

    user = factory.SubFactory(EmployerUserFactory)
    organization = factory.SubFactory(OrganizationFactory)
    status = ContactStatus.ACTIVE
    job_title = "Manager"

    @factory.post_generation
    def verified(obj, create, extracted, **kwargs):
        if create:
            EmailAddress.objects.get_or_create(
                user=obj.user, email=obj.user.email, defaults={"verified": True, "primary": True}
            )


def partner_of(user, **org_kwargs) -> Organization:
    """An approved organization with ``user`` as its active primary contact."""
    organization = OrganizationFactory(**org_kwargs)
    ContactFactory(user=user, organization=organization, is_primary=True)
    return organization


class OfferFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Offer

    organization = factory.SubFactory(OrganizationFactory)
    sector = factory.SubFactory(SectorFactory)
    kind = OfferKind.INTERNSHIP


class AdvisorySeatFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AdvisorySeat

    organization = factory.SubFactory(OrganizationFactory)
    sector = factory.SubFactory(SectorFactory)
    body = AdvisoryBody.ADVISORY_BOARD
    person_name = factory.Sequence(lambda n: f"Member {n}")
    starts_on = factory.LazyFunction(lambda: timezone.localdate() - timedelta(days=30))
    ends_on = factory.LazyFunction(lambda: timezone.localdate() + timedelta(days=300))
    listed = True


class InteractionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Interaction

    organization = factory.SubFactory(OrganizationFactory)
    occurred_on = factory.LazyFunction(timezone.localdate)
    kind = InteractionKind.CALL
    summary = "Talked about internships."


class AgreementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Agreement

    organization = factory.SubFactory(OrganizationFactory)
    kind = AgreementKind.MOU
    title = factory.Sequence(lambda n: f"Agreement {n}")
    starts_on = factory.LazyFunction(lambda: timezone.localdate() - timedelta(days=100))
    ends_on = factory.LazyFunction(lambda: timezone.localdate() + timedelta(days=300))
    file = factory.LazyFunction(lambda: ContentFile(PDF_BYTES, name="agreement.pdf"))


class SubscriberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MailingListSubscriber

    email = factory.Sequence(lambda n: f"reader{n}@example.org")
    status = SubscriberStatus.CONFIRMED
