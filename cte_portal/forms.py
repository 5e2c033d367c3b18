"""Form pieces every app's pages share."""

from __future__ import annotations

from typing import Any

from django import forms


class TickBox(forms.CheckboxInput):
    """A filter's tick box read from a URL: ``?extended_day=0`` (or false, no, off) is
    unticked, where Django's checkbox would read any non-empty text as ticked."""

    UNTICKED = frozenset({"", "0", "false", "no", "off"})

    def __init__(self) -> None:
        super().__init__(attrs={"value": "true"})

    def value_from_datadict(self, data: Any, files: Any, name: str) -> bool:
        value = data.get(name)
        if value is None:
            return False
        if isinstance(value, bool):
            return value
        return str(value).strip().lower() not in self.UNTICKED
