"""Data strings shown through Streamlit's Markdown (titles, captions, metric labels) must stay plain text.

Streamlit renders Markdown there: a name with two gender stars ("Einwohner*innen … Schüler*innen") turns into
italics, and a crafted name in an imported file could become a link or an image that the browser fetches.
Escaped are the characters that open emphasis, code, links, images, HTML, maths and tables anywhere, a colon
that could start a Streamlit directive (":red[", ":material/…:"), and what makes a line a heading or a list.
"""

import re

_ANYWHERE = re.compile(r"([\\`*_{}\[\]<>~$|]|:(?=\S))")
_BLOCK_START = re.compile(r"^(\s*)([#+\-])", flags=re.MULTILINE)
_ORDERED_LIST = re.compile(r"^(\s*\d+)([.)])", flags=re.MULTILINE)


def md(text: object) -> str:
    """``text`` with every character that Markdown or Streamlit could interpret escaped by a backslash."""
    escaped = _ANYWHERE.sub(r"\\\1", str(text))
    return _ORDERED_LIST.sub(r"\1\\\2", _BLOCK_START.sub(r"\1\\\2", escaped))
