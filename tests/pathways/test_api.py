"""The catalogue's API: everyone reads what is published; CTE staff write, with nested
course sequences, and a refused write changes nothing."""

from __future__ import annotations

import json

import pytest
from django.contrib.admin.models import ADDITION, CHANGE, LogEntry
from django.urls import reverse

from pathways.enums import PathwayStatus, Schedule
from pathways.models import CollegeCredit, Course, Offering, Pathway, PathwayCourse, Sector
from tests.factories.pathways import (
    CollegeCreditFactory,
    CourseFactory,
    CredentialFactory,
    OccupationFactory,
    OfferingFactory,
    PathwayCourseFactory,
    PathwayFactory,
    SchoolFactory,
    SectorFactory,
    full_pathway,
)

pytestmark = pytest.mark.django_db

PATHWAYS = reverse("api:pathway-list")


def detail(pathway: Pathway) -> str:
    return reverse("api:pathway-detail", args=[pathway.slug])


def send(client, method: str, url: str, body, headers=None):
    return getattr(client, method)(
        url, json.dumps(body), content_type="application/json", headers=headers or {}
    )


def slugs(response) -> list[str]:
    assert response.status_code == 200, response.content
    return [item["slug"] for item in response.json()["results"]]


# --- Reading ------------------------------------------------------------------------------


def test_anyone_lists_published_pathways_with_their_facts(client):
    pathway = full_pathway(name="Nursing")
    PathwayFactory(status=PathwayStatus.DRAFT)

    response = client.get(PATHWAYS)

    assert response.status_code == 200
    [item] = response.json()["results"]
    assert item["slug"] == pathway.slug
    assert item["sector"] == {"slug": pathway.sector.slug, "name": pathway.sector.name}
    assert (item["has_credential"], item["has_college_credit"], item["has_extended_day"]) == (
        True,
        True,
        True,
    )
    assert item["school_count"] == 2


def test_staff_list_every_status_and_can_filter_by_it(client, staff, token_for):
    draft = PathwayFactory(status=PathwayStatus.DRAFT)
    published = PathwayFactory()

    assert set(slugs(client.get(PATHWAYS, headers=token_for(staff)))) == {
        draft.slug,
        published.slug,
    }
    assert slugs(client.get(PATHWAYS, {"status": "draft"}, headers=token_for(staff))) == [
        draft.slug
    ]
    assert slugs(client.get(PATHWAYS, {"status": "draft"})) == []


def test_pathway_detail_nests_its_contents(client):
    pathway = PathwayFactory()
    entry = PathwayCourseFactory(pathway=pathway, year=1, position=1, course__code="10152")
    CollegeCreditFactory(course=entry.course, credits=4)
    pathway.credentials.add(CredentialFactory(slug="a-plus"))
    pathway.occupations.add(OccupationFactory(soc_code="15-1252", projected_growth=17))
    OfferingFactory(pathway=pathway, school__slug="harbor", seats=25)

    data = client.get(detail(pathway)).json()

    assert data["sequence"][0]["course"]["code"] == "10152"
    assert data["sequence"][0]["course"]["college_credits"][0]["credits"] == "4.0"
    assert [c["slug"] for c in data["credentials"]] == ["a-plus"]
    assert data["occupations"][0]["outlook"] == "Much faster than average"
    assert data["offerings"][0]["school"]["slug"] == "harbor"
    assert data["offerings"][0]["seats_left"] == 25


def test_draft_pathway_is_not_found_by_the_public(client, student, token_for):
    draft = PathwayFactory(status=PathwayStatus.DRAFT)

    assert client.get(detail(draft)).status_code == 404
    assert client.get(detail(draft), headers=token_for(student)).status_code == 404


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"sector": "health"}, {"nursing", "pharmacy"}),
        ({"school": "harbor"}, {"nursing"}),
        ({"grade": "11"}, {"pharmacy"}),
        ({"credential": "any"}, {"nursing"}),
        ({"credential": "cna"}, {"nursing"}),
        ({"college_credit": "true"}, {"nursing"}),
        ({"college_credit": "false"}, {"pharmacy", "culinary"}),
        ({"extended_day": "true"}, {"nursing"}),
        ({"q": "nursing"}, {"nursing"}),
        ({"sector": "health", "grade": "9", "extended_day": "true"}, {"nursing"}),
        ({"sector": "health", "credential": "cna", "grade": "11"}, set()),
    ],
)
def test_pathway_filters_alone_and_combined(client, params, expected):
    health = SectorFactory(slug="health")
    nursing = full_pathway(slug="nursing", name="Nursing", sector=health)
    nursing.credentials.add(CredentialFactory(slug="cna"))
    OfferingFactory(pathway=nursing, school=SchoolFactory(slug="harbor"))
    PathwayFactory(slug="pharmacy", sector=health, entry_grade_min=10, entry_grade_max=11)
    PathwayFactory(slug="culinary")

    assert set(slugs(client.get(PATHWAYS, params))) == expected


