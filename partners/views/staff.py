"""CTE staff's partner pages: the list with its filters and CSV export, the review queue, the
"not contacted in N months" view, a partner's page, and the forms that act on a partner.

Each form posts to its own address; when it is refused, that address shows the form again
with what was typed and what to fix.
"""

from __future__ import annotations

import csv
import itertools
from collections.abc import Iterator
from typing import Any

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_http_methods, require_safe

from .. import selectors, services
from ..enums import ContactStatus, OfferKind, OrganizationStatus
from ..forms import (
    AdvisorySeatForm,
    AgreementEditForm,
    AgreementForm,
    ContactDecisionForm,
    ContactForm,
    InteractionForm,
    NotContactedForm,
    OrganizationForm,
    PartnerFilterForm,
    SeatEndForm,
    StatusForm,
)
from ..models import AdvisorySeat, Agreement, Contact, Interaction, Organization
from ..permissions import staff_required
from ..services import PartnerError
from .helpers import add_service_error

PAGE_SIZE = 25
FILTER_NAMES = (
    "sector",
    "kind",
    "size",
    "status",
    "offer",
    "advisory",
    "contacted_within",
    "not_contacted_in",
)


def _crumbs(organization: Organization | None = None) -> list[tuple[str, str]]:
    """The way back: the partner list, then the partner if the page is about one."""
    crumbs = [(_("Partners"), reverse("partners:list"))]
    if organization is not None:
        crumbs.append((organization.name, reverse("partners:detail", args=[organization.pk])))
    return crumbs


def _filter_form(request: HttpRequest) -> tuple[PartnerFilterForm, selectors.PartnerFilters]:
    form = PartnerFilterForm(
        request.GET or None,
        sectors=selectors.partner_filter_choices()["sectors"],
        sector_label=selectors.sector_label(),
    )
    return form, selectors.PartnerFilters.from_mapping(form.filters())


def _active_filters(request: HttpRequest, form: PartnerFilterForm, filters) -> list[dict]:
    """The filters in force, each with its words and the address of the list without it."""
    active = []
    for name in FILTER_NAMES:
        value = getattr(filters, name)
        if value in ("", None):
            continue
        field = form.fields[name]
        labels = {str(key): label for key, label in field.choices}
        params = request.GET.copy()
        params.pop(name, None)
        params.pop("page", None)
        active.append(
            {
                "text": f"{field.label}: {labels.get(str(value), value)}",
                "url": f"?{params.urlencode()}",
            }
        )
    return active


def _query_without_page(request: HttpRequest) -> str:
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()


