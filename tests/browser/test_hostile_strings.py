"""Hostile strings from the data (tests/hostile.py) in a real browser: shown as their letters, never as markup.

The AppTests check the Markdown source; this checks what Streamlit's renderer made of it in Chromium: no link,
formula, coloured text, badge, icon, image, block element or JavaScript dialog came from a data string, and the
literal text is on the page.
"""

from __future__ import annotations

import pytest
from tests.hostile import HOSTILE, LONG
from playwright.sync_api import expect

from sozialdash.ui.safe import JOINER

DEFINITION = [text for text in HOSTILE if "\n" not in text and text != LONG]   # all of them, in every caption

# Everything Markdown could have made of a data string, as counts and texts, read from the rendered page.
FINDINGS = """() => {
  const containers = [...document.querySelectorAll(
      '[data-testid="stMarkdownContainer"], [data-testid="stCaptionContainer"]')];
  const inside = selector => containers.flatMap(c => [...c.querySelectorAll(selector)]);
  const fromData = /evil|b\\.example|mailto:/i;
  // A data string turned into a block or inline element: its text then lacks the marker that made it one.
  const blockFromData = /^(Titel|Zitat|Liste|durch|fett|Code|innen und Schüler|rot|b$)/;
  return {
    links: [...document.querySelectorAll('a')]
        .filter(a => fromData.test(a.textContent) || fromData.test(a.getAttribute('href') || ''))
        .map(a => a.outerHTML.slice(0, 120)),
    formulas: document.querySelectorAll('.katex, math').length,
    coloured: inside('.stMarkdownColoredText, .stMarkdownColoredBackground, .stMarkdownBadge')
        .map(e => e.textContent),
    icons: inside('span[role="img"]').map(e => e.textContent),
    images: [...inside('img'), ...document.querySelectorAll('img[src*="evil"]')].map(i => i.getAttribute('src')),
    blocks: [...document.querySelectorAll('blockquote, table, li, del, code, pre, em, h1, h2, h3, h4, h5, h6')]
        .filter(e => blockFromData.test(e.textContent.trim()))
        .map(e => e.tagName + ': ' + e.textContent.slice(0, 60)),
  };
}"""
NOTHING = {"links": [], "formulas": 0, "coloured": [], "icons": [], "images": [], "blocks": []}


@pytest.mark.parametrize(("path", "literal"), [
    pytest.param("/", ["Sozialbericht :red[rot] :material/warning: $x$", "# Titel und Einwohner*innen",
                       ":smile: <img src=x onerror=alert(1)> [Link](https://evil.example)", "$$x^2$$", "<b>fett</b>"],
                 id="uebersicht"),
    pytest.param("/Karte?gebiet=101&gebiet=102", DEFINITION, id="karte"),
    pytest.param("/Vergleich?gebiet=1&gebiet=101&gebiet=102", ["Vergleich"], id="vergleich"),
    pytest.param("/Profil?profil=101", ["a@b.example", "Teil von www.evil.example"], id="profil"),
    pytest.param("/Daten_und_Methodik", ["Daten & Methodik"], id="daten-und-methodik"),
])
def test_data_strings_render_as_text(open_app, hostile_app_server, path, literal):
    app = open_app(path, server=hostile_app_server)
    dialogs: list[str] = []
    app.page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    expect(app.main.get_by_role("heading").first).to_be_visible()
    app.wait_for_run()   # the whole page, not only its first heading: a loaded CI machine once read it half drawn
    if path.startswith("/Karte"):
        app.main.get_by_role("button", name="Definition").click()  # the definition waits in a popover
        expect(app.page.get_by_test_id("stPopoverBody")).to_be_visible()
        app.wait_for_map("map")
        box = app.map_canvas().bounding_box()
        app.page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
        expect(app.page.locator(".deck-tooltip")).to_be_visible()

    app.screenshot()
    assert app.page.evaluate(FINDINGS) == NOTHING
    seen = app.page.locator("body").inner_text().replace(JOINER, "")
    assert [text for text in literal if text not in seen] == []
    assert "https://evil.example/x www.evil.example a@b.example" in seen   # the dataset name in the sidebar
    assert dialogs == []
    app.assert_no_exception()
    app.assert_clean()
