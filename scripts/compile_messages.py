"""Compile the interface translations (.po -> .mo) without needing GNU gettext installed."""

from pathlib import Path

import polib

LOCALE = Path(__file__).resolve().parents[1] / "src" / "veille" / "locale"

for po_path in sorted(LOCALE.glob("*/LC_MESSAGES/*.po")):
    catalogue = polib.pofile(str(po_path))
    catalogue.save_as_mofile(str(po_path.with_suffix(".mo")))
    print(f"compiled {po_path.relative_to(LOCALE)}: {len(catalogue.translated_entries())} strings")
