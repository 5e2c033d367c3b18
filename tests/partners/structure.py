"""Structural accessibility checks on a rendered partners page (WCAG 2.1: one h1, headings in
order, labelled controls, tables with captions and scoped headers, images with alt).

Not a substitute for axe in tests/browser; a quick guard on every page and state.
"""

from __future__ import annotations

from html.parser import HTMLParser


class _Page(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.headings: list[int] = []
        self.controls: list[dict[str, str | None]] = []
        self.label_for: set[str] = set()
        self.tables = 0
        self.captions = 0
        self.th_without_scope = 0
        self.img_without_alt = 0
        self._in_thead_or_row_th = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if len(tag) == 2 and tag[0] == "h" and tag[1].isdigit():
            self.headings.append(int(tag[1]))
        elif tag in ("input", "select", "textarea") and a.get("type") not in ("hidden", "submit"):
            self.controls.append(a)
        elif tag == "label" and a.get("for"):
            self.label_for.add(a["for"] or "")
        elif tag == "table":
            self.tables += 1
        elif tag == "caption":
            self.captions += 1
        elif tag == "th" and a.get("scope") not in ("col", "row", "colgroup", "rowgroup"):
            self.th_without_scope += 1
        elif tag == "img" and "alt" not in a:
            self.img_without_alt += 1


def check_structure(html: str) -> None:
    """Fail with a clear message if the page breaks one of the structural rules."""
    page = _Page()
    page.feed(html)
    assert page.headings.count(1) == 1, f"expected one h1, got headings {page.headings}"
    assert page.headings[0] == 1, f"the first heading is not the h1: {page.headings}"
    for before, after in zip(page.headings, page.headings[1:], strict=False):
        assert after <= before + 1, f"heading level skips from h{before} to h{after}"
    for control in page.controls:
        named = control.get("id") in page.label_for or control.get("aria-label")
        assert named, f"form control without a label: {control}"
    assert page.captions == page.tables, "every table needs a caption"
    assert page.th_without_scope == 0, "every th needs a scope"
    assert page.img_without_alt == 0, "every img needs an alt"
