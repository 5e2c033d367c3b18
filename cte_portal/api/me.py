"""Extension point of ``/api/v1/me/``: domain apps add a section about the signed-in person
(a student's own record summary, a counselor's schools) without this cross-cutting layer
importing them (apps depend one way; ``cte_portal`` is the bottom).

An app registers, from its ``AppConfig.ready()``, a name and a serializer. The serializer is
given the *user* and returns its section, or ``None`` when the section does not apply to
this person (``to_representation`` may look the person's record up). ``MeView`` composes
``MeSerializer`` with every registered section, so the OpenAPI schema describes them all.
"""

from __future__ import annotations

from functools import cache

from rest_framework import serializers

from .serializers import MeSerializer

_sections: dict[str, type[serializers.Serializer]] = {}


def register_section(name: str, serializer_class: type[serializers.Serializer]) -> None:
    """Add ``name`` to /api/v1/me/, rendered by ``serializer_class`` from the user."""
    _sections[name] = serializer_class
    me_serializer_class.cache_clear()


@cache
def me_serializer_class() -> type[MeSerializer]:
    """``MeSerializer`` with one read-only, nullable field per registered section."""
    fields = {
        name: serializer_class(source="*", read_only=True, allow_null=True)
        for name, serializer_class in sorted(_sections.items())
    }
    meta = type("Meta", (MeSerializer.Meta,), {"fields": [*MeSerializer.Meta.fields, *fields]})
    return type("MeSerializer", (MeSerializer,), {**fields, "Meta": meta})
