"""The students' pages in Spanish: every string of the students app (its templates, forms,
messages and errors) has a Spanish translation, and the pages show it."""

from __future__ import annotations

import ast
import datetime
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from students import services
from tests.factories.pathways import OfferingFactory, SectorFactory

ROOT = Path(__file__).resolve().parents[2]
PO = ROOT / "locale" / "es" / "LC_MESSAGES" / "django.po"
OURS = ("students/", "templates/students/", "templates/emails/enrollment_decided/")


def po_entries() -> list[dict[str, object]]:
    """The .po's entries: references, flags, msgid and msgstr(s), as plain text."""
    entries = []
    for block in PO.read_text(encoding="utf-8").split("\n\n"):
        lines = [line for line in block.splitlines() if not line.startswith("#~")]
        entry: dict[str, object] = {"refs": [], "flags": [], "msgid": "", "msgstr": []}
        key = None
        for line in lines:
            if line.startswith("#:"):
                entry["refs"] += line[2:].split()
            elif line.startswith("#,"):
                entry["flags"] += [f.strip() for f in line[2:].split(",")]
            elif m := re.match(r'^(msgid|msgid_plural|msgstr(?:\[\d\])?) (".*")$', line):
                key = m.group(1)
                value = ast.literal_eval(m.group(2))
                if key.startswith("msgstr"):
                    entry["msgstr"].append(value)
                elif key == "msgid":
                    entry["msgid"] = value
            elif line.startswith('"') and key:
                value = ast.literal_eval(line)
                if key.startswith("msgstr"):
                    entry["msgstr"][-1] += value
                elif key == "msgid":
                    entry["msgid"] += value
        if entry["msgid"]:
            entries.append(entry)
    return entries


def test_every_students_string_has_a_spanish_translation():
    ours = [e for e in po_entries() if any(r.startswith(OURS) for r in e["refs"])]
    missing = [e["msgid"] for e in ours if "fuzzy" in e["flags"] or not all(s for s in e["msgstr"])]
    assert len(ours) > 150  # the students app's strings are in the file at all
    assert missing == []


@pytest.fixture
def spanish(client_for):
    def make(user):
        client = client_for(user)
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "es"
        return client

    yield make
    translation.activate(settings.LANGUAGE_CODE)  # the middleware leaves Spanish active


def _page(client, url) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


@pytest.mark.django_db
def test_student_pages_in_spanish(spanish, approved, other_offering, counselor):
    mine = approved.student
    client = spanish(mine.user)

    me = _page(client, reverse("students:me"))
    enroll = _page(client, reverse("students:enroll", args=[other_offering.pk]))
    change = _page(client, reverse("students:change"))
    withdraw = _page(client, reverse("students:withdraw", args=[approved.pk]))
    cta = _page(client, other_offering.pathway.get_absolute_url())

    assert 'lang="es"' in me
    assert "Mi programa de estudios" in me and "Mis notificaciones más recientes" in me
    assert "Enviar mi solicitud" in enroll
    assert "Permanece en ella hasta que su consejero/a apruebe el cambio." in change
    assert "Retirar la inscripción en Cyber Defense" in withdraw
    assert "Pedir el cambio a esta trayectoria en" in cta
    for english in ("My program of study", "Send my request", "Ask to change to it at"):
        assert english not in me + enroll + change + cta


@pytest.mark.django_db
def test_workshops_and_errors_in_spanish(spanish, mine, counselor):
    mine.grade = 8
    mine.save()
    services.exploratory_workshop_record(
        student=mine,
        by=counselor,
        title="Robotics open lab",
        sector=SectorFactory(),
        attended_on=datetime.date(2024, 10, 2),
        hours=3,
    )
    client = spanish(mine.user)
    assert "Talleres de profesiones que exploré" in _page(client, reverse("students:me"))

    response = client.post(reverse("students:enroll", args=[OfferingFactory().pk]), {"note": ""})
    assert "Solo puede solicitar" in response.content.decode()
