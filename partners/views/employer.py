"""A partner contact's pages: their dashboard, and what they (or CTE staff for them) change:
offers and colleagues. Someone else's organization answers 404."""

from __future__ import annotations

import mimetypes
from pathlib import PurePath

from django.contrib import messages
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from cte_portal.panels import panels_for

from .. import selectors, services
from ..forms import ConfirmForm, ContactRemoveForm, InviteForm, OffersForm
from ..models import Contact, Organization
from ..panels import EMPLOYER_DASHBOARD
from ..permissions import (
    can_download_agreement,
    can_edit_offers,
    can_invite_colleagues,
    can_manage_colleague,
    can_manage_partners,
    employer_required,
    partner_role_required,
)
from ..services import PartnerError
from .helpers import add_service_error


@employer_required
@require_safe
def dashboard(request: HttpRequest) -> HttpResponse:
    """The employer's own organization: details, colleagues, offers, seats, agreements."""
    contact = selectors.contact_for_user(user=request.user)
    if contact is None:
        linked = Contact.objects.select_related("organization").filter(user=request.user).first()
        return render(request, "partners/dashboard_empty.html", {"linked": linked})
    organization = selectors.organization_dashboard(organization=contact.organization)
    offers: dict[int, list] = {}
    for offer in organization.offers.all():
        offers.setdefault(offer.sector_id, []).append(offer)
    return render(
        request,
        "partners/dashboard.html",
        {
            "organization": organization,
            "contact": contact,
            "offers_by_sector": [(s, offers.get(s.pk, [])) for s in organization.sectors.all()],
            "sector_label": selectors.sector_label(),
            # What other apps add (work-based learning): partners/panels.py.
            "dashboard_panels": panels_for(EMPLOYER_DASHBOARD, request, organization),
        },
    )


def _organization_for(request: HttpRequest, pk: int, allowed) -> Organization:
    organization = get_object_or_404(Organization, pk=pk)
    if not allowed(request.user, organization):
        raise Http404  # someone else's organization does not exist for this person
    return organization


def _back(request: HttpRequest, organization: Organization) -> str:
    if can_manage_partners(request.user):
        return reverse("partners:detail", args=[organization.pk])
    return reverse("partners:dashboard")


@partner_role_required
@require_http_methods(["GET", "POST"])
def offers(request: HttpRequest, pk: int) -> HttpResponse:
    """What the partner offers in each of its sectors."""
    organization = _organization_for(request, pk, can_edit_offers)
    form = OffersForm(request.POST or None, organization=organization)
    back = _back(request, organization)
    if request.method == "POST" and form.is_valid():
        try:
            services.offers_set(organization=organization, offers=form.offers(), actor=request.user)
        except PartnerError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, _("The offers are saved."))
            return redirect(back)
    return render(
        request,
        "partners/offers.html",
        {"form": form, "organization": organization, "back": back},
    )


@partner_role_required
@require_http_methods(["GET", "POST"])
def invite(request: HttpRequest, pk: int) -> HttpResponse:
    """Invite a colleague by e-mail: their account is created and they get a signed link."""
    organization = _organization_for(request, pk, can_invite_colleagues)
    form = InviteForm(request.POST or None)
    back = _back(request, organization)
    if request.method == "POST" and form.is_valid():
        try:
            services.colleague_invite(
                organization=organization,
                actor=request.user,
                language=(get_language() or "en")[:2],
                **form.cleaned_data,
            )
        except PartnerError as exc:
            add_service_error(form, exc)
        else:
            # The same words whatever happened: the form never tells whether the address
            # already has an account (that case goes to CTE staff).
            email = form.cleaned_data["email"].strip().lower()
            messages.success(
                request, _("An invitation is on its way to %(email)s.") % {"email": email}
            )
            return redirect(back)
    return render(
        request,
        "partners/invite.html",
        {"form": form, "organization": organization, "back": back},
    )