@pytest.mark.parametrize(
    "params",
    [{"grade": "99"}, {"status": "secret"}, {"q": "x" * 201}, {"q": "a\x00b"}],
)
def test_invalid_filters_are_400_with_the_field_named(client, params):
    response = client.get(PATHWAYS, params)

    assert response.status_code == 400
    assert set(response.json()["errors"]) == set(params)


def test_other_resources_are_read_by_slug_or_code(client):
    sector = SectorFactory(slug="health")
    course = CourseFactory(code="14051")
    credential = CredentialFactory(slug="cna")
    occupation = OccupationFactory(soc_code="29-1141")
    school = SchoolFactory(slug="harbor")
    offering = OfferingFactory(school=school)

    for name, key in [
        ("api:sector-detail", sector.slug),
        ("api:course-detail", course.code),
        ("api:credential-detail", credential.slug),
        ("api:occupation-detail", occupation.soc_code),
        ("api:school-detail", school.slug),
        ("api:offering-detail", offering.pk),
    ]:
        assert client.get(reverse(name, args=[key])).status_code == 200, name


def test_lists_of_the_other_resources_filter(client):
    placed = PathwayCourseFactory(pathway__sector__slug="health", course__code="14051")
    CourseFactory(code="99999")
    CredentialFactory(slug="approved", state_approved=True)
    CredentialFactory(slug="not-approved", state_approved=False)
    OfferingFactory(school__slug="harbor", schedule=Schedule.EXTENDED_DAY)
    OfferingFactory()

    courses = client.get(reverse("api:course-list"), {"sector": "health"}).json()["results"]
    assert [c["code"] for c in courses] == [placed.course.code]
    credentials = client.get(reverse("api:credential-list"), {"state_approved": "true"})
    assert slugs(credentials) == ["approved"]
    offerings = client.get(reverse("api:offering-list"), {"school": "harbor"}).json()
    assert [o["school"] for o in offerings["results"]] == ["harbor"]
    extended = client.get(reverse("api:offering-list"), {"schedule": "extended_day"}).json()
    assert extended["count"] == 1


def test_sector_list_counts_published_pathways(client):
    sector = SectorFactory(slug="health")
    PathwayFactory.create_batch(2, sector=sector)
    PathwayFactory(sector=sector, status=PathwayStatus.DRAFT)

    [item] = client.get(reverse("api:sector-list")).json()["results"]

    assert item["pathway_count"] == 2


def test_offerings_of_unpublished_pathways_are_hidden_from_the_public(client, staff, token_for):
    OfferingFactory(pathway__status=PathwayStatus.DRAFT)

    assert client.get(reverse("api:offering-list")).json()["count"] == 0
    assert client.get(reverse("api:offering-list"), headers=token_for(staff)).json()["count"] == 1


# --- Who may write ------------------------------------------------------------------------

WRITES = [
    ("post", "api:sector-list", None),
    ("post", "api:pathway-list", None),
    ("post", "api:course-list", None),
    ("post", "api:credential-list", None),
    ("post", "api:occupation-list", None),
    ("post", "api:school-list", None),
    ("post", "api:offering-list", None),
    ("patch", "api:pathway-detail", "pathway"),
    ("put", "api:pathway-detail", "pathway"),
    ("patch", "api:sector-detail", "sector"),
]


def _url(name: str, target: str | None, pathway: Pathway) -> str:
    if target == "pathway":
        return reverse(name, args=[pathway.slug])
    if target == "sector":
        return reverse(name, args=[pathway.sector.slug])
    return reverse(name)


