"""Pages anyone can use without an account: a partner's sign-up (and its e-mail
confirmation), a colleague's invitation, and the CTE mailing list."""

from __future__ import annotations

from django.contrib.auth.forms import SetPasswordForm
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_safe

from .. import selectors, services, tokens
from ..enums import ContactStatus, SubscriberStatus
from ..forms import MailingListForm, ResendForm, SignupForm
from ..services import PartnerError
from .helpers import add_service_error


@require_http_methods(["GET", "POST"])
def join(request: HttpRequest) -> HttpResponse:
    """An organization signs up: itself, its first contact and what it offers, one form."""
    form = SignupForm(request.POST or None, sector_label=selectors.sector_label())
    if request.method == "POST" and form.is_valid():
        try:
            services.organization_signup(signup=services.Signup(**form.signup_fields()))
        except PartnerError as exc:
            add_service_error(form, exc)
        else:
            # Whatever happened (new, duplicate, address already known), the same next page:
            # it never reveals who has an account or which organizations signed up.
            request.session["partners_signup_email"] = form.cleaned_data["email"]
            return redirect("partners:join_sent")
    return render(request, "partners/join.html", {"form": form})


@require_safe
def join_sent(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "partners/join_sent.html",
        {"email": request.session.get("partners_signup_email", "")},
    )


@require_http_methods(["GET", "POST"])
def join_resend(request: HttpRequest) -> HttpResponse:
    form = ResendForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.signup_resend(email=form.cleaned_data["email"])
        request.session["partners_signup_email"] = form.cleaned_data["email"]
        return redirect("partners:join_sent")
    return render(request, "partners/join_resend.html", {"form": form})


def _token_refused(request: HttpRequest, exc: tokens.TokenInvalid, *, kind: str) -> HttpResponse:
    return render(
        request,
        "partners/link_invalid.html",
        {"expired": isinstance(exc, tokens.TokenExpired), "kind": kind},
        status=400,
    )


@require_http_methods(["GET", "POST"])
def join_confirm(request: HttpRequest, token: str) -> HttpResponse:
    """The signed link from the sign-up e-mail: confirm the address and choose a password.

    Confirmation happens on POST only, so a mail scanner following the link confirms nothing.
    """
    try:
        contact = services.signup_contact_for_token(token)
    except tokens.TokenInvalid as exc:
        return _token_refused(request, exc, kind="signup")
    if contact.status != ContactStatus.UNCONFIRMED:
        return render(request, "partners/join_done.html", {"already": True, "contact": contact})
    form = SetPasswordForm(contact.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.organization_signup_confirm(
                token=token, password=form.cleaned_data["new_password1"]
            )
        except tokens.TokenInvalid as exc:
            return _token_refused(request, exc, kind="signup")
        except PartnerError:
            return render(request, "partners/join_done.html", {"already": True, "contact": contact})
        return redirect("partners:join_done")
    return render(request, "partners/join_confirm.html", {"form": form, "contact": contact})


@require_safe
def join_done(request: HttpRequest) -> HttpResponse:
    return render(request, "partners/join_done.html", {"already": False})


@require_http_methods(["GET", "POST"])
def invitation_accept(request: HttpRequest, token: str) -> HttpResponse:
    """A colleague's invitation: choose a password, and the account is ready to sign in."""
    try:
        contact = services.invitation_contact_for_token(token)
    except tokens.TokenInvalid as exc:
        return _token_refused(request, exc, kind="invitation")
    if contact.status != ContactStatus.INVITED:
        return render(request, "partners/invitation_used.html", {"contact": contact})
    form = SetPasswordForm(contact.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.invitation_accept(token=token, password=form.cleaned_data["new_password1"])
        except tokens.TokenInvalid as exc:
            return _token_refused(request, exc, kind="invitation")
        except PartnerError as exc:
            add_service_error(form, exc)
        else:
            return render(request, "partners/invitation_done.html", {"contact": contact})
    return render(request, "partners/invitation_accept.html", {"form": form, "contact": contact})


# --- The mailing list ----------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def mailing_list(request: HttpRequest) -> HttpResponse:
    form = MailingListForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.mailing_list_subscribe(**form.cleaned_data)
        request.session["partners_list_email"] = form.cleaned_data["email"]
        return redirect("partners:mailing_list_sent")
    return render(request, "partners/mailing_list.html", {"form": form})


@require_safe
def mailing_list_sent(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "partners/mailing_list_sent.html",
        {"email": request.session.get("partners_list_email", "")},
    )


@require_http_methods(["GET", "POST"])
def mailing_list_confirm(request: HttpRequest, token: str) -> HttpResponse:
    """Double opt-in: the link shows a button; pressing it (POST) confirms the subscription,
    so a mail scanner that follows links subscribes nobody."""
    try:
        claim = tokens.read_list_confirm_token(token)
    except tokens.TokenInvalid as exc:
        return _token_refused(request, exc, kind="mailing_list")
    if request.method == "POST":
        try:
            subscriber = services.mailing_list_confirm(token=token)
        except tokens.TokenInvalid as exc:
            return _token_refused(request, exc, kind="mailing_list")
        if subscriber.status != SubscriberStatus.CONFIRMED:
            return render(
                request, "partners/mailing_list_confirm.html", {"email": claim.email, "gone": True}
            )
        return render(request, "partners/mailing_list_confirmed.html", {"email": claim.email})
    return render(request, "partners/mailing_list_confirm.html", {"email": claim.email})


@csrf_exempt  # mail clients POST here for RFC 8058 one-click unsubscribe; the token authorises
@require_http_methods(["GET", "POST"])
def mailing_list_unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    """The unsubscribe link of every list e-mail, no login. The link (GET) shows a button;
    pressing it, or a mail client's one-click POST, takes the address off the list, so a
    mail scanner that follows links unsubscribes nobody."""
    try:
        claim = tokens.read_list_unsubscribe_token(token)
    except tokens.TokenInvalid as exc:
        return _token_refused(request, exc, kind="mailing_list")
    if request.method != "POST":
        return render(request, "partners/mailing_list_unsubscribe.html", {"email": claim.email})
    try:
        subscriber = services.mailing_list_unsubscribe(token=token)
    except tokens.TokenInvalid as exc:
        return _token_refused(request, exc, kind="mailing_list")
    return render(
        request,
        "partners/mailing_list_unsubscribed.html",
        {"email": subscriber.email, "title": _("You are unsubscribed")},
    )
