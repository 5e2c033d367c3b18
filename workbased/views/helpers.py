"""Small pieces the workbased pages share: who may open a page, a refusal on its form, the
personal calendar feed's address."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django import forms
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.core.paginator import Page, Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from cte_portal.users.permissions import (
    is_authenticated,
    is_counselor,
    is_cte_staff,
    is_employer,
    is_student,
)

from .. import links, selectors, tokens
from ..errors import WorkbasedError

PAGE_SIZE = 25

View = Callable[..., HttpResponse]


def allowed(predicate: Callable[[Any], bool]) -> Callable[[View], View]:
    """Anonymous: to the sign-in page. Signed in without the role: 403. Object checks come
    after, in the view (someone else's object answers 404)."""

    def decorator(view: View) -> View:
        @wraps(view)
        def guarded(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not is_authenticated(request.user):
                return redirect_to_login(request.get_full_path())
            if not predicate(request.user):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return guarded

    return decorator


def is_host_or_staff(user: Any) -> bool:
    return is_employer(user) or is_cte_staff(user)


def is_advisor(user: Any) -> bool:
    return is_counselor(user) or is_cte_staff(user)


def may_see_requests(user: Any) -> bool:
    return is_counselor(user) or is_cte_staff(user) or is_employer(user)


def may_withdraw(user: Any) -> bool:
    return is_student(user) or is_advisor(user)


def posted(request: HttpRequest) -> Any:
    """The form data of a POST, even an empty one (an empty POST must show its errors)."""
    return request.POST if request.method == "POST" else None


def add_service_error(form: forms.Form, exc: WorkbasedError) -> None:
    """A service's refusal on the form: on its field if the form has it, else on top."""
    field = exc.field if exc.field in form.fields else None
    form.add_error(field, exc.message)


def paginate(request: HttpRequest, items: Any, size: int = PAGE_SIZE) -> Page:
    return Paginator(items, size).get_page(request.GET.get("page"))


def feed_url(user: Any) -> str:
    """The address of the person's calendar feed (a signed link: calendar apps cannot sign
    in), to paste into a calendar app."""
    key = selectors.feed_key(user)
    return links.absolute(links.personal_feed(tokens.feed_token(user_id=user.pk, key=key)))


def link_refused(request: HttpRequest, exc: tokens.TokenInvalid, *, kind: str) -> HttpResponse:
    """A tampered, expired or replaced signed link: a clear page, status 400."""
    return render(
        request,
        "workbased/link_invalid.html",
        {"expired": isinstance(exc, tokens.TokenExpired), "message": exc.message, "kind": kind},
        status=400,
    )