def _colleague_for(request: HttpRequest, pk: int) -> Contact:
    contact = get_object_or_404(Contact.objects.select_related("user", "organization"), pk=pk)
    if not can_manage_colleague(request.user, contact):
        raise Http404  # someone else's colleague does not exist for this person
    return contact


def _contact_action(
    request: HttpRequest,
    contact: Contact,
    form,
    *,
    title: str,
    explanation: str,
    submit: str,
) -> HttpResponse:
    back = _back(request, contact.organization)
    crumbs = (
        [
            (_("Partners"), reverse("partners:list")),
            (contact.organization.name, back),
        ]
        if can_manage_partners(request.user)
        else [(_("My organization"), back)]
    )
    return render(
        request,
        "partners/contact_action.html",
        {
            "form": form,
            "person": contact,
            "organization": contact.organization,
            "title": title,
            "explanation": explanation,
            "submit": submit,
            "back": back,
            "crumbs": crumbs,
        },
    )


@partner_role_required
@require_http_methods(["GET", "POST"])
def contact_primary(request: HttpRequest, pk: int) -> HttpResponse:
    """Make a colleague the organization's primary contact (its people, or CTE staff)."""
    contact = _colleague_for(request, pk)
    form = ConfirmForm(request.POST if request.method == "POST" else None)
    name = contact.user.get_full_name()
    if request.method == "POST" and form.is_valid():
        try:
            services.contact_make_primary(contact=contact, actor=request.user)
        except PartnerError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, _("%(name)s is now the primary contact.") % {"name": name})
            return redirect(_back(request, contact.organization))
    return _contact_action(
        request,
        contact,
        form,
        title=_("Make %(name)s the primary contact") % {"name": name},
        explanation=_(
            "The primary contact is the person the CTE office calls first about "
            "%(organization)s. The current primary contact stays a contact."
        )
        % {"organization": contact.organization.name},
        submit=_("Make them the primary contact"),
    )


@partner_role_required
@require_http_methods(["GET", "POST"])
def contact_remove(request: HttpRequest, pk: int) -> HttpResponse:
    """Remove a colleague (or cancel their invitation): they can no longer sign in for it."""
    contact = _colleague_for(request, pk)
    form = ContactRemoveForm(request.POST if request.method == "POST" else None)
    name = contact.user.get_full_name()
    if request.method == "POST" and form.is_valid():
        try:
            services.contact_remove(
                contact=contact, actor=request.user, reason=form.cleaned_data["reason"]
            )
        except PartnerError as exc:
            add_service_error(form, exc)
        else:
            messages.success(
                request,
                _("%(name)s is removed and can no longer sign in for %(organization)s.")
                % {"name": name, "organization": contact.organization.name},
            )
            if contact.user_id == request.user.pk:
                return redirect("home")  # they removed themselves: signed out from now on
            return redirect(_back(request, contact.organization))
    return _contact_action(
        request,
        contact,
        form,
        title=_("Remove %(name)s") % {"name": name},
        explanation=_(
            "%(name)s will no longer act for %(organization)s and can no longer sign in to the "
            "portal for it. An invitation not yet accepted stops working."
        )
        % {"name": name, "organization": contact.organization.name},
        submit=_("Remove them"),
    )


@partner_role_required
@require_safe
def agreement_file(request: HttpRequest, pk: int) -> FileResponse:
    """An agreement's file, for CTE staff and the partner's own contacts only."""
    agreement = selectors.agreement_for(user=request.user, pk=pk)
    if agreement is None or not can_download_agreement(request.user, agreement):
        raise Http404
    try:
        handle = agreement.file.open("rb")
    except (FileNotFoundError, ValueError):
        raise Http404 from None
    extension = PurePath(agreement.file.name).suffix.lower()
    filename = f"{agreement.get_kind_display()} - {agreement.organization.name}{extension}"
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=filename.replace("/", "-"),
        content_type=mimetypes.guess_type(f"x{extension}")[0] or "application/octet-stream",
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
