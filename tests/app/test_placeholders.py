"""Pages that are planned but not built: they say so, and Profil already names the chosen area."""

from __future__ import annotations

import pytest

PLACEHOLDERS = [
    ("pages/3_Profil.py", "Profil"),
    ("pages/5_Dialog.py", "Dialog"),
]


@pytest.mark.parametrize(("script", "title"), PLACEHOLDERS)
def test_placeholder_says_it_is_in_progress(open_page, script, title):
    at = open_page(script)
    assert not at.exception
    assert [t.value for t in at.title] == [title]
    assert len(at.info) == 1
    assert "in Arbeit" in at.info[0].value
    assert any(m.value.startswith("**Geplant:**") for m in at.markdown)


@pytest.mark.parametrize("area_id", ["101", "1"])
def test_profil_names_the_area_from_the_url(open_page, areas, area_id):
    at = open_page("pages/3_Profil.py", profil=area_id)
    assert not at.exception
    area = areas.loc[area_id]
    assert [s.value for s in at.subheader] == [area["name"]]
    assert f"Teil von {area['parent_name']}" in [c.value for c in at.caption]
    link = [p for p in at.main.get("page_link") if p.label == "Dieses Gebiet im Vergleich"]
    assert len(link) == 1


def test_profil_of_area_101_is_altstadt(open_page, areas):
    at = open_page("pages/3_Profil.py", profil="101")
    assert areas.at["101", "name"] == "Altstadt"
    assert at.subheader[0].value == "Altstadt"


def test_profil_ignores_an_unknown_area(open_page):
    at = open_page("pages/3_Profil.py", profil="nicht-da")
    assert not at.exception
    assert [t.value for t in at.title] == ["Profil"]
    assert len(at.subheader) == 0
