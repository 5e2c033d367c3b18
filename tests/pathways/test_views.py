"""The catalogue's pages, as a family (and CTE staff) see them."""

from __future__ import annotations

import pytest
from django.urls import NoReverseMatch, reverse

from pathways.enums import PathwayStatus, Schedule
from pathways.models import Offering
from tests.factories.pathways import (
    CollegeCreditFactory,
    CredentialFactory,
    OccupationFactory,
    OfferingFactory,
    PathwayCourseFactory,
    PathwayFactory,
    SchoolFactory,
    SectorFactory,
    full_pathway,
)
from tests.pathways.structure import check_structure

pytestmark = pytest.mark.django_db

LIST = reverse("pathways:list")


def listed(client, **params) -> list[str]:
    response = client.get(LIST, params)
    assert response.status_code == 200
    return [p.name for p in response.context["page"]]


# --- Home ---------------------------------------------------------------------------------


def test_home_lists_sectors_with_their_published_pathway_counts(client):
    health = SectorFactory(name="Health Sciences")
    PathwayFactory.create_batch(2, sector=health)
    PathwayFactory(sector=health, status=PathwayStatus.DRAFT)
    SectorFactory(name="Culinary Arts")

    response = client.get(reverse("home"))

    page = response.content.decode()
    assert {s.name: s.pathway_count for s in response.context["sectors"]} == {
        "Health Sciences": 2,
        "Culinary Arts": 0,
    }
    assert "2 pathways" in page
    assert 'action="/pathways/"' in page and 'name="q"' in page
    assert "How CTE works" in page and "Concentrator" in page
    check_structure(page)


def test_home_uses_the_district_s_word_for_a_sector(client, settings):
    settings.CATALOGUE_SECTOR_LABEL = "Industry sector"

    page = client.get(reverse("home")).content.decode()

    assert "Browse by industry sector" in page


@pytest.mark.parametrize("route", ["partners:join", "workbased:opportunity_list"])
def test_home_links_to_partner_sign_up_and_opportunities_once_they_exist(client, route):
    try:
        url = reverse(route)
    except NoReverseMatch:
        url = None

    page = client.get(reverse("home")).content.decode()

    if url:
        assert f'href="{url}"' in page
    else:  # the page it would link to is not built yet: no dead link
        assert route.split(":")[0] + "/" not in page


# --- The list: search, filters, pagination, empty state ----------------------------------


def test_list_shows_published_pathways_only(client, staff, client_for):
    PathwayFactory(name="Visible")
    PathwayFactory(name="Draft", status=PathwayStatus.DRAFT)
    PathwayFactory(name="Archived", status=PathwayStatus.ARCHIVED)

    assert listed(client) == ["Visible"]
    assert listed(client_for(staff)) == ["Archived", "Draft", "Visible"]


def test_filter_by_sector(client):
    health = SectorFactory(slug="health")
    PathwayFactory(name="Nursing", sector=health)
    PathwayFactory(name="Culinary")

    assert listed(client, sector="health") == ["Nursing"]


def test_filter_by_school_counts_this_year_and_later_offerings(client):
    school = SchoolFactory(slug="harbor")
    OfferingFactory(pathway__name="Offered now", school=school)
    past = OfferingFactory(pathway__name="Offered long ago", school=school)
    Offering.objects.filter(pk=past.pk).update(school_year=2001)
    OfferingFactory(pathway__name="Elsewhere")

    assert listed(client, school="harbor") == ["Offered now"]


def test_filter_by_grade_uses_entry_grades(client):
    PathwayFactory(name="Middle", entry_grade_min=7, entry_grade_max=8)
    PathwayFactory(name="Ninth", entry_grade_min=9, entry_grade_max=9)
    PathwayFactory(name="Ninth or tenth", entry_grade_min=9, entry_grade_max=10)

    assert listed(client, grade=9) == ["Ninth", "Ninth or tenth"]
    assert listed(client, grade=10) == ["Ninth or tenth"]
    assert listed(client, grade=7) == ["Middle"]


def test_filter_by_credential_any_or_one(client):
    a_plus = CredentialFactory(slug="a-plus")
    PathwayFactory(name="With A+").credentials.add(a_plus)
    PathwayFactory(name="With another").credentials.add(CredentialFactory())
    PathwayFactory(name="Without")

    assert listed(client, credential="any") == ["With A+", "With another"]
    assert listed(client, credential="a-plus") == ["With A+"]


