"""The catalogue's search form (GET): its shape only. What it means is in the selectors."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from cte_portal.forms import TickBox

from .enums import GRADES
from .selectors import ANY_CREDENTIAL, CatalogueFilters


class PathwaySearchForm(forms.Form):
    """Keyword and filters of ``/pathways/``. Every field is optional and they combine.

    The choices come from the database (``selectors.catalogue_filter_choices``): the view
    passes them in, so the form makes no query of its own.
    """

    q = forms.CharField(
        label=_("Search by keyword"),
        required=False,
        max_length=200,
        # Not type=search: USWDS floats search inputs (its search component's layout).
        widget=forms.TextInput(attrs={"enterkeyhint": "search"}),
    )
    sector = forms.ChoiceField(required=False)
    school = forms.ChoiceField(label=_("School"), required=False)
    grade = forms.TypedChoiceField(
        label=_("Can join in grade"),
        required=False,
        coerce=int,
        empty_value=None,
        choices=[("", _("Any grade")), *((g, g) for g in GRADES)],
    )
    credential = forms.ChoiceField(label=_("Industry credential"), required=False)
    college_credit = forms.BooleanField(
        label=_("Earns college credit"),
        required=False,
        widget=TickBox(),
    )
    extended_day = forms.BooleanField(
        label=_("Offered after school (extended day)"),
        required=False,
        widget=TickBox(),
    )

    def __init__(
        self,
        *args: Any,
        choices: dict[str, list[tuple[str, str]]],
        sector_label: str,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["sector"].label = sector_label
        self.fields["sector"].choices = [("", _("Any")), *choices["sectors"]]
        self.fields["school"].choices = [("", _("Any school")), *choices["schools"]]
        self.fields["credential"].choices = [
            ("", _("With or without a credential")),
            (ANY_CREDENTIAL, _("Leads to at least one credential")),
            (_("Leads to this credential"), choices["credentials"]),
        ]

    def filters(self) -> CatalogueFilters:
        """The filters to apply: the valid fields (an invalid one is shown as an error and
        ignored, so the rest of the search still answers)."""
        if not self.is_bound:
            return CatalogueFilters()
        self.is_valid()
        data = dict(self.cleaned_data)
        # An unticked box means "either way", never "only those without".
        for name in ("college_credit", "extended_day"):
            data[name] = data.get(name) or None
        return CatalogueFilters.from_mapping(data)
