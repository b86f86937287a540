"""Shared state: the keys every page uses, and the URL that makes a view shareable.

A page reads its view from the URL once, lets widgets take over, and at the end writes every parameter back
explicitly (defaults and the year included), so a link shows the same view after a data update. Widgets are not
bound to the URL because bound widgets drop values equal to their default and lose them on page switches.
Selected areas also live in the session, so they carry over when the user moves between pages.

A link is written by anyone and may name what this data does not have (an unknown indicator, the year 1800,
500 areas). Every such value falls back to something that exists, and a newly opened link says so in German; a
rerun of the page finds the URL it wrote itself and stays quiet.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import streamlit as st

from sozialdash import fmt
from sozialdash.culprits import FIRST, culprits
from sozialdash.ui.safe import md

SELECTED_AREAS = "selected_areas"
SELECTED_INDICATOR = "selected_indicator"  # carried from page to page, like the areas

# URL parameter names: German, because people read and share these links.
P_INDICATOR = "indikator"
P_INDICATORS = "indikatoren"
P_TOPIC = "thema"
P_YEAR = "jahr"
P_FROM_YEAR = "von"
P_LEVEL = "ebene"
P_MODE = "darstellung"
P_SCHEME = "klassen"
P_K = "anzahl"
P_LABELS = "namen"
P_AREAS = "gebiet"
P_AREA = "profil"
P_X = "x"
P_Y = "y"
P_COMPARATOR = "vergleich"
P_TAB = "ansicht"
# The Sozialnavigator's filters.
P_SEARCH = "suche"
P_CATEGORIES = "kategorie"
P_TARGET_GROUPS = "zielgruppe"
P_AGE = "alter"
P_ORGANISATIONS = "traeger"
P_LANGUAGES = "sprache"
P_BARRIER_FREE = "barrierefrei"
P_RADIUS = "umkreis"
P_CENTRE = "mitte"
P_INSTITUTION = "einrichtung"
P_PAGE = "seite"
P_BACKDROP = "unterlegt"
P_OFFER = "angebot"
P_DISTANCE = "entfernung"
P_AS_OF = "stand"          # the Profil's year: up to which year each indicator's latest value is shown

_WRITTEN = "url_written"  # the URL this session's last run wrote
LONGEST = 40               # characters of a URL value quoted back; a link can carry megabytes


def url_value(key: str) -> str | None:
    return st.query_params.get(key)


def url_list(key: str) -> list[str]:
    return st.query_params.get_all(key)


def _url() -> dict[str, list[str]]:
    """The URL's parameters as the browser sends them back: a key written with an empty list is not among them."""
    return {key: values for key in st.query_params if (values := st.query_params.get_all(key))}


def report(message: str) -> None:
    """Say what a newly opened link asked for and did not get; reruns of the same view stay quiet."""
    if st.session_state.get(_WRITTEN) != _url():
        st.warning(message, icon=":material/link_off:")


def not_found(what: str, wanted: object, instead: object = None) -> None:
    """Report a link value this data does not have: quoted short (a link can carry megabytes) and escaped, with
    what is shown instead, if anything."""
    shown = f", {md(instead)} gezeigt" if instead is not None else ""
    report(f"{what} „{md(fmt.shorten(wanted, LONGEST))}“ nicht vorhanden{shown}.")


def pick(options: Sequence, wanted, fallback, what: str, label: Callable[[object], object] = str):
    """``wanted`` if it is a valid option (URL values are strings, options may not be), else ``fallback``; a
    replaced value is reported with ``what`` it was and the ``label`` of what is shown instead."""
    if wanted is None:
        return fallback
    for option in options:
        if str(option) == str(wanted):
            return option
    not_found(what, wanted, label(fallback))
    return fallback


def pick_many(wanted: Sequence[str], valid: Sequence[str], limit: int, what: str) -> list[str]:
    """The valid ``wanted`` values, each once and at most ``limit``; dropped ones are reported (``what`` is the
    German plural, e.g. "Gebiete")."""
    asked = list(dict.fromkeys(wanted))
    allowed = set(valid)
    unknown = [value for value in asked if value not in allowed]
    known = [value for value in asked if value in allowed]
    if unknown:
        named = [fmt.shorten(value, LONGEST) for value in unknown[:FIRST]]
        report(f"Unbekannte {what} im Link übergangen: {md(culprits(named, total=len(unknown)))}.")
    if len(known) > limit:
        report(f"Es werden die ersten {limit} {what} gezeigt ({len(known)} im Link).")
    return known[:limit]


def selected_areas(valid: Sequence[str], limit: int) -> list[str]:
    """Areas chosen anywhere in this session, at most ``limit``; a URL with areas wins, since it was shared on
    purpose."""
    from_url = pick_many(url_list(P_AREAS), valid, limit, "Gebiete")
    if from_url:
        st.session_state[SELECTED_AREAS] = from_url
    allowed = set(valid)
    return [a for a in st.session_state.get(SELECTED_AREAS, []) if a in allowed][:limit]


def remember_areas(areas: Sequence[str]) -> None:
    st.session_state[SELECTED_AREAS] = list(areas)


def remember_indicator(indicator_id: str) -> None:
    """The indicator a page shows, for the next page to start with (the Karte's choice opens the Vergleich)."""
    st.session_state[SELECTED_INDICATOR] = indicator_id


def carried_indicator(valid: Sequence[str]) -> str | None:
    """The indicator chosen earlier in this session, if this dataset still has it."""
    carried = st.session_state.get(SELECTED_INDICATOR)
    return carried if carried in list(valid) else None


def _view_key(page: str) -> str:
    return f"last_view_{page}"


def restore_view(page: str) -> None:
    """A page opened without its own parameters shows the view this session last had there, instead of starting
    over at the defaults: its sidebar link has none, and Back after a click on the map lands on an address that
    ``st.switch_page`` left with only the target's parameter (``/Karte?profil=…``). Call before any widget reads
    the URL."""
    saved = st.session_state.get(_view_key(page))
    if saved and not any(key in st.query_params for key in saved):
        st.query_params.from_dict(saved)
        st.session_state[_WRITTEN] = _url()


def write_url(params: dict[str, object], page: str | None = None) -> None:
    """Replace the URL's parameters with exactly these; lists become repeated keys. With ``page`` the view is
    also remembered for ``restore_view``."""
    cleaned = {key: [str(v) for v in value] if isinstance(value, list | tuple) else str(value)
               for key, value in params.items() if value is not None}
    st.query_params.from_dict(cleaned)
    st.session_state[_WRITTEN] = _url()
    if page is not None:
        st.session_state[_view_key(page)] = cleaned