@pytest.mark.parametrize(("method", "name", "target"), WRITES)
def test_anonymous_writes_are_401(client, method, name, target):
    pathway = PathwayFactory(name="Unchanged")

    response = send(client, method, _url(name, target, pathway), {"name": "Changed"})

    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"] == "Token"
    pathway.refresh_from_db()
    assert pathway.name == "Unchanged"


@pytest.mark.parametrize("role", ["student", "counselor", "employer"])
@pytest.mark.parametrize(("method", "name", "target"), WRITES)
def test_writes_by_anyone_but_staff_are_403(client, request, token_for, role, method, name, target):
    user = request.getfixturevalue(role)
    pathway = PathwayFactory(name="Unchanged")

    response = send(
        client, method, _url(name, target, pathway), {"name": "Changed"}, token_for(user)
    )

    assert response.status_code == 403
    pathway.refresh_from_db()
    assert pathway.name == "Unchanged"


def test_there_is_no_delete(client, staff, token_for):
    pathway = PathwayFactory()

    assert client.delete(detail(pathway), headers=token_for(staff)).status_code == 405
    assert Pathway.objects.filter(pk=pathway.pk).exists()


def test_writes_take_json_only(client, staff, token_for):
    response = client.post(PATHWAYS, {"name": "x"}, headers=token_for(staff))

    assert response.status_code == 415


# --- Staff writes with nested sequences ---------------------------------------------------


@pytest.fixture
def catalogue(db):
    SectorFactory(slug="it")
    CourseFactory(code="10011")
    CourseFactory(code="10152")
    CourseFactory(code="10159")
    CredentialFactory(slug="a-plus")
    OccupationFactory(soc_code="15-1252")


def new_pathway(**changes) -> dict:
    body = {
        "slug": "software-engineering",
        "name": "Software Engineering",
        "sector": "it",
        "summary": "Build software.",
        "description": "Python, the web, and a capstone.",
        "cip_code": "11.0201",
        "entry_grade_min": 9,
        "entry_grade_max": 10,
        "status": "published",
        "credentials": ["a-plus"],
        "occupations": ["15-1252"],
        "sequence": [
            {"course": "10011", "year": 1},
            {"course": "10152", "year": 2, "position": 1},
            {"course": "10159", "year": 4, "required": False},
        ],
    }
    body.update(changes)
    return body


def sequence_of(slug: str) -> list[tuple[str, int, int, bool]]:
    return list(
        PathwayCourse.objects.filter(pathway__slug=slug)
        .order_by("year", "position")
        .values_list("course__code", "year", "position", "required")
    )


def test_staff_create_a_pathway_with_its_sequence(client, staff, token_for, catalogue):
    response = send(client, "post", PATHWAYS, new_pathway(), token_for(staff))

    assert response.status_code == 201, response.json()
    data = response.json()
    assert data["slug"] == "software-engineering"
    assert [e["course"]["code"] for e in data["sequence"]] == ["10011", "10152", "10159"]
    assert sequence_of("software-engineering") == [
        ("10011", 1, 1, True),
        ("10152", 2, 1, True),
        ("10159", 4, 1, False),
    ]
    pathway = Pathway.objects.get(slug="software-engineering")
    assert [c.slug for c in pathway.credentials.all()] == ["a-plus"]
    assert [o.soc_code for o in pathway.occupations.all()] == ["15-1252"]
    entry = LogEntry.objects.get(object_id=str(pathway.pk))
    assert (entry.user, entry.action_flag) == (staff, ADDITION)


def test_staff_replace_a_sequence(client, staff, token_for, catalogue):
    send(client, "post", PATHWAYS, new_pathway(), token_for(staff))
    pathway = Pathway.objects.get(slug="software-engineering")

    response = send(
        client,
        "put",
        detail(pathway),
        new_pathway(name="Software Development", sequence=[{"course": "10152", "year": 1}]),
        token_for(staff),
    )

    assert response.status_code == 200, response.json()
    assert response.json()["name"] == "Software Development"
    assert sequence_of(pathway.slug) == [("10152", 1, 1, True)]
    change = LogEntry.objects.get(object_id=str(pathway.pk), action_flag=CHANGE)
    assert "name" in change.get_change_message() and "courses" in change.get_change_message()