def test_filter_by_college_credit(client):
    entry = PathwayCourseFactory(pathway__name="Earns credit")
    CollegeCreditFactory(course=entry.course)
    PathwayCourseFactory(pathway__name="No credit")

    assert listed(client, college_credit="true") == ["Earns credit"]


def test_filter_by_extended_day(client):
    OfferingFactory(pathway__name="After school", schedule=Schedule.EXTENDED_DAY)
    OfferingFactory(pathway__name="Day only")

    assert listed(client, extended_day="true") == ["After school"]


@pytest.mark.parametrize("unticked", ["0", "false", "no", "off", "False"])
def test_an_unticked_filter_in_the_url_filters_nothing(client, unticked):
    OfferingFactory(pathway__name="After school", schedule=Schedule.EXTENDED_DAY)
    entry = PathwayCourseFactory(pathway__name="Earns credit")
    CollegeCreditFactory(course=entry.course)
    OfferingFactory(pathway__name="Day only")

    both = listed(client, extended_day=unticked, college_credit=unticked)

    assert sorted(both) == ["After school", "Day only", "Earns credit"]


def test_filters_combine(client):
    health = SectorFactory(slug="health")
    school = SchoolFactory(slug="harbor")
    match = full_pathway(name="Match", sector=health)
    OfferingFactory(pathway=match, school=school, schedule=Schedule.EXTENDED_DAY)
    full_pathway(name="Other sector")
    OfferingFactory(pathway=PathwayFactory(name="No credit", sector=health), school=school)
    full_pathway(name="Match but grade 11", sector=health, entry_grade_min=11, entry_grade_max=12)

    assert listed(
        client,
        sector="health",
        school="harbor",
        grade=9,
        credential="any",
        college_credit="true",
        extended_day="true",
    ) == ["Match"]
    assert listed(client, q="match", sector="health", grade=11) == ["Match but grade 11"]


def test_the_form_keeps_what_was_asked(client):
    SectorFactory(slug="health", name="Health Sciences")

    page = client.get(LIST, {"q": "nurse", "sector": "health", "college_credit": "true"})

    html = page.content.decode()
    assert 'value="nurse"' in html
    assert '<option value="health" selected>' in html
    assert 'name="college_credit" value="true"' in html and "checked" in html


def test_empty_state_keeps_the_search_and_offers_ways_out(client):
    health = SectorFactory(slug="health")
    PathwayFactory(name="Nursing", sector=health)

    response = client.get(LIST, {"q": "astronaut", "sector": "health"})

    html = response.content.decode()
    assert response.context["page"].paginator.count == 0
    assert "No pathways match “astronaut”" in html
    assert 'value="astronaut"' in html
    assert "?q=astronaut" in html  # search again without the filters
    check_structure(html)


def test_empty_catalogue_says_so(client):
    html = client.get(LIST).content.decode()

    assert "No pathways match these filters" in html


def test_an_invalid_filter_is_flagged_and_the_others_still_apply(client):
    health = SectorFactory(slug="health")
    PathwayFactory(name="Nursing", sector=health)
    PathwayFactory(name="Culinary")

    response = client.get(LIST, {"sector": "health", "grade": "99", "school": "nowhere"})

    assert [p.name for p in response.context["page"]] == ["Nursing"]
    assert set(response.context["form"].errors) == {"grade", "school"}
    assert "Some filters could not be used" in response.content.decode()


def test_active_filters_can_be_removed_one_by_one(client):
    SectorFactory(slug="health", name="Health Sciences")

    response = client.get(LIST, {"q": "care", "sector": "health", "grade": "9"})

    removals = {f["text"]: f["url"] for f in response.context["active_filters"]}
    assert removals == {
        "Career cluster: Health Sciences": "?q=care&grade=9",
        "Can join in grade: 9": "?q=care&sector=health",
    }


def test_list_paginates_and_keeps_the_filters(client):
    health = SectorFactory(slug="health")
    PathwayFactory.create_batch(25, sector=health)

    first = client.get(LIST, {"sector": "health"})
    second = client.get(LIST, {"sector": "health", "page": 2})

    assert len(first.context["page"]) == 20 and len(second.context["page"]) == 5
    assert "?sector=health&amp;page=2" in first.content.decode()
    check_structure(first.content.decode())


