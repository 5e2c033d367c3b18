"""Every catalogue list page and endpoint costs the same number of queries with 1 pathway
as with 50 (STYLE.md: "Catalogue and list pages cost a constant number of queries").

Anonymous visitors have no session, so no session query; a signed-in person adds two (the
session and the user) plus whatever the header needs.
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.factories.pathways import SchoolFactory, SectorFactory, full_pathway

pytestmark = pytest.mark.django_db

SIZES = (1, 50)


@pytest.fixture
def sector(db):
    return SectorFactory(slug="health")


@pytest.fixture
def school(db):
    return SchoolFactory(slug="harbor")


def grow_in(sector, school):
    """Add n full pathways in ``sector``, each also offered at ``school``."""
    from tests.factories.pathways import OfferingFactory

    def grow(n: int) -> None:
        for _ in range(n):
            OfferingFactory(pathway=full_pathway(sector=sector), school=school)

    return grow


@pytest.mark.parametrize(
    ("url", "budget"),
    [
        # sectors with their counts
        (reverse("home"), 1),
        # filter choices (sectors, schools, credentials), count, one page of cards
        (reverse("pathways:list"), 5),
        # + the sectors whose name matches the keyword
        (reverse("pathways:list") + "?q=pathway&grade=9&credential=any&extended_day=true", 6),
        (reverse("pathways:list") + "?sector=health&school=harbor&college_credit=true", 5),
        # the sector, its pathways as cards
        (reverse("pathways:sector", args=["health"]), 3),  # sector, pathways, advisors
        # the school, its offerings with pathway and sector
        (reverse("pathways:school", args=["harbor"]), 2),
        # picker choices only
        (reverse("pathways:compare"), 1),
    ],
)
def test_catalogue_pages_query_count_is_constant(query_budget, sector, school, url, budget):
    query_budget(url, max_queries=budget, grow=grow_in(sector, school), sizes=SIZES)


@pytest.mark.parametrize(
    ("name", "budget"),
    [
        ("api:pathway-list", 2),  # count, page of pathways with sector and facts
        ("api:sector-list", 2),  # count, sectors with counts
        ("api:course-list", 3),  # count, courses, their college credit
        ("api:credential-list", 2),
        ("api:occupation-list", 2),
        ("api:school-list", 2),
        ("api:offering-list", 2),  # count, offerings with pathway and school
    ],
)
def test_catalogue_endpoints_query_count_is_constant(query_budget, sector, school, name, budget):
    query_budget(reverse(name), max_queries=budget, grow=grow_in(sector, school), sizes=SIZES)


def test_signed_in_list_adds_only_the_session_and_the_user(query_budget, sector, school, student):
    # The list's 5, plus what every signed-in page costs (session, user, the header's).
    query_budget(
        reverse("pathways:list"),
        max_queries=5 + 5,
        grow=grow_in(sector, school),
        sizes=SIZES,
        user=student,
    )


def test_pathway_and_compare_pages_query_count_is_bounded(client, django_assert_max_num_queries):
    pathways = [full_pathway() for _ in range(3)]
    detail = reverse("pathways:detail", args=[pathways[0].slug])
    compare = reverse("pathways:compare") + "".join(
        f"{'&' if i else '?'}p={p.slug}" for i, p in enumerate(pathways)
    )

    # pathway with sector and facts; sequence with courses; college credit; credentials;
    # careers; offerings with schools
    with django_assert_max_num_queries(6):
        client.get(detail)
    # the same for three pathways, plus the picker's choices
    with django_assert_max_num_queries(7):
        client.get(compare)