def test_a_patch_without_sequence_keeps_it(client, staff, token_for, catalogue):
    send(client, "post", PATHWAYS, new_pathway(), token_for(staff))
    pathway = Pathway.objects.get(slug="software-engineering")

    response = send(client, "patch", detail(pathway), {"summary": "New."}, token_for(staff))

    assert response.status_code == 200
    assert len(sequence_of(pathway.slug)) == 3
    pathway.refresh_from_db()
    assert pathway.summary == "New."


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"sector": "no-such-sector"}, "sector"),
        ({"sequence": [{"course": "NOPE", "year": 1}]}, "sequence"),
        ({"sequence": [{"course": "10011", "year": 9}]}, "sequence"),
        ({"sequence": [{"course": "10011", "year": 1}, {"course": "10011", "year": 2}]},
         "sequence"),
        ({"sequence": [{"course": "10011", "year": 1}, {"course": "10152", "year": 1}]},
         "sequence"),
        ({"sequence": [], "status": "published"}, "status"),
        ({"sequence": "not a list"}, "sequence"),
        ({"entry_grade_min": 11, "entry_grade_max": 9}, "non_field_errors"),
        ({"cip_code": "eleven"}, "cip_code"),
        ({"slug": "compare"}, "non_field_errors"),
        ({"slug": "has spaces"}, "slug"),
        ({"credentials": ["no-such-credential"]}, "credentials"),
        ({"name": ""}, "name"),
        ({"status": "secret"}, "status"),
    ],
)  # fmt: skip
def test_an_invalid_pathway_is_400_with_field_errors_and_writes_nothing(
    client, staff, token_for, catalogue, changes, field
):
    response = send(client, "post", PATHWAYS, new_pathway(**changes), token_for(staff))

    assert response.status_code == 400, response.json()
    assert field in response.json()["errors"]
    assert not Pathway.objects.exists()
    assert not PathwayCourse.objects.exists()
    assert not LogEntry.objects.exists()


def test_an_invalid_update_changes_nothing(client, staff, token_for, catalogue):
    send(client, "post", PATHWAYS, new_pathway(), token_for(staff))
    pathway = Pathway.objects.get(slug="software-engineering")
    before = sequence_of(pathway.slug)

    response = send(
        client,
        "patch",
        detail(pathway),
        {
            "name": "Renamed",
            "sequence": [{"course": "10011", "year": 1}, {"course": "10011", "year": 2}],
        },
        token_for(staff),
    )

    assert response.status_code == 400
    pathway.refresh_from_db()
    assert pathway.name == "Software Engineering"
    assert sequence_of(pathway.slug) == before


def test_a_duplicate_slug_is_refused(client, staff, token_for, catalogue):
    PathwayFactory(slug="software-engineering")

    response = send(client, "post", PATHWAYS, new_pathway(), token_for(staff))

    assert response.status_code == 400
    assert "slug" in response.json()["errors"]


def test_staff_create_a_course_with_its_college_credit(client, staff, token_for):
    body = {
        "code": "14051",
        "title": "Anatomy and Physiology",
        "level": "concentrator",
        "credits": "1.00",
        "grade_min": 10,
        "grade_max": 12,
        "college_credits": [
            {"kind": "dual", "college": "LaGuardia CC", "college_course": "SCB 203", "credits": "4"}
        ],
    }

    response = send(client, "post", reverse("api:course-list"), body, token_for(staff))

    assert response.status_code == 201, response.json()
    assert response.json()["college_credits"][0]["college"] == "LaGuardia CC"
    assert CollegeCredit.objects.get().course.code == "14051"


def test_a_course_with_a_duplicate_college_credit_writes_nothing(client, staff, token_for):
    credit = {"kind": "dual", "college": "LaGuardia CC", "college_course": "SCB 203", "credits": 4}
    body = {
        "code": "14051",
        "title": "Anatomy and Physiology",
        "level": "concentrator",
        "grade_min": 10,
        "grade_max": 12,
        "college_credits": [credit, credit],
    }

    response = send(client, "post", reverse("api:course-list"), body, token_for(staff))

    assert response.status_code == 400
    assert "college_credits" in response.json()["errors"]
    assert not Course.objects.exists()


