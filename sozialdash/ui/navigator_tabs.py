"""The Sozialnavigator's two tabs laid out: finding institutions, and need against supply.

Both put the map on the left of a 1280×720 beamer and what explains it on the right (legend, downloads, the chosen
institution or the areas to act on first), the list or the figures below.
"""

from __future__ import annotations

import numpy as np
import streamlit as st

from sozialdash import fmt, glossary
from sozialdash.analysis import finder
from sozialdash.culprits import culprits
from sozialdash.store import Store
from sozialdash.ui import controls, navigator, versorgung
from sozialdash.ui.area_map import area_map
from sozialdash.ui.safe import md
from sozialdash.views import charts, maps, xlsx
from sozialdash.views import institutions as views
from sozialdash.views.tables import styled_legend

NAMES_SHOWN = 12   # areas named beside the map; the table lists them all


def _legend(container, frame) -> None:
    container.dataframe(styled_legend(frame), hide_index=True, width="stretch", column_config=controls.COLOUR_COLUMN)


def finden(store: Store, choice: navigator.NavigatorChoice, found: finder.Found, count) -> dict[str, object]:
    """The map of what was found, its legend, downloads and the chosen institution beside it, the paged list
    below; the count goes into ``count`` (beside the page's heading). Returns the tab's URL parameters."""
    if found.corrected:
        st.info(f"Für „{md(choice.filters.text)}“ gibt es keinen Treffer; gezeigt wird "
                f"„{md(found.corrected)}“.",
                icon=":material/spellcheck:")
    if not len(found.rows):
        navigator.loosen(found)
    map_column, side = st.columns([3, 1.1])
    with side:
        legend = st.container()
        downloads = st.columns(2)
        details = st.container()
    st.subheader("Liste")
    page = navigator.page(len(found.rows))
    start = (page - 1) * navigator.PAGE_ROWS
    shown = navigator.result_rows(store, found, slice(start, start + navigator.PAGE_ROWS))
    picked = st.dataframe(views.display(shown), hide_index=True, width="stretch", key="nav_table",
                          on_select="rerun", selection_mode="single-row")
    chosen = navigator.chosen_institution(
        store, shown["ID"].iloc[picked.selection.rows[0]] if picked.selection.rows else None)
    drawn = navigator.navigator_map(store, choice, found, chosen, choice.backdrop)
    with map_column:
        event = area_map(drawn.data, drawn.shapes, key="nav_map")
    if navigator.clicked(store, event.point, chosen):
        st.rerun()
    count.markdown(navigator.summary(choice, found))
    _legend(legend, drawn.legend)
    if drawn.aggregated:
        legend.caption(f"Mehr als {fmt.number(maps.AGGREGATE_ABOVE)} Treffer: jeder Kreis zählt die Einrichtungen "
                       "eines Rasterfelds, seine Fläche wächst mit der Anzahl (die häufigste Kategorie steht beim "
                       "Zeigen darauf). Filter eingrenzen, um einzelne Einrichtungen zu sehen.")
    if drawn.backdrop is not None:
        legend.caption(f"Unterlegt: {md(drawn.backdrop_title)}")
        _legend(legend, drawn.backdrop.legend)
    downloads[0].download_button(
        "CSV", lambda: views.csv_bytes(navigator.result_rows(store, found)), icon=":material/download:",
        mime="text/csv", file_name=views.file_name(store.meta["name"], "csv"), disabled=not len(found.rows),
        width="stretch")
    downloads[1].download_button(
        "Excel", lambda: views.xlsx_bytes(navigator.result_rows(store, found), navigator.notes(store, choice)),
        icon=":material/table_view:", file_name=views.file_name(store.meta["name"], "xlsx"), mime=xlsx.MIME,
        disabled=not len(found.rows), width="stretch")
    if chosen:
        at = np.flatnonzero(navigator.directory(store).frame["institution_id"].to_numpy()[found.rows] == chosen)
        with details:
            navigator.card(store, chosen, float(found.metres[at[0]]) if found.metres is not None and len(at) else None)
    return choice.url(chosen, page)


def bedarf(store: Store) -> dict[str, object]:
    """Need against supply for every area of a level: the quadrant map with the offers, the areas that combine
    high need with low supply, the quadrant chart, the table and the method. Returns the tab's URL parameters."""
    paired = versorgung.targets(store)
    if not len(paired):
        st.info("Für diese Daten ist nicht hinterlegt, welche Angebote welche Zielgruppe versorgen (Tabelle "
                "supply_targets); ohne sie gibt es keinen Vergleich von Bedarf und Angebot.", icon=":material/info:")
        return {}
    offer = versorgung.choose(store, paired)
    if offer.target is None:
        st.warning("Bitte Angebote wählen, die dieselbe Zielgruppe versorgen (z. B. Kita und Familienzentrum: "
                   "Kinder unter 6 Jahren).", icon=":material/group:")
        return offer.url()
    view = versorgung.supply_view(store, offer.categories, offer.target, offer.need, offer.year,
                                  int(offer.level["level"]), offer.measure, offer.distance_m)
    table = versorgung.display(view, offer.need, offer.distance_m)
    if view.measure != offer.measure:
        st.caption("Für diese Angebote sind keine Platzzahlen hinterlegt: gezählt werden Einrichtungen je 1.000.")
    map_column, side = st.columns([3, 1.1])
    data, shapes, drawn = versorgung.map_data(store, offer, view, table)
    with map_column:
        area_map(data, shapes, key="vers_map")
        if not drawn:
            st.caption(f"Mehr als {fmt.number(versorgung.OFFERS_DRAWN)} Angebote: sie würden die Gebiete verdecken "
                       "und sind hier nicht eingezeichnet (im Reiter „Einrichtungen finden“ alle).")
    first = view.table["quadrant"] == "high_need_low_supply"
    with side:
        _legend(st, versorgung.quadrant_legend(view))
        names = culprits([md(n) for n in view.table.loc[first, "name"]], limit=NAMES_SHOWN) or "keine"
        st.markdown(f"**Hoher Bedarf, geringe Versorgung** ({fmt.number(int(first.sum()))} "
                    f"{md(offer.level['label_plural'])}): {names}")
        need_text = fmt.with_unit(view.city["need"], int(offer.need["decimals"]), offer.need["unit"])
        st.caption(f"Gesamtstadt: {md(offer.need['short_name'])} {need_text}; "
                   f"{md(versorgung.supply_label(view, offer.categories))}: {fmt.number(view.city['ratio'], 1)}. "
                   f"Zielgruppe Stand {view.population_year}.")
    points = view.table.assign(x=view.table["need"], y=view.table["ratio"])
    st.plotly_chart(charts.scatter(points, offer.need, versorgung.supply_indicator(view, offer.categories),
                                   view.city["need"], view.city["ratio"], list(view.table.loc[first, "area_id"]),
                                   versorgung.corners(offer.need)),
                    key="vers_quadrant",
                    config=charts.camera(store.meta["name"], "versorgung", offer.need["indicator_id"]))
    st.dataframe(table, hide_index=True, width="stretch", key="vers_table")
    st.markdown(glossary.SUPPLY_METHOD)
    return offer.url()
