"""Template helpers shared by every page."""

from __future__ import annotations

from django import template
from django.forms import BoundField
from django.utils.safestring import SafeString

register = template.Library()

# The USWDS class each kind of widget takes.
_WIDGET_CLASSES = {
    "select": "usa-select",
    "selectmultiple": "usa-select",
    "textarea": "usa-textarea",
    "checkbox": "usa-checkbox__input",
    "radioselect": "usa-radio__input",
    "clearablefile": "usa-file-input",
    "file": "usa-file-input",
}


@register.simple_tag
def field_widget(field: BoundField, css_class: str = "") -> SafeString:
    """Render a field's input with its USWDS class, and tie its hint and errors to it."""
    attrs: dict[str, str] = {
        "class": css_class or _WIDGET_CLASSES.get(field.widget_type, "usa-input")
    }
    described_by = []
    if field.help_text:
        described_by.append(f"{field.auto_id}_hint")
    if field.errors:
        described_by.append(f"{field.auto_id}_error")
        attrs["class"] += " usa-input--error"
        attrs["aria-invalid"] = "true"
    if described_by:
        attrs["aria-describedby"] = " ".join(described_by)
    return field.as_widget(attrs=attrs)
