from __future__ import annotations

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.template import loader
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from cte_portal.health import health


@never_cache
@require_safe
def healthz(request: HttpRequest) -> JsonResponse:
    ok, checks = health()
    return JsonResponse({"status": "ok" if ok else "down", **checks}, status=200 if ok else 503)


@require_safe
def robots_txt(request: HttpRequest) -> HttpResponse:
    # Also the benchmark's trivial page: it crosses the whole middleware stack and nothing else.
    return HttpResponse(
        "User-agent: *\nDisallow: /api/\nDisallow: /admin/\n", content_type="text/plain"
    )


def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": "Not found."}, status=404)
    return render(request, "404.html", status=404)


def server_error(request: HttpRequest) -> HttpResponse:
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": "Server error."}, status=500)
    # No request context: the database or the session may be what failed.
    return HttpResponse(loader.get_template("500.html").render(), status=500)
