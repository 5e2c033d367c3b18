"""The work-based learning pages in Spanish: every string of their templates, forms, views and
panels has a Spanish translation (no fuzzy one), and the pages show it."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from tests.factories.workbased import OpportunityFactory
from tests.students.test_spanish import po_entries

OURS = (
    "templates/workbased/",
    "workbased/forms.py",
    "workbased/views/",
    "workbased/panels.py",
    "workbased/templatetags/",
    "cte_portal/context_processors.py",
)


def test_every_workbased_page_string_has_a_spanish_translation():
    ours = [e for e in po_entries() if any(r.startswith(OURS) for r in e["refs"])]
    missing = [e["msgid"] for e in ours if "fuzzy" in e["flags"] or not all(s for s in e["msgstr"])]
    assert len(ours) > 350  # the pages' strings are in the file at all
    assert missing == []


@pytest.fixture
def spanish(client_for):
    def make(user=None):
        client = client_for(user)
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "es"
        return client

    yield make
    translation.activate(settings.LANGUAGE_CODE)  # the middleware leaves Spanish active


@pytest.mark.django_db
def test_the_board_and_an_opportunity_in_spanish(spanish, org, profile):
    opportunity = OpportunityFactory(organization=org, is_paid=True)

    board = spanish().get(reverse("workbased:opportunity_list")).content.decode()
    page = (
        spanish(profile.user)
        .get(reverse("workbased:opportunity_detail", args=[opportunity.pk]))
        .content.decode()
    )

    assert "Oportunidades de aprendizaje basado en el trabajo" in board
    assert "Mostrar oportunidades" in board and "Remunerado" in board
    assert "Puede presentar su solicitud." in page and "Enviar mi solicitud" in page


@pytest.mark.django_db
def test_the_students_and_the_hosts_pages_in_spanish(spanish, profile, employer, org):
    mine = spanish(profile.user).get(reverse("workbased:mine")).content.decode()
    manage = spanish(employer).get(reverse("workbased:manage")).content.decode()

    assert "Mis solicitudes" in mine and "Mi calendario suscrito" in mine
    assert "Gestionar oportunidades" in manage and "Publicar una nueva oportunidad" in manage


NEW_KINDS = (
    "wbl_request_not_chosen",
    "wbl_request_invited",
    "wbl_consent_answered_host",
    "wbl_application_withdrawn",
    "wbl_hours_rejected",
    "wbl_evaluation_given",
)


@pytest.mark.parametrize("kind", NEW_KINDS)
def test_the_new_messages_are_written_in_spanish(kind):
    from datetime import date, time
    from types import SimpleNamespace

    from cte_portal.notifications.services import render

    named = SimpleNamespace(name="Harbor", title="Shadow a nurse")
    request = SimpleNamespace(
        topic="Nursing",
        get_kind_display="Guest speaker",
        audience_size=20,
        grade=10,
        earliest_date=date(2027, 1, 4),
        latest_date=date(2027, 1, 8),
    )
    context = {
        "request": request,
        "school": named,
        "pathway": named,
        "opportunity": named,
        "organization": named,
        "student_name": "Ana",
        "date": date(2027, 1, 4),
        "start_time": time(9),
        "end_time": time(12),
        "hours": 3,
        "reason": "No.",
        "link": "/x/",
    }
    english = render(kind, context, language="en")
    spanish = render(kind, context, language="es")
    for en, es in zip(english, spanish, strict=True):
        assert en != es