@pytest.mark.parametrize("page", ["abc", "0", "-1", "99999999999999999999", ""])
def test_list_survives_any_page_number(client, page):
    PathwayFactory()

    assert client.get(LIST, {"page": page}).status_code == 200


def test_list_page_structure(client):
    full_pathway()

    check_structure(client.get(LIST).content.decode())


# --- A pathway's page ---------------------------------------------------------------------


def test_pathway_page_shows_everything_a_family_needs(client):
    pathway = PathwayFactory(name="Software Engineering", summary="Build software.")
    intro = PathwayCourseFactory(pathway=pathway, year=1, course__title="Intro to CS")
    PathwayCourseFactory(pathway=pathway, year=2, course__title="Programming I")
    PathwayCourseFactory(pathway=pathway, year=2, course__title="AP CS A", required=False)
    CollegeCreditFactory(course=intro.course, college="City College", credits=4)
    pathway.credentials.add(CredentialFactory(name="CompTIA A+", issuer="CompTIA"))
    pathway.occupations.add(
        OccupationFactory(
            title="Software Developers",
            median_annual_wage=132270,
            projected_growth=17,
            data_source="BLS",
            data_year=2023,
        )
    )
    offering = OfferingFactory(pathway=pathway, school__name="Harbor View HS", seats=25)
    Offering.objects.filter(pk=offering.pk).update(seats_filled=7)
    OfferingFactory(
        pathway=pathway,
        schedule=Schedule.EXTENDED_DAY,
        schedule_note="Tuesday and Thursday, 3:30 to 5:30 pm",
    )

    response = client.get(pathway.get_absolute_url())

    html = response.content.decode()
    assert [year for year, _ in response.context["years"]] == [1, 2]
    for text in (
        "Year 1",
        "Intro to CS",
        "Elective",
        "CompTIA A+",
        "City College",
        "Harbor View HS",
        "18 of 25",
        "Tuesday and Thursday, 3:30 to 5:30 pm",
        "Software Developers",
        "$132,270",
        "Much faster than average",
        "BLS, 2023",
        "Talk to your counselor to enroll",
    ):
        assert text in html, text
    check_structure(html)


def test_pathway_page_of_a_bare_pathway_says_what_is_missing(client):
    pathway = PathwayFactory()

    html = client.get(pathway.get_absolute_url()).content.decode()

    assert "does not lead to an industry credential" in html
    assert "No school offers this pathway this year" in html
    check_structure(html)


def test_a_full_offering_says_wait_list(client):
    offering = OfferingFactory(seats=10)
    Offering.objects.filter(pk=offering.pk).update(seats_filled=10)

    assert "Full: wait list" in client.get(offering.pathway.get_absolute_url()).content.decode()


@pytest.mark.parametrize("status", [PathwayStatus.DRAFT, PathwayStatus.ARCHIVED])
def test_unpublished_pathway_is_not_found_by_the_public(client, client_for, student, status):
    pathway = PathwayFactory(status=status)

    assert client.get(pathway.get_absolute_url()).status_code == 404
    assert client_for(student).get(pathway.get_absolute_url()).status_code == 404


def test_staff_preview_a_draft_with_a_notice_and_an_edit_link(client_for, staff):
    pathway = PathwayFactory(status=PathwayStatus.DRAFT)

    html = client_for(staff).get(pathway.get_absolute_url()).content.decode()

    assert "only CTE office staff can see this pathway" in html
    assert f"/admin/pathways/pathway/{pathway.pk}/change/" in html


def test_unknown_pathway_is_404(client):
    assert client.get(reverse("pathways:detail", args=["no-such-pathway"])).status_code == 404


# --- Compare ------------------------------------------------------------------------------

COMPARE = reverse("pathways:compare")


def compare(client, *slugs):
    return client.get(COMPARE, {"p": list(slugs)})


def test_compare_two_pathways_side_by_side(client):
    a, b = full_pathway(name="Alpha"), full_pathway(name="Beta")

    response = compare(client, b.slug, a.slug)

    assert [p.name for p in response.context["pathways"]] == ["Beta", "Alpha"]
    html = response.content.decode()
    assert "2 pathways side by side" in html
    check_structure(html)


def test_compare_three(client):
    slugs = [full_pathway().slug for _ in range(3)]

    assert len(compare(client, *slugs).context["pathways"]) == 3


