"""Every read of the catalogue, with its joins, annotations and visibility rule.

Pages and API views both call these, so "what a family may see" is decided once: the public
sees published pathways, CTE staff see every status; offerings count from the current school
year on. Each function's query count does not grow with the catalogue (list pages annotate
in SQL and prefetch, never loop).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.postgres.search import (
    SearchQuery,
    SearchRank,
    SearchVector,
    TrigramWordSimilarity,
)
from django.db import connection
from django.db.models import (
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
from django.db.models.functions import Coalesce, Greatest
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from cte_portal.users.permissions import is_cte_staff

from .enums import PathwayStatus, Schedule
from .models import (
    CollegeCredit,
    Course,
    Credential,
    Occupation,
    Offering,
    Pathway,
    PathwayCourse,
    School,
    Sector,
    current_school_year,
)

# The value of the ``credential`` filter meaning "leads to at least one credential".
ANY_CREDENTIAL = "any"
MAX_COMPARED = 3


def sector_label() -> str:
    """The word people see for a sector ("Career cluster" unless the district says so)."""
    return _(str(settings.CATALOGUE_SECTOR_LABEL))


@dataclass(frozen=True)
class CatalogueFilters:
    """What a family (or an API client) asked the catalogue for. Every part is optional."""

    q: str = ""
    sector: str = ""
    school: str = ""
    grade: int | None = None
    credential: str = ""
    # None: either way; True: only pathways that do; False: only those that do not.
    college_credit: bool | None = None
    extended_day: bool | None = None
    status: str = ""

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any]) -> CatalogueFilters:
        """From a form's or a filterset's ``cleaned_data`` (missing or empty means "any")."""
        return cls(
            q=(data.get("q") or "").replace("\x00", "").strip(),
            sector=data.get("sector") or "",
            school=data.get("school") or "",
            grade=int(data["grade"]) if data.get("grade") else None,
            credential=data.get("credential") or "",
            college_credit=data.get("college_credit"),
            extended_day=data.get("extended_day"),
            status=data.get("status") or "",
        )

    @property
    def narrows(self) -> bool:
        """True when anything besides the keyword narrows the list."""
        return bool(
            self.sector
            or self.school
            or self.grade
            or self.credential
            or self.college_credit is not None
            or self.extended_day is not None
            or self.status
        )


# --- Search ------------------------------------------------------------------------------


def search_configs() -> tuple[str, ...]:
    """The text-search configurations for the language the person reads in.

    The catalogue is written in English, so a Spanish reader's words are matched with the
    Spanish rules *and* the English ones: "enfermería" finds Spanish text, "nursing" still
    finds "Nurse Aide".
    """
    if (get_language() or "").startswith("es"):
        return ("spanish", "english")
    return ("english",)


def search_vector(config: str) -> SearchVector:
    """Name weighs most, then the summary, then the description.

    Migration 0002 indexes exactly this expression (GIN), per configuration.
    """
    return (
        SearchVector("name", weight="A", config=config)
        + SearchVector("summary", weight="B", config=config)
        + SearchVector("description", weight="C", config=config)
    )


def _pathway_search_postgresql(queryset: QuerySet[Pathway], *, q: str) -> QuerySet[Pathway]:
    """Full text in each of the reader's configurations (each has its GIN index, so the
    ``OR`` is a bitmap union of index scans), the best rank of them, plus name trigrams."""
    matches = Q(name__trigram_word_similar=q)
    ranks = []
    sectors: set[int] = set()
    documents = {}
    for config in search_configs():
        query = SearchQuery(q, search_type="websearch", config=config)
        vector = search_vector(config)
        documents[f"document_{config}"] = vector
        matches |= Q(**{f"document_{config}": query})
        ranks.append(SearchRank(vector, query))
        # One small query on the sectors, so the pathway query can still use its indexes.
        sectors.update(
            Sector.objects.alias(document=SearchVector("name", config=config))
            .filter(document=query)
            .order_by()
            .values_list("pk", flat=True)
        )
    rank = (Greatest(*ranks) if len(ranks) > 1 else ranks[0]) + TrigramWordSimilarity(q, "name") / 2
    if sectors:
        matches |= Q(sector_id__in=sectors)
        rank += Case(When(sector_id__in=sectors, then=Value(0.05)), default=Value(0.0))
    return queryset.alias(**documents).filter(matches).annotate(rank=rank).order_by("-rank", "name")


def pathway_search(queryset: QuerySet[Pathway], *, q: str) -> QuerySet[Pathway]:
    """Keep the pathways matching ``q``, best first (annotated ``rank``).

    PostgreSQL: full-text search in the reader's language, ranked by where the words occur,
    plus trigram similarity on the name so "cullinary" still finds Culinary Arts, plus the
    pathways of a sector whose name matches ("health"), ranked below any text match.
    Elsewhere (SQLite for ``make run``): every word must occur somewhere, the sector's name
    included; name matches come first.
    """
    q = q.replace("\x00", "").strip()
    if not q:
        return queryset
    if connection.vendor == "postgresql":
        return _pathway_search_postgresql(queryset, q=q)
    for word in q.split()[:10]:
        queryset = queryset.filter(
            Q(name__icontains=word)
            | Q(summary__icontains=word)
            | Q(description__icontains=word)
            | Q(sector__name__icontains=word)
        )
    return queryset.annotate(
        rank=Case(
            When(name__icontains=q, then=Value(3)),
            When(summary__icontains=q, then=Value(2)),
            default=Value(1),
            output_field=IntegerField(),
        )
    ).order_by("-rank", "name")


# --- Pathways ----------------------------------------------------------------------------


def offerings_current() -> QuerySet[Offering]:
    """Offerings of the school year under way and later ones: what a family can still join."""
    return Offering.objects.filter(school_year__gte=current_school_year())


def pathway_list_visible_to(*, user: Any) -> QuerySet[Pathway]:
    """Published pathways for everyone; every status for CTE staff."""
    pathways = Pathway.objects.all()
    if not is_cte_staff(user):
        pathways = pathways.filter(status=PathwayStatus.PUBLISHED)
    return pathways


def _with_card_data(pathways: QuerySet[Pathway]) -> QuerySet[Pathway]:
    """What a pathway card shows, in SQL: its sector and yes/no facts, and its school count."""
    here = OuterRef("pk")
    current = offerings_current().filter(pathway=here)
    school_count = (
        current.order_by().values("pathway").annotate(n=Count("school", distinct=True)).values("n")
    )
    return pathways.select_related("sector").annotate(
        has_credential=Exists(Pathway.credentials.through.objects.filter(pathway=here)),
        has_college_credit=Exists(
            PathwayCourse.objects.filter(pathway=here, course__college_credits__isnull=False)
        ),
        has_extended_day=Exists(current.filter(schedule=Schedule.EXTENDED_DAY)),
        school_count=Coalesce(Subquery(school_count, output_field=IntegerField()), 0),
    )


def pathway_apply_filters(
    pathways: QuerySet[Pathway], *, filters: CatalogueFilters
) -> QuerySet[Pathway]:
    """Narrow a list by every filter given; they combine (AND). Search ranks last."""
    here = OuterRef("pk")
    if filters.status:
        pathways = pathways.filter(status=filters.status)
    if filters.sector:
        pathways = pathways.filter(sector__slug=filters.sector)
    if filters.school:
        pathways = pathways.filter(
            Exists(offerings_current().filter(pathway=here, school__slug=filters.school))
        )
    if filters.grade:
        pathways = pathways.filter(
            entry_grade_min__lte=filters.grade, entry_grade_max__gte=filters.grade
        )
    if filters.credential == ANY_CREDENTIAL:
        pathways = pathways.filter(Exists(Pathway.credentials.through.objects.filter(pathway=here)))
    elif filters.credential:
        pathways = pathways.filter(
            Exists(
                Pathway.credentials.through.objects.filter(
                    pathway=here, credential__slug=filters.credential
                )
            )
        )
    if filters.college_credit is not None:
        earns = Exists(
            PathwayCourse.objects.filter(pathway=here, course__college_credits__isnull=False)
        )
        pathways = pathways.filter(earns if filters.college_credit else ~earns)
    if filters.extended_day is not None:
        after_school = Exists(
            offerings_current().filter(pathway=here, schedule=Schedule.EXTENDED_DAY)
        )
        pathways = pathways.filter(after_school if filters.extended_day else ~after_school)
    return pathway_search(pathways, q=filters.q)


def pathway_catalogue(*, filters: CatalogueFilters, user: Any = None) -> QuerySet[Pathway]:
    """The catalogue's list: what ``user`` may see, narrowed by ``filters``, as cards.

    Ordered by relevance when there is a keyword, by name otherwise.
    """
    pathways = _with_card_data(pathway_list_visible_to(user=user)).order_by("name")
    return pathway_apply_filters(pathways, filters=filters)


def pathway_detail_queryset(*, user: Any = None) -> QuerySet[Pathway]:
    """Pathways with everything their page shows, in a fixed number of queries."""
    sequence = PathwayCourse.objects.select_related("course").prefetch_related(
        Prefetch("course__college_credits", queryset=CollegeCredit.objects.order_by("college"))
    )
    offerings = (
        offerings_current()
        .select_related("school")
        .order_by("school_year", "school__name", "schedule")
    )
    return _with_card_data(pathway_list_visible_to(user=user)).prefetch_related(
        Prefetch("sequence", queryset=sequence.order_by("year", "position")),
        Prefetch("credentials", queryset=Credential.objects.order_by("name")),
        Prefetch("occupations", queryset=Occupation.objects.order_by("title")),
        Prefetch("offerings", queryset=offerings),
    )


def pathway_get(*, slug: str, user: Any = None) -> Pathway | None:
    """One pathway for its page, or None if it does not exist or ``user`` may not see it."""
    return pathway_detail_queryset(user=user).filter(slug=slug).first()


@dataclass
class Comparison:
    """The pathways to put side by side, and what went wrong picking them."""

    pathways: list[Pathway]
    unknown: list[str]
    too_many: bool


def pathway_compare(*, slugs: Iterable[str], user: Any = None) -> Comparison:
    """The first ``MAX_COMPARED`` distinct pathways among ``slugs``, in the order asked."""
    wanted = list(dict.fromkeys(s.strip() for s in slugs if s and s.strip()))
    too_many = len(wanted) > MAX_COMPARED
    found = {p.slug: p for p in pathway_detail_queryset(user=user).filter(slug__in=wanted[:50])}
    known = [slug for slug in wanted if slug in found]
    return Comparison(
        pathways=[found[slug] for slug in known[:MAX_COMPARED]],
        unknown=[slug for slug in wanted if slug not in found],
        too_many=too_many,
    )


def pathway_choices(*, user: Any = None) -> list[tuple[str, list[tuple[str, str]]]]:
    """Pathways grouped by sector, for pickers: ``[(sector, [(slug, name), ...]), ...]``."""
    groups: dict[str, list[tuple[str, str]]] = {}
    rows = (
        pathway_list_visible_to(user=user)
        .order_by("sector__position", "sector__name", "name")
        .values_list("sector__name", "slug", "name")
    )
    for sector_name, slug, name in rows:
        groups.setdefault(sector_name, []).append((slug, name))
    return list(groups.items())


def catalogue_filter_choices(*, user: Any = None) -> dict[str, list[tuple[str, str]]]:
    """The choices of the catalogue's filters (slug, name): the sectors, and the schools and
    credentials of the pathways the person can see, so no choice leads to an empty list only
    because it belongs to an archived or draft pathway."""
    visible = pathway_list_visible_to(user=user)
    schools = School.objects.filter(
        Exists(Offering.objects.filter(school=OuterRef("pk"), pathway__in=visible))
    )
    credentials = Credential.objects.filter(Exists(visible.filter(credentials=OuterRef("pk"))))
    return {
        "sectors": list(Sector.objects.values_list("slug", "name")),
        "schools": list(schools.values_list("slug", "name")),
        "credentials": list(credentials.values_list("slug", "name")),
    }


# --- Sectors and schools -----------------------------------------------------------------


def sector_list_with_counts() -> QuerySet[Sector]:
    """Sectors with the number of published pathways in each (``pathway_count``)."""
    return Sector.objects.annotate(
        pathway_count=Count("pathways", filter=Q(pathways__status=PathwayStatus.PUBLISHED))
    ).order_by("position", "name")


def sector_get(*, slug: str) -> Sector | None:
    return Sector.objects.filter(slug=slug).first()


def sector_pathways(*, sector: Sector, user: Any = None) -> QuerySet[Pathway]:
    return pathway_catalogue(filters=CatalogueFilters(sector=sector.slug), user=user)


def school_get(*, slug: str) -> School | None:
    return School.objects.filter(slug=slug).first()


def school_offerings(*, school: School, user: Any = None) -> QuerySet[Offering]:
    """What a school offers from this year on, of the pathways ``user`` may see."""
    visible = pathway_list_visible_to(user=user)
    return (
        offerings_current()
        .filter(school=school, pathway__in=visible)
        .select_related("pathway__sector")
        .order_by("school_year", "pathway__name", "schedule")
    )


# --- The API's other lists ---------------------------------------------------------------


def sector_list() -> QuerySet[Sector]:
    return sector_list_with_counts()


def course_list() -> QuerySet[Course]:
    return Course.objects.prefetch_related(
        Prefetch("college_credits", queryset=CollegeCredit.objects.order_by("college"))
    ).order_by("code")


def credential_list() -> QuerySet[Credential]:
    return Credential.objects.order_by("name")


def occupation_list() -> QuerySet[Occupation]:
    return Occupation.objects.order_by("title")


def school_list() -> QuerySet[School]:
    return School.objects.order_by("name")


def offering_list_visible_to(*, user: Any = None) -> QuerySet[Offering]:
    """Offerings of visible pathways. Staff also see past years; the public from this year."""
    offerings = Offering.objects.all() if is_cte_staff(user) else offerings_current()
    return (
        offerings.filter(pathway__in=pathway_list_visible_to(user=user))
        .select_related("pathway", "school")
        .order_by("-school_year", "school__name", "pathway__name", "id")
    )
