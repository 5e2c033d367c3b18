from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from cte_portal.users.models import User

from . import kinds, selectors, services
from .forms import PreferencesForm
from .models import Notification


@login_required
@require_safe
def notification_list(request: HttpRequest) -> HttpResponse:
    page = Paginator(selectors.notifications_for(user=request.user), 25).get_page(
        request.GET.get("page")
    )
    return render(request, "notifications/list.html", {"page": page})


@login_required
@require_POST
def notification_read(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        notification = services.notification_mark_read(user=request.user, notification_id=pk)
    except Notification.DoesNotExist:
        raise Http404 from None
    target = notification.link
    if request.POST.get("open") and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}
    ):
        return redirect(target)
    return redirect("notifications:list")


@login_required
@require_POST
def notification_read_all(request: HttpRequest) -> HttpResponse:
    services.notifications_mark_all_read(user=request.user)
    messages.success(request, _("All notifications are marked as read."))
    return redirect("notifications:list")


@login_required
@require_http_methods(["GET", "POST"])
def preferences(request: HttpRequest) -> HttpResponse:
    current = services.preferences_for(request.user)
    form = PreferencesForm(request.POST or None, preferences=current)
    if request.method == "POST" and form.is_valid():
        for kind, delivery in form.cleaned_data.items():
            if delivery:
                services.preference_set(user=request.user, kind=kind, delivery=delivery)
        messages.success(request, _("Your notification settings are saved."))
        return redirect("notifications:preferences")
    return render(request, "notifications/preferences.html", {"form": form})


@csrf_exempt  # mail clients POST here for RFC 8058 one-click unsubscribe; the token authorises
@require_http_methods(["GET", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    """From an e-mail's link, no login: the signed token says who and which kind.

    GET only asks (link scanners and mail previews open every link in a message); POST acts:
    the page's button, or a mail client's one-click POST (``List-Unsubscribe=One-Click``).
    The page then offers to undo it.
    """
    try:
        user_id, kind_key = services.read_unsubscribe_token(token)
        user = User.objects.get(pk=user_id, is_active=True)
        kind = kinds.get(kind_key)
        if request.method == "GET":
            pending = services.unsubscribe_targets(user=user, kind=kind.key)
            return render(
                request,
                "notifications/unsubscribe_confirm.html",
                {"kind": kind, "email": user.email, "pending": [kinds.get(k) for k in pending]},
            )
        undo = "undo" in request.POST
        if undo:
            # What this link's unsubscribe changed, as the page signed it: nothing else.
            previous = services.read_undo_token(
                request.POST["undo"], user_id=user.pk, kind=kind.key
            )
            undone = services.unsubscribe_undo(user=user, kind=kind.key, previous=previous)
            changed: dict[str, str] = {}
        else:
            changed = services.unsubscribe(user=user, kind=kind.key)
            undone = {}
    except (signing.BadSignature, LookupError, User.DoesNotExist, services.NotificationError):
        return render(request, "notifications/unsubscribe_invalid.html", status=400)
    return render(
        request,
        "notifications/unsubscribed.html",
        {
            "kind": kind,
            "token": token,
            "email": user.email,
            "undo": undo,
            "undo_token": (
                services.undo_token(user_id=user.pk, kind=kind.key, changed=changed)
                if changed
                else ""
            ),
            "changed": [kinds.get(k) for k in changed],
            "undone": [kinds.get(k) for k in undone],
        },
    )
