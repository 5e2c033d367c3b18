"""Pages reached through a signed link, without signing in: the token is the permission.

- A guardian's consent (``links.consent``): what the student applied for, as the guardian
  was shown it, and two buttons. Answering happens on POST only (a mail scanner following
  the link answers nothing); the same answer again changes nothing.
- A supervisor's review of one hours entry (``links.hours_review``): the entry and two
  buttons, acting on POST.
- A person's calendar feed (``links.personal_feed``): calendar apps cannot sign in. The person
  may reset it (``feed_reset``, signed in): the old link then answers 404.

A tampered, expired or replaced link gets a clear page with status 400.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone, translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from cte_portal.users.permissions import is_authenticated

from .. import ical, links, selectors, services, tokens
from ..enums import GuardianAnswer, HoursStatus, OpportunityKind
from ..errors import WorkbasedError
from ..forms import ConsentAnswerForm, HoursLinkForm
from .helpers import allowed, link_refused, posted


def _client_ip(request: HttpRequest) -> str | None:
    # REMOTE_ADDR as the proxy in front of us sets it (see the deployment notes in README).
    return request.META.get("REMOTE_ADDR")


def _sessions(details: dict) -> list[tuple[datetime, datetime]]:
    return [
        (
            timezone.localtime(datetime.fromisoformat(start)),
            timezone.localtime(datetime.fromisoformat(end)),
        )
        for start, end in details.get("sessions", [])
    ]


@never_cache
@require_http_methods(["GET", "POST"])
def consent(request: HttpRequest, token: str) -> HttpResponse:
    """The guardian's page (no account). It speaks the language the guardian was written in,
    unless they chose another with the switcher."""
    try:
        record = services.consent_for_token(token)
    except tokens.TokenInvalid as exc:
        return link_refused(request, exc, kind="consent")
    language = (
        translation.get_language()
        if settings.LANGUAGE_COOKIE_NAME in request.COOKIES
        else record.language
    )
    # Everything the guardian reads, refusals included, in that language.
    with translation.override(language):
        return _consent_page(request, token, record)


def _kind_label(kind: str) -> Any:
    # A consent asked before the type was kept as its code holds the type's name itself.
    return OpportunityKind(kind).label if kind in OpportunityKind.values else kind


def _consent_page(request: HttpRequest, token: str, record: Any) -> HttpResponse:
    form = ConsentAnswerForm(posted(request))
    error = ""
    if request.method == "POST" and form.is_valid():
        try:
            record = services.consent_answer(
                token=token,
                consent=form.cleaned_data["answer"] == "consent",
                ip=_client_ip(request),
                user_agent=request.META.get("HTTP_USER_AGENT", ""),
            )
        except tokens.TokenInvalid as exc:
            return link_refused(request, exc, kind="consent")
        except WorkbasedError as exc:
            error = exc.message
    elif request.method == "POST":
        error = _("Choose whether you consent.")
    return render(
        request,
        "workbased/consent.html",
        {
            "consent": record,
            "details": record.details,
            "kind": _kind_label(record.details.get("kind", "")),
            "sessions": _sessions(record.details),
            "student_name": record.application.student.user.full_name,
            "answered": record.answer != GuardianAnswer.PENDING,
            "consented": record.answer == GuardianAnswer.CONSENTED,
            "error": error,
        },
    )


@never_cache
@require_http_methods(["GET", "POST"])
def hours_review(request: HttpRequest, token: str) -> HttpResponse:
    """The supervisor's page for one hours entry, from the weekly e-mail."""
    try:
        log = services.hours_for_token(token)
    except tokens.TokenInvalid as exc:
        return link_refused(request, exc, kind="hours")
    form = HoursLinkForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            log = services.hours_review_by_token(
                token=token,
                approve=form.cleaned_data["decision"] == "approve",
                note=form.cleaned_data["note"],
            )
        except tokens.TokenInvalid as exc:
            return link_refused(request, exc, kind="hours")
        except WorkbasedError as exc:
            field = exc.field if exc.field in form.fields else None
            form.add_error(field, exc.message)
    return render(
        request,
        "workbased/hours_review.html",
        {"log": log, "form": form, "pending": log.status == HoursStatus.PENDING},
    )


@require_safe
def personal_feed(request: HttpRequest, token: str) -> HttpResponse:
    """The person's sessions as a calendar feed (``selectors.sessions_for_feed``). A link its
    person has reset since is not found: nothing tells a stranger it ever existed."""
    try:
        user = selectors.feed_owner(token=token)
    except tokens.TokenRevoked as exc:
        raise Http404 from exc
    except tokens.TokenInvalid as exc:
        return link_refused(request, exc, kind="feed")
    name = _("%(portal)s: work-based learning") % {"portal": settings.PORTAL_NAME}
    response = HttpResponse(
        ical.personal_calendar(selectors.sessions_for_feed(user=user), name=name),
        content_type="text/calendar; charset=utf-8",
    )
    response["Content-Disposition"] = 'inline; filename="work-based-learning.ics"'
    return response


@allowed(is_authenticated)
@require_POST
def feed_reset(request: HttpRequest) -> HttpResponse:
    """Anyone signed in replaces their calendar-feed link (from the page that shows it, which
    it returns to); the old link answers 404 from then on."""
    services.calendar_feed_reset(user=request.user)
    messages.success(
        request,
        _(
            "Your calendar link was reset: the old one no longer works. Add the new address "
            "to your calendar app."
        ),
    )
    back = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(
        back, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        back = links.board()
    return redirect(f"{back}#feed-title")
