"""Template helpers shared by every page."""

from __future__ import annotations

from django import template
from django.forms import BoundField
from django.utils.html import conditional_escape
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


class PageTitleNode(template.Node):
    """``{% page_title %}{% block title %}{% endblock %}{% endpage_title %}``: the page's own
    title, then the portal's name ("Sign in · CTE Portal"); the name alone when a page
    gives none. Django templates cannot ask whether a block is empty, so this renders it."""

    def __init__(self, nodelist: template.NodeList) -> None:
        self.nodelist = nodelist  # blocks inside stay overridable by child templates

    def render(self, context: template.Context) -> str:
        title = self.nodelist.render(context).strip()
        name = conditional_escape(context.get("PORTAL_NAME", ""))
        return f"{title} · {name}" if title else name


@register.tag
def page_title(parser: template.base.Parser, token: template.base.Token) -> PageTitleNode:
    nodelist = parser.parse(("endpage_title",))
    parser.delete_first_token()
    return PageTitleNode(nodelist)
