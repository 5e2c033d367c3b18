"""The catalogue's pages: everything here is public; staff also see drafts."""

from __future__ import annotations

from django import forms
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from cte_portal.panels import panels_for

from . import panels, selectors
from .forms import PathwaySearchForm
from .permissions import can_manage_catalogue

PAGE_SIZE = 20


@require_safe
def home(request: HttpRequest) -> HttpResponse:
    """The portal's front door: sectors with their pathway counts, search, how CTE works."""
    return render(
        request,
        "pathways/home.html",
        {
            "sectors": selectors.sector_list_with_counts(),
            "sector_label": selectors.sector_label(),
        },
    )


@require_safe
def pathway_list(request: HttpRequest) -> HttpResponse:
    """Search and filter the catalogue. The form is a GET, so any result can be shared."""
    label = selectors.sector_label()
    form = PathwaySearchForm(
        request.GET or None,
        choices=selectors.catalogue_filter_choices(user=request.user),
        sector_label=label,
    )
    filters = form.filters()
    pathways = selectors.pathway_catalogue(filters=filters, user=request.user)
    page = Paginator(pathways, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "pathways/pathway_list.html",
        {
            "form": form,
            "filters": filters,
            "page": page,
            "page_numbers": page.paginator.get_elided_page_range(
                page.number, on_each_side=1, on_ends=1
            ),
            "active_filters": _active_filters(request, form, filters),
            "sector_label": label,
        },
    )


def _active_filters(
    request: HttpRequest, form: PathwaySearchForm, filters: selectors.CatalogueFilters
) -> list[dict[str, str]]:
    """The filters in force, each with its words and the address of the list without it."""
    active = []
    for name in ("sector", "school", "grade", "credential", "college_credit", "extended_day"):
        value = getattr(filters, name)
        if not value:
            continue
        field = form.fields[name]
        if isinstance(field, forms.BooleanField):
            text = str(field.label)
        else:
            choices = {str(key): label for key, label in _flat_choices(field.choices)}
            text = f"{field.label}: {choices.get(str(value), value)}"
        params = request.GET.copy()
        params.pop(name, None)
        params.pop("page", None)
        active.append({"text": text, "url": f"?{params.urlencode()}"})
    return active


def _flat_choices(choices: list) -> list[tuple]:
    flat = []
    for value, label in choices:
        if isinstance(label, list | tuple):
            flat.extend(label)
        else:
            flat.append((value, label))
    return flat


@require_safe
def pathway_detail(request: HttpRequest, slug: str) -> HttpResponse:
    pathway = selectors.pathway_get(slug=slug, user=request.user)
    if pathway is None:
        raise Http404
    years: dict[int, list] = {}
    for entry in pathway.sequence.all():
        years.setdefault(entry.year, []).append(entry)
    college_credits = [
        (entry.course, credit)
        for entry in pathway.sequence.all()
        for credit in entry.course.college_credits.all()
    ]
    return render(
        request,
        "pathways/pathway_detail.html",
        {
            "pathway": pathway,
            "years": sorted(years.items()),
            "college_credits": college_credits,
            "offerings": list(pathway.offerings.all()),
            "sector_label": selectors.sector_label(),
            "can_manage": can_manage_catalogue(request.user),
            # What other apps add for this person (a student's enroll buttons): panels.py.
            "join_panels": panels_for(panels.PATHWAY_JOIN, request, pathway),
            "breadcrumbs": [
                (_("Pathways"), reverse("pathways:list")),
                (pathway.sector.name, pathway.sector.get_absolute_url()),
            ],
        },
    )


@require_safe
def pathway_compare(request: HttpRequest) -> HttpResponse:
    """Two or three pathways side by side (``?p=slug&p=slug``), with a picker to choose."""
    asked = request.GET.getlist("p")
    comparison = selectors.pathway_compare(slugs=asked, user=request.user)
    chosen = [p.slug for p in comparison.pathways]
    return render(
        request,
        "pathways/pathway_compare.html",
        {
            "comparison": comparison,
            "pathways": comparison.pathways,
            "unknown": comparison.unknown[:5],
            "asked_count": len([s for s in asked if s.strip()]),
            "pickers": [
                (i + 1, chosen[i] if i < len(chosen) else "") for i in range(selectors.MAX_COMPARED)
            ],
            "choices": selectors.pathway_choices(user=request.user),
            "max_compared": selectors.MAX_COMPARED,
            "sector_label": selectors.sector_label(),
            "breadcrumbs": [(_("Pathways"), reverse("pathways:list"))],
        },
    )


@require_safe
def sector_detail(request: HttpRequest, slug: str) -> HttpResponse:
    sector = selectors.sector_get(slug=slug)
    if sector is None:
        raise Http404
    return render(
        request,
        "pathways/sector_detail.html",
        {
            "sector": sector,
            "pathways": list(selectors.sector_pathways(sector=sector, user=request.user)),
            "sector_label": selectors.sector_label(),
            # What other apps add (the partners' industry advisors): panels.py.
            "sector_panels": panels_for(panels.SECTOR, request, sector),
            "breadcrumbs": [],
        },
    )


@require_safe
def school_detail(request: HttpRequest, slug: str) -> HttpResponse:
    school = selectors.school_get(slug=slug)
    if school is None:
        raise Http404
    return render(
        request,
        "pathways/school_detail.html",
        {
            "school": school,
            "offerings": list(selectors.school_offerings(school=school, user=request.user)),
            "sector_label": selectors.sector_label(),
            "breadcrumbs": [(_("Pathways"), reverse("pathways:list"))],
        },
    )
