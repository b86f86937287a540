"""Data strings shown through Streamlit's Markdown (titles, captions, metric labels and values) stay plain text.

Streamlit renders Markdown there: a name with two gender stars ("Einwohner*innen … Schüler*innen") turns into
italics, and a crafted name in an imported file could become a link, an image the browser fetches, a formula,
coloured text or an icon. Two kinds of feature need two kinds of defence (read off Streamlit 1.67's renderer,
react-markdown with remark-gfm, remark-math, remark-directive, remark-emoji and its own plugins):

* Syntax is parsed from the source, so a backslash before its opening character neutralises it: emphasis,
  code, links, images, footnotes, HTML, entities, maths (Streamlit only loads KaTeX if an unescaped ``$`` pair is
  left), tables, strikethrough, headings, block quotes and lists.
* Some features are found afterwards in the parsed *text*, where a backslash escape has already gone: GitHub's
  bare autolinks (``https://…``, ``www.…``, ``name@host.tld``), Material icons (``:material/…:``), emoji
  shortcodes (``:smile:``), the Streamlit logo (``:streamlit:``) and arrows (``->`` becomes →). An invisible word
  joiner (U+2060) breaks their patterns without changing what a reader sees: after every colon that is followed
  by a character (this also stops directives such as ``:red[…]``), after ``@``, between ``www`` and its dot, and
  between the characters of an arrow. (A backslash before the colon or a dot does not help, nor does an HTML
  entity: both are resolved into the same text node. Copying such a name copies the joiners too; tables,
  tooltips, charts and downloads never go through md().)

A line break would end the element's line and let the next one start a block (a heading, a list), so every line
break becomes a space; leading and trailing blanks go too (four leading spaces make a code block).
"""

import re

JOINER = "\u2060"  # WORD JOINER: zero width, no line break opportunity

_LINE_BREAKS = re.compile(r"\s*[\r\n]+\s*")
_TEXT_PATTERNS = re.compile(r"(?<=:)(?=\S)|(?<=@)|(?i:(?<=www)(?=\.))|(?<=[-<>~])(?=[->=])")
_ANYWHERE = re.compile(r"([\\`*_{}\[\]<>~$|&#])")
_BLOCK_START = re.compile(r"^([+\-])(?=\s|$)")
_ORDERED_LIST = re.compile(r"^(\d+)([.)])(?=\s|$)")


def md(text: object) -> str:
    """``text`` as Markdown that Streamlit shows as exactly these characters (line breaks become spaces)."""
    flat = _LINE_BREAKS.sub(" ", str(text).strip())
    escaped = _ANYWHERE.sub(r"\\\1", _TEXT_PATTERNS.sub(JOINER, flat))
    return _ORDERED_LIST.sub(r"\1\\\2", _BLOCK_START.sub(r"\\\1", escaped))

