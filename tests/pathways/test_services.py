"""Catalogue writes: all or nothing, with the rules checked and the actor recorded."""

from __future__ import annotations

from unittest import mock

import pytest
from django.contrib.admin.models import LogEntry
from django.db import IntegrityError

from pathways import services
from pathways.enums import PathwayStatus
from pathways.models import Pathway, PathwayCourse
from pathways.services import CatalogueError, SequenceEntry
from tests.factories.pathways import (
    CourseFactory,
    PathwayCourseFactory,
    PathwayFactory,
    SectorFactory,
)

pytestmark = pytest.mark.django_db


def test_pathway_create_writes_the_pathway_and_its_sequence(staff):
    sector = SectorFactory()
    first, second = CourseFactory(), CourseFactory()

    pathway = services.pathway_create(
        actor=staff,
        sector=sector,
        name="Nursing",
        slug="nursing",
        summary="Care.",
        status=PathwayStatus.PUBLISHED,
        sequence=[SequenceEntry(course=first, year=1), SequenceEntry(course=second, year=2)],
    )

    assert [(e.course, e.year) for e in pathway.sequence.all()] == [(first, 1), (second, 2)]
    assert LogEntry.objects.get().user == staff


def test_a_refused_sequence_leaves_no_pathway_behind(staff):
    sector, course = SectorFactory(), CourseFactory()

    with pytest.raises(CatalogueError) as refused:
        services.pathway_create(
            actor=staff,
            sector=sector,
            name="Nursing",
            slug="nursing",
            summary="Care.",
            sequence=[SequenceEntry(course=course, year=1), SequenceEntry(course=course, year=2)],
        )

    assert "sequence" in refused.value.message_dict
    assert not Pathway.objects.exists()
    assert not LogEntry.objects.exists()


def test_publishing_needs_a_sequence():
    pathway = PathwayFactory(status=PathwayStatus.DRAFT)

    with pytest.raises(CatalogueError) as refused:
        services.pathway_update(pathway=pathway, actor=None, status=PathwayStatus.PUBLISHED)

    assert "status" in refused.value.message_dict
    pathway.refresh_from_db()
    assert pathway.status == PathwayStatus.DRAFT


def test_update_leaves_lists_alone_unless_given():
    entry = PathwayCourseFactory()

    services.pathway_update(pathway=entry.pathway, actor=None, summary="New summary.")

    assert list(PathwayCourse.objects.all()) == [entry]


def test_a_field_that_is_not_the_service_s_is_refused():
    pathway = PathwayFactory()

    with pytest.raises(CatalogueError) as refused:
        services.pathway_update(pathway=pathway, actor=None, created_at=None)

    assert "created_at" in refused.value.message_dict


def test_a_race_the_database_catches_becomes_a_catalogue_error():
    sector = SectorFactory()

    with (
        mock.patch.object(Pathway, "save", side_effect=IntegrityError("duplicate key")),
        pytest.raises(CatalogueError),
    ):
        services.pathway_create(actor=None, sector=sector, name="X", slug="x", summary="x")


def test_writes_without_an_actor_are_not_logged():
    services.sector_create(actor=None, name="Health", slug="health")

    assert not LogEntry.objects.exists()


def test_errors_by_field_follow_the_api_convention():
    from django.core.exceptions import ValidationError

    assert services.errors_by_field(ValidationError("Whole thing.")) == {
        "non_field_errors": ["Whole thing."]
    }
    assert services.errors_by_field(
        ValidationError({"__all__": ["Whole."], "slug": ["Taken."]})
    ) == {"non_field_errors": ["Whole."], "slug": ["Taken."]}
