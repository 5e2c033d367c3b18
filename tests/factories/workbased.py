from __future__ import annotations

from datetime import datetime, time, timedelta
from decimal import Decimal

import factory
from django.utils import timezone

from tests.factories.partners import ContactFactory, OrganizationFactory
from tests.factories.pathways import OfferingFactory, PathwayFactory, SchoolFactory
from tests.factories.students import StudentProfileFactory
from tests.factories.users import CounselorUserFactory
from workbased.enums import (
    ApplicationStatus,
    HoursStatus,
    OpportunityKind,
    OpportunityStatus,
    PlacementStatus,
    RequestKind,
)
from workbased.models import (
    Application,
    HoursLog,
    Opportunity,
    OpportunitySession,
    Placement,
    SchoolRequest,
)


def at(days: int, hour: int = 10, minute: int = 0) -> datetime:
    """An aware local datetime ``days`` from today at the given time."""
    day = timezone.localdate() + timedelta(days=days)
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


class OpportunityFactory(factory.django.DjangoModelFactory):
    """A published, in-person guest speaker event in two weeks (one session, 10 to 12)."""

    class Meta:
        model = Opportunity
        skip_postgeneration_save = True

    organization = factory.SubFactory(OrganizationFactory)
    host = factory.SubFactory(ContactFactory, organization=factory.SelfAttribute("..organization"))
    kind = OpportunityKind.SPEAKER
    title = factory.Sequence(lambda n: f"Opportunity {n}")
    description = "Meet professionals and learn what they do."
    seats = 10
    address = "1 Centre Street, New York, NY"
    status = OpportunityStatus.PUBLISHED
    submitted_at = factory.LazyFunction(timezone.now)

    @factory.post_generation
    def sessions(obj, create, extracted, **kwargs):
        if not create:
            return
        if extracted is None:
            extracted = [(at(14, 10), at(14, 12))]
        for start, end in extracted:
            OpportunitySession.objects.create(opportunity=obj, starts_at=start, ends_at=end)

    @factory.post_generation
    def sectors(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.sectors.set(extracted)

    @factory.post_generation
    def pathways(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.pathways.set(extracted)


class InternshipFactory(OpportunityFactory):
    """A published internship over six weeks from next week, 10 h a week, one long session."""

    kind = OpportunityKind.INTERNSHIP
    hours_per_week = Decimal("10.0")
    is_paid = True

    @factory.post_generation
    def sessions(obj, create, extracted, **kwargs):
        if not create:
            return
        if extracted is None:
            extracted = [(at(7, 9), at(49, 17))]
        for start, end in extracted:
            OpportunitySession.objects.create(opportunity=obj, starts_at=start, ends_at=end)


class SessionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OpportunitySession

    opportunity = factory.SubFactory(OpportunityFactory, sessions=[])
    starts_at = factory.LazyFunction(lambda: at(14, 10))
    ends_at = factory.LazyAttribute(lambda s: s.starts_at + timedelta(hours=2))


class ApplicationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Application

    student = factory.SubFactory(StudentProfileFactory)
    opportunity = factory.SubFactory(OpportunityFactory)
    statement = "I want to learn how a hospital works."
    status = ApplicationStatus.SUBMITTED


class PlacementFactory(factory.django.DjangoModelFactory):
    """An active placement that started a month ago and ends in a month, on an accepted
    internship application."""

    class Meta:
        model = Placement

    application = factory.SubFactory(
        ApplicationFactory,
        status=ApplicationStatus.ACCEPTED,
        opportunity=factory.SubFactory(InternshipFactory, sessions=[(at(-30, 9), at(30, 17))]),
    )
    supervisor = factory.LazyAttribute(lambda p: p.application.opportunity.host)
    starts_on = factory.LazyFunction(lambda: timezone.localdate() - timedelta(days=30))
    ends_on = factory.LazyFunction(lambda: timezone.localdate() + timedelta(days=30))
    target_hours = Decimal("80.0")
    status = PlacementStatus.ACTIVE


class HoursLogFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = HoursLog

    placement = factory.SubFactory(PlacementFactory)
    date = factory.LazyFunction(lambda: timezone.localdate() - timedelta(days=3))
    start_time = time(15, 0)
    end_time = time(17, 0)
    hours = Decimal("2.00")
    activities = "Filed patient charts and shadowed a nurse."
    status = HoursStatus.PENDING


def pathway_at(school, **pathway_kwargs):
    """A published pathway offered at the school."""
    pathway = PathwayFactory(**pathway_kwargs)
    OfferingFactory(pathway=pathway, school=school)
    return pathway


class SchoolRequestFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SchoolRequest

    school = factory.SubFactory(SchoolFactory)
    pathway = factory.LazyAttribute(lambda r: pathway_at(r.school))
    kind = RequestKind.SPEAKER
    topic = "A day in the life of a nurse"
    earliest_date = factory.LazyFunction(lambda: timezone.localdate() + timedelta(days=10))
    latest_date = factory.LazyFunction(lambda: timezone.localdate() + timedelta(days=40))
    audience_size = 28
    grade = 10
    requested_by = factory.SubFactory(CounselorUserFactory)