@staff_required
@require_safe
def partner_list(request: HttpRequest) -> HttpResponse:
    """Every partner, searched and filtered (GET, so any result can be shared or exported)."""
    form, filters = _filter_form(request)
    page = Paginator(selectors.partner_list(filters=filters), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    query = _query_without_page(request)
    return render(
        request,
        "partners/staff/list.html",
        {
            "form": form,
            "filters": filters,
            "page": page,
            "query": query,
            "export_url": reverse("partners:export") + (f"?{query}" if query else ""),
            "active_filters": _active_filters(request, form, filters),
            "offer_labels": dict(OfferKind.choices),
        },
    )


# --- CSV export ----------------------------------------------------------------------------------

# A spreadsheet runs a cell starting with one of these as a formula (CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_safe(value: Any) -> str:
    """A cell's text, defused: a leading formula character is prefixed with a quote."""
    text = "" if value is None else str(value)
    return f"'{text}" if text.startswith(FORMULA_STARTS) else text


UTF8_BOM = "\ufeff"


class _Echo:
    def write(self, value: str) -> str:
        return value


CSV_COLUMNS = (
    gettext_lazy("Name"),
    gettext_lazy("Kind"),
    gettext_lazy("Size"),
    gettext_lazy("Status"),
    gettext_lazy("Sectors"),
    gettext_lazy("Offers"),
    gettext_lazy("Website"),
    gettext_lazy("Street address"),
    gettext_lazy("City"),
    gettext_lazy("State"),
    gettext_lazy("ZIP code"),
    gettext_lazy("Primary contact"),
    gettext_lazy("Primary contact e-mail"),
    gettext_lazy("Primary contact phone"),
    gettext_lazy("Current advisory seats"),
    gettext_lazy("Last interaction"),
    gettext_lazy("Insurance certificate expires"),
)


def _csv_rows(organizations) -> Iterator[list[str]]:
    labels = dict(OfferKind.choices)
    yield [str(c) for c in CSV_COLUMNS]
    # iterator() with a chunk size keeps memory flat and still prefetches per chunk.
    for org in organizations.iterator(chunk_size=500):
        primary = org.primary_contacts[0] if org.primary_contacts else None
        kinds = list(dict.fromkeys(o.kind for o in org.offers.all()))
        yield [
            csv_safe(v)
            for v in (
                org.name,
                org.get_kind_display(),
                org.get_size_display(),
                org.get_status_display(),
                "; ".join(s.name for s in org.sectors.all()),
                "; ".join(str(labels[k]) for k in kinds),
                org.website,
                org.street_address,
                org.city,
                org.state,
                org.postal_code,
                primary.user.get_full_name() if primary else "",
                primary.user.email if primary else "",
                primary.phone if primary else "",
                org.current_seat_count,
                org.last_interaction_on.isoformat() if org.last_interaction_on else "",
                org.insurance_expires_on.isoformat() if org.insurance_expires_on else "",
            )
        ]


@staff_required
@require_safe
def export(request: HttpRequest) -> StreamingHttpResponse:
    """The filtered list as CSV (the same filters as the page), streamed row by row."""
    _form, filters = _filter_form(request)
    writer = csv.writer(_Echo())
    rows = (writer.writerow(row) for row in _csv_rows(selectors.partner_list(filters=filters)))
    response = StreamingHttpResponse(
        # The byte-order mark tells Excel the file is UTF-8 (else "Peña" opens as "PeÃ±a").
        itertools.chain([UTF8_BOM], rows),
        content_type="text/csv; charset=utf-8",
    )
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="partners-{stamp}.csv"'
    response["Cache-Control"] = "private, no-store"
    return response


# --- The queue and the "not contacted" view ------------------------------------------------------


@staff_required
@require_safe
def review(request: HttpRequest) -> HttpResponse:
    queue = selectors.review_queue()
    duplicates = selectors.possible_duplicates(
        signups=[(org, _primary_email(org.primary_contacts)) for org in queue.signups]
    )
    return render(
        request,
        "partners/staff/review.html",
        {
            "queue": queue,
            "signups": [(org, duplicates.get(org.pk, [])) for org in queue.signups],
            "crumbs": _crumbs(),
        },
    )


@staff_required
@require_safe
def expiring(request: HttpRequest) -> HttpResponse:
    """Agreements and insurance certificates that expired or expire soon, across partners:
    two lists, each with its own pages (turning one keeps the other's page)."""
    due = selectors.compliance_due()
    agreements = Paginator(due.agreements, PAGE_SIZE).get_page(request.GET.get("agreements_page"))
    insurance = Paginator(due.insurance, PAGE_SIZE).get_page(request.GET.get("insurance_page"))
    return render(
        request,
        "partners/staff/expiring.html",
        {
            "due": due,
            "agreements": agreements,
            "insurance": insurance,
            "agreements_query": f"insurance_page={insurance.number}",
            "insurance_query": f"agreements_page={agreements.number}",
            "crumbs": _crumbs(),
        },
    )


@staff_required
@require_safe
def not_contacted(request: HttpRequest) -> HttpResponse:
    """Approved partners nobody has talked to for N months (or ever), longest first."""
    form = NotContactedForm(request.GET or None)
    months = form.cleaned_data["months"] if form.is_bound and form.is_valid() else 6
    page = Paginator(selectors.partners_not_contacted(months=months), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "partners/staff/not_contacted.html",
        {
            "form": form,
            "months": months,
            "page": page,
            "query": f"months={months}",
            "crumbs": _crumbs(),
        },
    )


# --- A partner's page and the forms acting on it -------------------------------------------------


def _partner(pk: int) -> Organization:
    organization = selectors.partner_detail(pk=pk)
    if organization is None:
        raise Http404
    return organization


@staff_required
@require_safe
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    organization = _partner(pk)
    return render(
        request,
        "partners/staff/detail.html",
        _detail_context(organization)
        | {
            "status_form": StatusForm(organization=organization),
            "interaction_form": InteractionForm(auto_id="interaction_%s"),
        },
    )


def _primary_email(primaries: list[Contact]) -> str:
    return primaries[0].user.email if primaries else ""


def _detail_context(organization: Organization) -> dict[str, Any]:
    today = timezone.localdate()
    offers: dict[int, list] = {}
    for offer in organization.offers.all():
        offers.setdefault(offer.sector_id, []).append(offer)
    sectors = {s.pk: s for s in organization.sectors.all()}
    for offer in organization.offers.all():
        sectors.setdefault(offer.sector_id, offer.sector)
    contacts = list(organization.contacts.all())
    duplicates: list[Organization] = []
    if organization.status == OrganizationStatus.PENDING:
        primary = _primary_email([c for c in contacts if c.is_primary])
        duplicates = selectors.possible_duplicates(signups=[(organization, primary)]).get(
            organization.pk, []
        )
    return {
        "organization": organization,
        "offers_by_sector": [(s, offers.get(pk, [])) for pk, s in sectors.items()],
        "contacts": contacts,
        # Background checks matter for the people who still act for it.
        "with_students": [
            c
            for c in contacts
            if c.works_with_students
            and c.status not in (ContactStatus.REMOVED, ContactStatus.DECLINED)
        ],
        "duplicates": duplicates,
        "agreements": list(organization.agreements.all()),
        "seats": list(organization.advisory_seats.all()),
        "interactions": list(organization.interactions.all()),
        "insurance": organization.insurance_state(today),
        "today": today,
        "sector_label": selectors.sector_label(),
        "crumbs": _crumbs(),
    }


def _form_page(
    request: HttpRequest,
    organization: Organization,
    form: forms.Form,
    *,
    title: str,
    submit: str,
    multipart: bool = False,
) -> HttpResponse:
    return render(
        request,
        "partners/staff/form_page.html",
        {
            "organization": organization,
            "form": form,
            "title": title,
            "submit": submit,
            "multipart": multipart,
            "back": reverse("partners:detail", args=[organization.pk]),
            "crumbs": _crumbs(organization),
        },
    )


@staff_required
@require_http_methods(["GET", "POST"])
def status(request: HttpRequest, pk: int) -> HttpResponse:
    """Approve or decline a sign-up (with a reason); suspend, archive or reinstate a partner."""
    organization = get_object_or_404(Organization, pk=pk)
    form = StatusForm(request.POST or None, organization=organization)
    if request.method == "POST" and form.is_valid():
        decision = form.cleaned_data["decision"]
        act = {
            "approve": services.organization_approve,
            "decline": services.organization_decline,
            "suspend": services.organization_suspend,
            "archive": services.organization_archive,
        }[decision]
        try:
            act(organization=organization, actor=request.user, reason=form.cleaned_data["reason"])
        except PartnerError as exc:
            add_service_error(form, exc)
        else:
            done = {
                "approve": _("%(name)s is approved; its contacts are told by e-mail."),
                "decline": _("%(name)s is declined; its contact is told why by e-mail."),
                "suspend": _("%(name)s is suspended."),
                "archive": _("%(name)s is archived."),
            }[decision]
            messages.success(request, done % {"name": organization.name})
            return redirect("partners:detail", pk=organization.pk)
    return _form_page(
        request,
        organization,
        form,
        title=_("Decide on %(name)s") % {"name": organization.name},
        submit=_("Save the decision"),
    )


@staff_required
@require_http_methods(["GET", "POST"])
def interaction_new(request: HttpRequest, pk: int) -> HttpResponse:
    organization = get_object_or_404(Organization, pk=pk)
    form = InteractionForm(request.POST or None, auto_id="interaction_%s")
    if request.method == "POST" and form.is_valid():
        try:
            services.interaction_log(
                organization=organization, actor=request.user, **form.cleaned_data
            )
        except PartnerError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, _("The interaction is logged."))
            return redirect("partners:detail", pk=organization.pk)
    return _form_page(
        request,
        organization,
        form,
        title=_("Log an interaction with %(name)s") % {"name": organization.name},
        submit=_("Log the interaction"),
    )


