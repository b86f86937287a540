"""Pages that are planned but not built: they say so."""

from __future__ import annotations

import pytest

PLACEHOLDERS = [
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