def test_staff_create_sectors_schools_credentials_occupations_and_offerings(
    client, staff, token_for
):
    headers = token_for(staff)
    for name, body in [
        ("api:sector-list", {"slug": "health", "name": "Health Sciences"}),
        ("api:school-list", {"slug": "harbor", "name": "Harbor HS", "code": "02M615",
                             "level": "high"}),
        ("api:credential-list", {"slug": "cna", "name": "CNA", "issuer": "NYS DOH",
                                 "kind": "certification"}),
        ("api:occupation-list", {"soc_code": "31-1131", "title": "Nursing Assistants",
                                 "median_annual_wage": 38130, "projected_growth": "4.0",
                                 "data_source": "BLS", "data_year": 2023}),
    ]:  # fmt: skip
        response = send(client, "post", reverse(name), body, headers)
        assert response.status_code == 201, (name, response.json())
    pathway = PathwayFactory(sector=Sector.objects.get(slug="health"))

    response = send(
        client,
        "post",
        reverse("api:offering-list"),
        {"pathway": pathway.slug, "school": "harbor", "school_year": 2030, "seats": 25},
        headers,
    )

    assert response.status_code == 201, response.json()
    assert response.json()["seats_left"] == 25


def test_an_offering_cannot_shrink_below_its_filled_seats(client, staff, token_for):
    offering = OfferingFactory(seats=25)
    Offering.objects.filter(pk=offering.pk).update(seats_filled=20)

    response = send(
        client,
        "patch",
        reverse("api:offering-detail", args=[offering.pk]),
        {"seats": 10, "seats_filled": 0},
        token_for(staff),
    )

    assert response.status_code == 400
    assert "20 seats are already taken" in str(response.json())
    offering.refresh_from_db()
    assert (offering.seats, offering.seats_filled) == (25, 20)


def test_the_same_offering_twice_is_refused(client, staff, token_for):
    offering = OfferingFactory()
    body = {
        "pathway": offering.pathway.slug,
        "school": offering.school.slug,
        "school_year": offering.school_year,
        "schedule": offering.schedule,
        "seats": 10,
    }

    response = send(client, "post", reverse("api:offering-list"), body, token_for(staff))

    assert response.status_code == 400
    assert Offering.objects.count() == 1


def test_the_browsable_api_renders_write_forms_for_staff(client_for, staff):
    pathway = full_pathway()

    response = client_for(staff).get(detail(pathway), headers={"Accept": "text/html"})

    assert response.status_code == 200
    assert "software" in response.content.decode().lower() or pathway.slug in (
        response.content.decode()
    )


def test_a_drafts_sequence_is_not_public_through_the_course_filters(client, staff, token_for):
    public = PathwayCourseFactory(pathway__slug="welding", pathway__sector__slug="trades")
    draft = PathwayCourseFactory(
        pathway__slug="solar",
        pathway__status=PathwayStatus.DRAFT,
        pathway__sector=public.pathway.sector,
    )
    courses = reverse("api:course-list")

    def codes(params, headers=None):
        found = client.get(courses, params, headers=headers or {}).json()["results"]
        return sorted(c["code"] for c in found)

    assert codes({"pathway": "solar"}) == []
    assert codes({"sector": "trades"}) == [public.course.code]
    assert codes({"pathway": "solar"}, token_for(staff)) == [draft.course.code]
    assert codes({"sector": "trades"}, token_for(staff)) == sorted(
        [public.course.code, draft.course.code]
    )


def test_an_implausible_data_year_is_a_field_error(client, staff, token_for):
    body = {
        "soc_code": "29-1141",
        "title": "Registered Nurses",
        "data_source": "BLS",
        "data_year": 1800,
    }

    response = send(client, "post", reverse("api:occupation-list"), body, token_for(staff))

    assert response.status_code == 400
    assert "data_year" in response.json()["errors"]


def test_an_update_that_changes_nothing_leaves_no_history(client, staff, token_for):
    course = CourseFactory(title="Welding I")
    url = reverse("api:course-detail", args=[course.code])

    response = send(client, "patch", url, {"title": "Welding I"}, token_for(staff))

    assert response.status_code == 200
    assert not LogEntry.objects.filter(object_id=str(course.pk), action_flag=CHANGE).exists()
    send(client, "patch", url, {"title": "Welding 1"}, token_for(staff))
    assert LogEntry.objects.filter(object_id=str(course.pk), action_flag=CHANGE).count() == 1