@staff_required
@require_http_methods(["GET", "POST"])
def agreement_new(request: HttpRequest, pk: int) -> HttpResponse:
    organization = get_object_or_404(Organization, pk=pk)
    form = AgreementForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.agreement_add(
                organization=organization, actor=request.user, **form.cleaned_data
            )
        except PartnerError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, _("The agreement is saved."))
            return redirect("partners:detail", pk=organization.pk)
    return _form_page(
        request,
        organization,
        form,
        title=_("Add an agreement with %(name)s") % {"name": organization.name},
        submit=_("Save the agreement"),
        multipart=True,
    )


@staff_required
@require_http_methods(["GET", "POST"])
def seat_new(request: HttpRequest, pk: int) -> HttpResponse:
    organization = get_object_or_404(Organization, pk=pk)
    form = AdvisorySeatForm(
        request.POST or None, organization=organization, sector_label=selectors.sector_label()
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.advisory_seat_add(
                organization=organization, actor=request.user, **form.cleaned_data
            )
        except PartnerError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, _("The advisory seat is saved."))
            return redirect("partners:detail", pk=organization.pk)
    return _form_page(
        request,
        organization,
        form,
        title=_("Add an advisory seat for %(name)s") % {"name": organization.name},
        submit=_("Save the seat"),
    )