def test_compare_with_nothing_chosen_explains_and_offers_a_picker(client):
    PathwayFactory(name="Alpha")

    response = client.get(COMPARE)

    html = response.content.decode()
    assert "Choose two or three pathways" in html
    assert html.count('name="p"') == 3 and "Alpha" in html
    check_structure(html)


def test_compare_with_one_asks_for_another(client):
    pathway = PathwayFactory(name="Alpha")

    html = compare(client, pathway.slug).content.decode()

    assert "Choose at least one more pathway to compare with Alpha" in html
    assert f'<option value="{pathway.slug}" selected>' in html


def test_compare_with_more_than_three_shows_the_first_three_and_says_so(client):
    slugs = [PathwayFactory().slug for _ in range(4)]

    response = compare(client, *slugs)

    assert [p.slug for p in response.context["pathways"]] == slugs[:3]
    assert "You chose 4 pathways, but at most 3 fit side by side" in response.content.decode()


def test_compare_names_the_pathways_it_cannot_find(client):
    a, b = PathwayFactory(), PathwayFactory()
    draft = PathwayFactory(status=PathwayStatus.DRAFT)

    response = compare(client, a.slug, "no-such-thing", b.slug, draft.slug, a.slug)

    assert [p.slug for p in response.context["pathways"]] == [a.slug, b.slug]
    html = response.content.decode()
    assert f"We could not find these pathways: no-such-thing, {draft.slug}." in html


def test_compare_survives_odd_input(client):
    assert compare(client, "", " ", "x" * 5000, "<script>").status_code == 200


# --- Sectors and schools ------------------------------------------------------------------


def test_sector_page_lists_its_published_pathways(client):
    sector = SectorFactory(name="Health Sciences", description="Care for people.")
    full_pathway(name="Nursing", sector=sector)
    PathwayFactory(name="Hidden", sector=sector, status=PathwayStatus.DRAFT)
    PathwayFactory(name="Elsewhere")

    response = client.get(sector.get_absolute_url())

    assert [p.name for p in response.context["pathways"]] == ["Nursing"]
    html = response.content.decode()
    assert "Care for people." in html and f"?sector={sector.slug}" in html
    check_structure(html)


def test_school_page_lists_this_year_s_offerings(client):
    school = SchoolFactory(name="Harbor View HS")
    OfferingFactory(school=school, pathway__name="Nursing")
    OfferingFactory(school=school, pathway__name="Draft", pathway__status=PathwayStatus.DRAFT)
    old = OfferingFactory(school=school, pathway__name="Old")
    Offering.objects.filter(pk=old.pk).update(school_year=2001)

    response = client.get(school.get_absolute_url())

    assert [o.pathway.name for o in response.context["offerings"]] == ["Nursing"]
    check_structure(response.content.decode())


def test_empty_sector_and_school_pages(client):
    sector, school = SectorFactory(), SchoolFactory()

    for url in (sector.get_absolute_url(), school.get_absolute_url()):
        response = client.get(url)
        assert response.status_code == 200
        check_structure(response.content.decode())


@pytest.mark.parametrize("name", ["pathways:sector", "pathways:school"])
def test_unknown_sector_or_school_is_404(client, name):
    assert client.get(reverse(name, args=["nope"])).status_code == 404


@pytest.mark.parametrize(
    "url",
    ["/", "/pathways/", "/pathways/compare/"],
)
def test_catalogue_pages_refuse_posts(client, url):
    assert client.post(url).status_code == 405


def test_filters_offer_only_the_schools_and_credentials_of_visible_pathways(
    client, client_for, staff
):
    shown = OfferingFactory(school__name="Harbor High", pathway__name="Welding")
    shown.pathway.credentials.add(CredentialFactory(name="AWS Welder"))
    hidden = OfferingFactory(school__name="Archive High", pathway__status=PathwayStatus.ARCHIVED)
    hidden.pathway.credentials.add(CredentialFactory(name="MOS Excel"))

    public = client.get(reverse("pathways:list")).content.decode()
    assert "Harbor High" in public
    assert "AWS Welder" in public
    assert "Archive High" not in public
    assert "MOS Excel" not in public
    # Staff see every status in the list, so every choice leads somewhere for them.
    for_staff = client_for(staff).get(reverse("pathways:list")).content.decode()
    assert "Archive High" in for_staff
    assert "MOS Excel" in for_staff
