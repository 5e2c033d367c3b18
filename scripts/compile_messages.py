"""Compile every ``locale/<lang>/LC_MESSAGES/*.po`` into its ``.mo``, in pure Python.

Django's ``compilemessages`` needs GNU gettext's ``msgfmt``; a newcomer with only Python and
Node must still get the Spanish pages, so setup compiles with polib instead. Fuzzy entries
are left out, exactly as msgfmt does without ``--use-fuzzy``.

Usage: python scripts/compile_messages.py [LOCALE_DIR]   (default: ./locale)
"""

from __future__ import annotations

import sys
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parent.parent


def compile_catalogues(locale_dir: Path) -> list[Path]:
    """Write a ``.mo`` beside each ``.po`` under ``locale_dir``; return what was written."""
    written = []
    for po_path in sorted(locale_dir.glob("*/LC_MESSAGES/*.po")):
        catalogue = polib.pofile(str(po_path))
        for entry in catalogue.fuzzy_entries():
            catalogue.remove(entry)
        mo_path = po_path.with_suffix(".mo")
        catalogue.save_as_mofile(str(mo_path))
        written.append(mo_path)
    return written


def main(argv: list[str]) -> int:
    locale_dir = Path(argv[1]) if len(argv) > 1 else ROOT / "locale"
    written = compile_catalogues(locale_dir)
    if not written:
        print(f"compile_messages: no .po files under {locale_dir}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
