from __future__ import annotations

from django import forms

from .enums import Delivery
from .kinds import Kind


class PreferencesForm(forms.Form):
    """One radio group per listed kind; kinds that cannot be turned off offer fewer choices."""

    def __init__(self, *args, preferences: list[tuple[Kind, str]], **kwargs):
        super().__init__(*args, **kwargs)
        for kind, current in preferences:
            choices = Delivery.choices if kind.can_turn_off else [Delivery.choices[0]]
            # Not required: a kind left out of the submission keeps its current setting.
            self.fields[kind.key] = forms.ChoiceField(
                label=kind.label,
                choices=choices,
                initial=current,
                required=False,
                widget=forms.RadioSelect,
            )
