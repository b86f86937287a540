"""What a Datenblatt holds, independent of how it is rendered: both renderers draw the same blocks, so the PDF and
the HTML file cannot say different things.

Every text in a block is plain text, never markup: the renderers escape it, so a name from the data stays a name.
Cells that are not text are a colour swatch (a judgement's colour, as the legend column on screen) or a series
for a sparkline, whose ``None`` values are gaps (a secret or missing year is never bridged).
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Swatch:
    colour: str          # "#rrggbb"
    text: str = ""       # written on the swatch in the colour that reads on it


@dataclass(frozen=True)
class Spark:
    values: tuple[float | None, ...]


Cell = str | Swatch | Spark


@dataclass(frozen=True)
class Heading:
    text: str


@dataclass(frozen=True)
class Text:
    text: str
    small: bool = False


@dataclass(frozen=True)
class Bullets:
    items: tuple[str, ...]


@dataclass(frozen=True)
class Table:
    columns: tuple[str, ...]
    rows: tuple[tuple[Cell, ...], ...]
    widths: tuple[float, ...] | None = None    # relative; None shares the width evenly
    numeric: tuple[int, ...] = ()              # column indices aligned right
    caption: str = ""
    compact: bool = False                      # as wide as its content, not the page
    groups: tuple[tuple[int, str], ...] = ()    # (row index, label): a spanning row before that row


@dataclass(frozen=True)
class Image:
    png: bytes
    width_mm: float
    caption: str = ""
    alt: str = ""


@dataclass(frozen=True)
class Terms:
    """Glossary entries: (term, explanation)."""
    entries: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class Beside:
    """Text blocks with a picture to their right, as the Profil shows its summary beside the locator map."""
    blocks: tuple
    image: Image


@dataclass(frozen=True)
class Gallery:
    """Pictures of one kind side by side, ``columns`` to a row (the series of the indicators to talk about)."""
    images: tuple[Image, ...]
    columns: int = 2


Block = Heading | Text | Bullets | Table | Image | Terms | Beside | Gallery


@dataclass(frozen=True)
class Document:
    title: str                  # e.g. the area's name
    subtitle: str               # what it is and the reference date
    city: str                   # the dataset's name, in the running header
    source: str                 # the data source, in every page's footer
    demo: bool                  # "Fiktive Demodaten" in the header of every page
    blocks: tuple[Block, ...] = field(default_factory=tuple)
    landscape: bool = False
    kind: str = "Datenblatt"    # the document's kind in the header: "Datenblatt", "Sozialindex"

    @property
    def label(self) -> str:
        """What the document is about, on every page (a printed page 2 of a Datenblatt names its area) and in the
        viewer's title bar: "Datenblatt Altstadt", "Sozialindex 2025" (not "Sozialindex Sozialindex 2025")."""
        return self.title if self.title.startswith(self.kind) else f"{self.kind} {self.title}"


def spark_segments(values: tuple[float | None, ...], width: float, height: float,
                   pad: float = 1.0) -> list[list[tuple[float, float]]]:
    """The sparkline as runs of points (x right, y up, inside ``pad``), one run per stretch without a gap, so both
    renderers leave a secret year open. A single value is a run of one point (drawn as a dot)."""
    known = [v for v in values if v is not None]
    if not known:
        return []
    low, high = min(known), max(known)
    span = (high - low) or 1.0
    step = (width - 2 * pad) / max(len(values) - 1, 1)
    runs, run = [], []
    for i, v in enumerate(values):
        if v is None:
            if run:
                runs.append(run)
            run = []
            continue
        y = pad + (height - 2 * pad) * ((v - low) / span if high > low else 0.5)
        run.append((pad + i * step, y))
    if run:
        runs.append(run)
    return runs