@staff_required
@require_http_methods(["GET", "POST"])
def edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Correct an organization's details, sectors and insurance certificate date."""
    organization = get_object_or_404(Organization, pk=pk)
    form = OrganizationForm(
        request.POST or None,
        instance=Organization.objects.get(pk=pk),  # the form may change its copy, not ours
        sector_label=selectors.sector_label(),
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        sectors = list(data.pop("sectors"))
        try:
            result = services.organization_update(
                organization=organization, actor=request.user, sectors=sectors, **data
            )
        except PartnerError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, _("The organization is saved."))
            if result.removed_offers:
                labels = [
                    f"{offer.get_kind_display()} ({offer.sector.name})"
                    for offer in result.removed_offers
                ]
                messages.info(
                    request,
                    ngettext(
                        "Its offer in a sector it no longer works in was removed: %(offers)s.",
                        "Its offers in sectors it no longer works in were removed: %(offers)s.",
                        len(labels),
                    )
                    % {"offers": ", ".join(labels)},
                )
            return redirect("partners:detail", pk=organization.pk)
    return _form_page(
        request,
        organization,
        form,
        title=_("Edit %(name)s") % {"name": organization.name},
        submit=_("Save"),
    )


@staff_required
@require_http_methods(["GET", "POST"])
def contact(request: HttpRequest, pk: int) -> HttpResponse:
    """A contact's details and background check (for those who will be with students)."""
    person = get_object_or_404(Contact.objects.select_related("user", "organization"), pk=pk)
    form = ContactForm(request.POST or None, instance=Contact.objects.get(pk=pk))
    if request.method == "POST" and form.is_valid():
        try:
            services.contact_update(contact=person, actor=request.user, **form.cleaned_data)
        except PartnerError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, _("The contact is saved."))
            return redirect("partners:detail", pk=person.organization_id)
    return _form_page(
        request,
        person.organization,
        form,
        title=_("Contact: %(name)s") % {"name": person.user.get_full_name()},
        submit=_("Save"),
    )


