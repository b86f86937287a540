"""A dataset whose every shown string is hostile: Markdown, Streamlit directives, HTML, LaTeX, autolinks, pydeck.

An imported file is written by someone else. Each string here would, if it reached Streamlit's Markdown
unescaped, turn into something other than its own letters: a live link, an image the browser fetches, a formula,
coloured text, an icon, an emoji, a heading, a list. The demo Musterstadt keeps its numbers and shapes; only the
strings change, so every page runs the same code paths it runs for a real city.
"""

from __future__ import annotations

import dataclasses
import itertools
import re

from sozialdash.dataset import Dataset
from sozialdash.ui.safe import JOINER

LONG = "Sehr langer Gebietsname " + "mit Zusatz " * 25 + "und Ende"

HOSTILE = [
    "https://evil.example/x", "www.evil.example", "a@b.example", "$$x^2$$", "$x$", ":red[rot]", ":blue-badge[b]",
    ":material/warning:", ":smile:", ":streamlit:", "<b>fett</b>", "<img src=x onerror=alert(1)>", "# Titel",
    "> Zitat", "1. Liste", "- Liste", "~~durch~~", "**fett**", "[Link](https://evil.example)",
    "![bild](https://evil.example/a.png)", "Einwohner*innen und Schüler*innen", "| a | b |", "@@=alert(1)",
    "a -> b <- c", "Fußnote[^1]", "&amp; &lt;b&gt;", "HTTP://EVIL.EXAMPLE/GROSS", "`Code`", "Zeile\nUmbruch", LONG,
]
"""Each string must be shown as exactly these letters (a line break may become a space)."""

ALL = " ".join(HOSTILE[:-2])

FORMULAS = ['=HYPERLINK("https://evil.example";"klick")', "+1+1", "-2+3", "=1+1"]
"""Cells a spreadsheet would run as formulas: institution names, Träger and descriptions end up in exports."""
INSTITUTION_NAMES = [*HOSTILE, *FORMULAS]


def _cycle(values, n: int, offset: int = 0) -> list[str]:
    return list(itertools.islice(itertools.cycle(values), offset, offset + n))


def hostile_dataset(demo: Dataset) -> Dataset:
    """``demo`` with hostile names, units, sources and definitions everywhere a page may show them, institutions
    (name, Träger, description) included."""
    meta = dataclasses.replace(
        demo.meta, name="https://evil.example/x www.evil.example a@b.example", city=":red[rot] :material/warning: $x$",
        source=":smile: <img src=x onerror=alert(1)> [Link](https://evil.example)", is_demo=False,
        licence="![bild](https://evil.example/a.png)",
    )
    levels = demo.levels.assign(
        label=_cycle(["~~durch~~", "**fett**", ":blue-badge[b]"], len(demo.levels)),
        label_plural=_cycle(["~~durch~~", "# Titel", "> Zitat"], len(demo.levels)),
    )
    areas = demo.areas.assign(name=_cycle(HOSTILE, len(demo.areas)))
    topics = demo.topics.assign(label=[f"{s} ({i})" for i, s in enumerate(_cycle(HOSTILE, len(demo.topics), 12))])
    n = len(demo.indicators)
    indicators = demo.indicators.assign(
        name=_cycle(HOSTILE, n, 3), short_name=_cycle(HOSTILE, n, 5),
        unit=_cycle(["$$x^2$$", ":red[rot]", "https://evil.example/x", "<b>fett</b>", "**%**"], n),
        definition=ALL, source=_cycle(HOSTILE, n, 7), reference_date=_cycle(["$x$", ":smile:", "# Titel"], n),
        numerator_definition=ALL, denominator_definition=ALL,
    )
    m = len(demo.institutions)
    # Categories keep their names: supply_targets pairs them with target populations. The offsets give the
    # institution named "<img src=x onerror=alert(1)>" the Träger "=1+1" and a =HYPERLINK description.
    institutions = demo.institutions.assign(
        name=_cycle(INSTITUTION_NAMES, m), organisation=_cycle(INSTITUTION_NAMES, m, 22),
        description=_cycle(INSTITUTION_NAMES, m, 19),
    )
    return dataclasses.replace(demo, meta=meta, levels=levels, areas=areas, topics=topics, indicators=indicators,
                               institutions=institutions)


# What Streamlit 1.67 (StreamlitMarkdown.js) looks for in the parsed text nodes, where backslash escapes are gone,
# and in the source: a data string that matches any of them has become something other than text.
TEXT_NODE_PATTERNS = {
    "autolink": re.compile(r"(https?://|www(?=\.))[-.\w]+", re.IGNORECASE),          # remark-gfm
    "e-mail autolink": re.compile(r"[-.\w+]+@[-\w]+(?:\.[-\w]+)+"),
    "material icon": re.compile(r":material_\w+:"),                                  # after :material/ -> _
    "Streamlit logo": re.compile(r":streamlit:"),
    "arrow or dash": re.compile(r"(^|\s)(<->|->|<-|--|>=|<=|~=)(\s|$)"),
}
SOURCE_PATTERNS = {
    "emoji shortcode (loads remark-emoji)": re.compile(r":(?!material/|streamlit:)[\w+-][\w_+-]*:"),
    "directive (:red[…], :blue-badge[…], :help[…])": re.compile(r"(?<!\\):[A-Za-z]"),
    "maths (loads KaTeX)": re.compile(r"\$"),   # searched once escaped backslashes, dollars and backticks are gone
}


def text_nodes(markdown: str) -> str:
    """What the parser leaves in text nodes: escapes resolved, ``:material/`` renamed as Streamlit does."""
    return re.sub(r"\\(.)", r"\1", markdown.replace(":material/", ":material_"))


def shown(markdown: str) -> str:
    """The letters a reader sees."""
    return text_nodes(markdown).replace(":material_", ":material/").replace(JOINER, "")


def markdown_features(markdown: str) -> list[str]:
    """The Streamlit features that ``markdown`` would trigger beyond plain text and the app's own bold."""
    found = [name for name, pattern in TEXT_NODE_PATTERNS.items() if pattern.search(text_nodes(markdown))]
    unescaped = re.sub(r"\\[\\$`]", "", markdown)
    return found + [name for name, pattern in SOURCE_PATTERNS.items() if pattern.search(unescaped)]
