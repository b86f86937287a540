"""Every page (app.py and each script in pages/) opens without an exception and shows the demo notice."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PAGE_FILES = ["app.py", *sorted(p.relative_to(ROOT).as_posix() for p in (ROOT / "pages").glob("*.py"))]
NAVIGATION = ["Übersicht", "Karte", "Vergleich", "Profil", "Sozialindex", "Sozialnavigator", "Dialog",
              "Daten & Methodik", "Datenpflege"]


def test_all_pages_are_covered():
    assert len(PAGE_FILES) == 9


@pytest.mark.parametrize("script", PAGE_FILES)
def test_page_runs_and_shows_demo_notice(open_page, store, script):
    at = open_page(script)
    assert not at.exception
    assert len(at.title) + len(at.subheader) >= 1  # the Karte's heading is its map's title
    assert store.meta["is_demo"]
    assert any("Fiktive Demodaten" in c.value for c in at.main.caption)
    assert any("Fiktive Demodaten" in m.value for m in at.sidebar.markdown)
    assert [link.label for link in at.sidebar.get("page_link")] == NAVIGATION