@staff_required
@require_http_methods(["GET", "POST"])
def contact_decide(request: HttpRequest, pk: int) -> HttpResponse:
    """Approve or decline a person who asked to join a known organization."""
    person = get_object_or_404(
        Contact.objects.select_related("user", "organization"),
        pk=pk,
        status=ContactStatus.PENDING,
        join_request=True,
    )
    form = ContactDecisionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            if form.cleaned_data["decision"] == "approve":
                services.contact_approve(contact=person, actor=request.user)
            else:
                services.contact_decline(
                    contact=person, actor=request.user, reason=form.cleaned_data["reason"]
                )
        except PartnerError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, _("The decision is saved and the person is told."))
            return redirect("partners:review")
    return render(
        request,
        "partners/staff/contact_decide.html",
        {
            "form": form,
            "person": person,
            "organization": person.organization,
            "details": person.signup_details,
            "pending": person.organization.status == OrganizationStatus.PENDING,
            "crumbs": [*_crumbs(), (_("Review queue"), reverse("partners:review"))],
        },
    )


# --- Corrections: a seat's term, an interaction, an agreement ------------------------------------


@staff_required
@require_http_methods(["GET", "POST"])
def seat_end(request: HttpRequest, pk: int) -> HttpResponse:
    """End an advisory seat's term (the member left the board or commission)."""
    seat = get_object_or_404(AdvisorySeat.objects.select_related("organization", "sector"), pk=pk)
    form = SeatEndForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.advisory_seat_end(
                seat=seat, actor=request.user, ends_on=form.cleaned_data["ends_on"]
            )
        except PartnerError as exc:
            add_service_error(form, exc)
        else:
            messages.success(
                request, _("The term of %(name)s is ended.") % {"name": seat.person_name}
            )
            return redirect("partners:detail", pk=seat.organization_id)
    return _form_page(
        request,
        seat.organization,
        form,
        title=_("End the term of %(name)s (%(body)s, %(sector)s)")
        % {"name": seat.person_name, "body": seat.get_body_display(), "sector": seat.sector.name},
        submit=_("End the term"),
    )


@staff_required
@require_http_methods(["GET", "POST"])
def interaction_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Correct a logged interaction, or move its next step on (a new owner is notified)."""
    interaction = get_object_or_404(Interaction.objects.select_related("organization"), pk=pk)
    form = InteractionForm(
        request.POST or None,
        auto_id="interaction_%s",
        initial={
            "occurred_on": interaction.occurred_on,
            "kind": interaction.kind,
            "summary": interaction.summary,
            "next_step": interaction.next_step,
            "next_step_due": interaction.next_step_due,
            "owner": interaction.owner_id,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.interaction_update(
                interaction=interaction, actor=request.user, **form.cleaned_data
            )
        except PartnerError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, _("The interaction is saved."))
            return redirect("partners:detail", pk=interaction.organization_id)
    return _form_page(
        request,
        interaction.organization,
        form,
        title=_("Edit the interaction of %(date)s")
        % {"date": date_format(interaction.occurred_on, "DATE_FORMAT")},
        submit=_("Save the interaction"),
    )


@staff_required
@require_http_methods(["GET", "POST"])
def agreement_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Correct an agreement's details or replace its file."""
    agreement = get_object_or_404(Agreement.objects.select_related("organization"), pk=pk)
    form = AgreementEditForm(
        request.POST or None,
        request.FILES or None,
        initial={
            "kind": agreement.kind,
            "title": agreement.title,
            "starts_on": agreement.starts_on,
            "ends_on": agreement.ends_on,
            "notes": agreement.notes,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.agreement_update(agreement=agreement, actor=request.user, **form.cleaned_data)
        except PartnerError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, _("The agreement is saved."))
            return redirect("partners:detail", pk=agreement.organization_id)
    return _form_page(
        request,
        agreement.organization,
        form,
        title=_("Edit the agreement: %(title)s") % {"title": agreement.title},
        submit=_("Save the agreement"),
        multipart=True,
    )
