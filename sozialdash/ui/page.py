"""One setup for every page: config, the demo build on first start, German navigation, dataset badge."""

from __future__ import annotations

import threading
from pathlib import Path

import streamlit as st

from sozialdash.store import Store, StoreMissing, StoreOutdated, current_store
from sozialdash.ui.safe import md

# (script, German label, icon). The only list of pages: navigation and placeholders both read it.
PAGES = [
    ("app.py", "Übersicht", ":material/home:"),
    ("pages/1_Karte.py", "Karte", ":material/map:"),
    ("pages/2_Vergleich.py", "Vergleich", ":material/compare_arrows:"),
    ("pages/3_Profil.py", "Profil", ":material/description:"),
    ("pages/7_Sozialindex.py", "Sozialindex", ":material/stacked_bar_chart:"),
    ("pages/4_Sozialnavigator.py", "Sozialnavigator", ":material/explore:"),
    ("pages/5_Dialog.py", "Dialog", ":material/forum:"),
    ("pages/6_Daten_und_Methodik.py", "Daten & Methodik", ":material/menu_book:"),
    ("pages/8_Datenpflege.py", "Datenpflege", ":material/upload_file:"),
]
# Our own layout rules, no data in them: Streamlit's default top padding (6rem) would push the Karte's map below
# the fold of a 1280×720 beamer.
LAYOUT_CSS = """<style>
[data-testid="stMainBlockContainer"] { padding: 3.5rem 2rem 3rem 2rem; }
[data-testid="stSidebarUserContent"] { padding-top: 0; }
[data-testid="stSidebarUserContent"] [data-testid="stVerticalBlock"] { gap: 0.45rem; }
[data-testid="stSidebarHeader"] { height: 2.5rem; margin-bottom: 0; }
</style>"""
_build_lock = threading.Lock()
FAVICON = Path(__file__).resolve().parent.parent / "assets" / "favicon.png"


def _store_or_build() -> Store:
    """Open the store. On a fresh machine, or after an update that changed the store's schema, build the demo
    first, once, while the user watches a progress bar; an outdated imported file is never overwritten."""
    try:
        return current_store()
    except (StoreMissing, StoreOutdated):
        pass
    with _build_lock:
        try:
            return current_store()
        except StoreMissing:
            reason = "Erster Start"
        except StoreOutdated as outdated:
            if not outdated.is_demo:
                st.error("Die Datenbank wurde mit einer anderen Version von sozialdash erstellt. Bitte die Daten "
                         "der Stadt neu importieren.", icon=":material/error:")
                st.stop()
            reason = "Neue Version"
        bar = st.progress(0.0, text=f"{reason}: Demodaten für Musterstadt werden erzeugt …")
        from sozialdash.build import build_demo  # only on a first start: the build holds 60 MB of geometry and solvers

        build_demo(progress=lambda fraction, text: bar.progress(fraction, text=f"{reason}: {text} …"))
        bar.empty()
    return current_store()


def demo_notice(meta: dict) -> str:
    """What a demo-flagged dataset is, from its own metadata: any fictional city, not only Musterstadt."""
    return (f":orange-badge[:material/science: Fiktive Demodaten] {md(meta['name'])}: alle Zahlen für "
            f"{md(meta['city'])} sind erfunden und dienen nur der Vorführung.")


def setup_page(title: str) -> Store:
    """Call first on every page. Returns the store of the current build.

    The sidebar holds the dataset's name and the navigation, compactly, so that a page can put its own controls
    right below them (the Karte does) and still fit a 1280×720 beamer; the build id is on Daten & Methodik."""
    st.set_page_config(page_title=f"{title} · sozialdash", page_icon=str(FAVICON), layout="wide")
    st.html(LAYOUT_CSS)
    store = _store_or_build()
    with st.sidebar:
        st.markdown("### sozialdash")
        st.caption(f"{md(store.meta['name'])} · Stand {store.meta['reference_year']}")
        if store.meta["is_demo"]:
            st.badge("Fiktive Demodaten", icon=":material/science:", color="orange")
        for script, label, icon in PAGES:
            st.page_link(script, label=label, icon=icon)
    if store.meta["is_demo"]:
        st.caption(demo_notice(store.meta))
    return store


def coming_soon(title: str, what: str, items: list[str]) -> None:
    """A page that is planned but not built yet says what will be there instead of showing something broken."""
    st.title(title)
    st.info(f"{what} Diese Seite ist in Arbeit.", icon=":material/construction:")
    st.markdown("**Geplant:**\n" + "\n".join(f"- {item}" for item in items))
