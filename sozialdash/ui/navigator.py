"""The Sozialnavigator's filters and data work: a build's directory of institutions, the filters in the sidebar
seeded from the URL, the centre of a radius search, and what a filter change finds.

Filter widgets are seeded into the session once from the URL and created without defaults, so the reset buttons
of an empty result can set them back (Streamlit warns about a widget that has both).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
import streamlit as st

from sozialdash import fmt
from sozialdash.analysis import finder
from sozialdash.store import Store
from sozialdash.ui import controls, karte, state
from sozialdash.ui.data import area_labels, area_names, query
from sozialdash.ui.safe import md
from sozialdash.views import colors, maps
from sozialdash.views import institutions as views

RADII = [300, 500, 1000, 2000]
NO_RADIUS, OWN_RADIUS = "aus", "eigener"
SHORTEST_RADIUS_M, LONGEST_RADIUS_M = 50, 30_000
CENTRE_KINDS = {"e": "Einrichtung", "a": "Adresse", "g": "Gebiet"}
MANY_OPTIONS = 2_000   # above this a centre is found by typing, not in one long list
MATCHES_SHOWN = 200
PAGE_ROWS = 500        # a page of the result table: 100,000 rows would be megabytes per change

K = {  # widget keys, by the filter names of finder.FILTER_WORDS
    "text": "nav_text", "categories": "nav_categories", "target_groups": "nav_target_groups", "age": "nav_age",
    "organisations": "nav_organisations", "languages": "nav_languages", "barrier_free": "nav_barrier_free",
    "areas": "nav_areas", "radius": "nav_radius",
}
K_OWN_RADIUS, K_CENTRE_KIND, K_CENTRE = "nav_own_radius", "nav_centre_kind", "nav_centre"
K_CENTRE_SEARCH = "nav_centre_q"
K_PAGE, K_CHOSEN, K_TABLE_PICK, K_BACKDROP = "nav_page", "nav_chosen", "nav_table_pick", "nav_backdrop"
NO_BACKDROP = ""
CARD_HEAD = ("Name", "Kategorie", "Träger")
CELLS_LABEL = "Einrichtungen je Rasterfeld"


@st.cache_resource(show_spinner=False, max_entries=4)
def _directory(_store: Store, build_id: str) -> finder.Directory:
    return finder.directory(query(_store, "institution_list"), query(_store, "areas"))


def directory(store: Store) -> finder.Directory:
    """The build's institutions indexed once for every session; read-only."""
    return _directory(store, store.build_id)


@st.cache_resource(show_spinner=False, max_entries=4)
def _addresses(_store: Store, build_id: str) -> pd.DataFrame:
    """Every address the data has, with the mean position of the institutions there."""
    frame = directory(_store).frame
    return (frame.assign(address=views.address(frame)).groupby("address", sort=True)[["lon", "lat"]].mean())


@dataclass(frozen=True)
class Centre:
    ref: str          # "e:E00012", "a:Hauptstraße 5, 99012 Musterstadt", "g:0101": the URL's form
    label: str
    lon: float
    lat: float


@dataclass(frozen=True)
class NavigatorChoice:
    filters: finder.Filters
    centre: Centre | None
    radius_m: float | None   # chosen; it filters only once there is a centre
    backdrop: pd.Series | None = None  # the indicator the map shows underneath

    def url(self, institution: str | None, page: int) -> dict[str, object]:
        f = self.filters
        return {
            state.P_SEARCH: f.text or None, state.P_CATEGORIES: list(f.categories),
            state.P_TARGET_GROUPS: list(f.target_groups), state.P_AGE: f.age,
            state.P_AREAS: list(f.areas), state.P_ORGANISATIONS: list(f.organisations),
            state.P_LANGUAGES: list(f.languages), state.P_BARRIER_FREE: int(f.barrier_free),
            state.P_RADIUS: int(self.radius_m) if self.radius_m else None,
            state.P_CENTRE: self.centre.ref if self.centre else None,
            state.P_INSTITUTION: institution, state.P_PAGE: page if page > 1 else None,
            state.P_BACKDROP: self.backdrop["indicator_id"] if self.backdrop is not None else None,
        }


def _seed(key: str, value) -> None:
    if key not in st.session_state:
        st.session_state[key] = value


def _seed_many(key: str, url_key: str, options: list[str], what: str) -> None:
    if key not in st.session_state:
        st.session_state[key] = state.pick_many(state.url_list(url_key), options, len(options), what)


def _age_from_url() -> int | None:
    wanted = state.url_value(state.P_AGE)
    if wanted is None:
        return None
    if wanted.isdigit() and int(wanted) <= 120:
        return int(wanted)
    state.not_found("Alter", wanted)
    return None


def _radius_from_url() -> tuple[object, int]:
    wanted = state.url_value(state.P_RADIUS)
    if wanted is None:
        return NO_RADIUS, RADII[2]
    if wanted.isdigit() and SHORTEST_RADIUS_M <= int(wanted) <= LONGEST_RADIUS_M:
        metres = int(wanted)
        return (metres, metres) if metres in RADII else (OWN_RADIUS, metres)
    state.not_found("Umkreis", wanted)
    return NO_RADIUS, RADII[2]


@st.cache_resource(show_spinner=False, max_entries=12)
def _centre_options(_store: Store, build_id: str, kind: str) -> tuple[pd.Series, pd.Series]:
    labels = _centre_labels(_store, kind)
    options = pd.Series(labels.to_numpy(dtype=object), index=pd.Index(labels.index.to_numpy(dtype=object)))
    return options, pd.Series([finder.fold(label)[0] for label in options], dtype=object)


def centre_options(store: Store, kind: str) -> tuple[pd.Series, pd.Series]:
    """Label by reference for one kind of centre, and each label folded for the search that narrows a long list;
    made once per build, shared by every session."""
    return _centre_options(store, store.build_id, kind)


def _centre_labels(store: Store, kind: str) -> pd.Series:
    d = directory(store)
    if kind == "e":
        frame = d.frame
        return pd.Series((frame["name"].astype(str) + " – " + views.address(frame)).to_numpy(),
                         index="e:" + frame["institution_id"].astype(str))
    if kind == "a":
        addresses = _addresses(store, store.build_id)
        return pd.Series(addresses.index.to_numpy(), index="a:" + addresses.index)
    labels = area_labels(store)
    return labels.set_axis("g:" + labels.index.astype(str))


def centre(store: Store, ref: str | None) -> Centre | None:
    if not ref or ref[:2] not in {f"{k}:" for k in CENTRE_KINDS}:
        return None
    kind, key = ref[0], ref[2:]
    if kind == "e":
        frame = directory(store).frame
        hit = frame[frame["institution_id"] == key]
        if not len(hit):
            return None
        row = hit.iloc[0]
        return Centre(ref, str(row["name"]), float(row["lon"]), float(row["lat"]))
    if kind == "a":
        addresses = _addresses(store, store.build_id)
        if key not in addresses.index:
            return None
        return Centre(ref, key, float(addresses.at[key, "lon"]), float(addresses.at[key, "lat"]))
    areas = query(store, "areas").set_index("area_id")
    if key not in areas.index:
        return None
    return Centre(ref, str(area_labels(store)[key]), float(areas.at[key, "label_lon"]),
                  float(areas.at[key, "label_lat"]))


def _centre_widget(store: Store, beside) -> Centre | None:
    """Around what: the kind of centre ``beside`` the radius, then the centre itself below both."""
    wanted = state.url_value(state.P_CENTRE)
    if K_CENTRE not in st.session_state:
        found = centre(store, wanted)
        if wanted and found is None:
            state.not_found("Mittelpunkt", wanted)
        st.session_state[K_CENTRE_KIND] = found.ref[0] if found else "e"
        st.session_state[K_CENTRE] = found.ref if found else None
    kinds = list(CENTRE_KINDS)
    kind = beside.selectbox("um", kinds, format_func=CENTRE_KINDS.get, key=K_CENTRE_KIND)
    options, folded = centre_options(store, kind)
    chosen = st.session_state.get(K_CENTRE)
    if len(options) > MANY_OPTIONS:
        typed = st.text_input(f"{CENTRE_KINDS[kind]} suchen", key=K_CENTRE_SEARCH)
        hits = np.ones(len(options), bool)
        for word in finder.fold(typed)[0].split():
            hits &= folded.str.contains(word, regex=False).to_numpy()
        first = list(options.index[np.flatnonzero(hits)[:MATCHES_SHOWN]])
        shown = list(dict.fromkeys(([chosen] if chosen in options.index else []) + first))
    else:
        shown = list(options.index)
    if chosen not in shown:
        st.session_state[K_CENTRE] = None
    ref = st.selectbox(f"Mittelpunkt ({CENTRE_KINDS[kind]})", shown, key=K_CENTRE, format_func=options.get,
                       placeholder=f"{CENTRE_KINDS[kind]} wählen")
    return centre(store, ref)


def choose(store: Store, elsewhere: bool = False) -> NavigatorChoice:
    """The filters in the sidebar, below the navigation, as on the Karte: the main area is the map's. With
    ``elsewhere`` (another tab is open) they say whom they serve."""
    d = directory(store)
    categories, groups, languages = (d.vocabulary[c] for c in ("categories", "target_groups", "languages"))
    organisations = d.vocabulary["organisation"]
    _seed(K["text"], fmt.shorten(state.url_value(state.P_SEARCH) or "", 200))
    _seed_many(K["categories"], state.P_CATEGORIES, categories, "Kategorien")
    _seed_many(K["target_groups"], state.P_TARGET_GROUPS, groups, "Zielgruppen")
    _seed_many(K["languages"], state.P_LANGUAGES, languages, "Sprachen")
    _seed_many(K["organisations"], state.P_ORGANISATIONS, organisations, "Träger")
    _seed(K["age"], _age_from_url())
    _seed(K["barrier_free"], state.url_value(state.P_BARRIER_FREE) == "1")
    radius_option, own = _radius_from_url()
    _seed(K["radius"], radius_option)
    _seed(K_OWN_RADIUS, own)
    with st.sidebar:
        st.markdown("**Einrichtungen finden**")
        if elsewhere:
            st.caption("Diese Filter gelten für den Reiter „Einrichtungen finden“.")
        text = st.text_input("Suche", key=K["text"], placeholder="Name, Träger, Stichwort, Straße")
        chosen_categories = st.multiselect("Kategorie", categories, key=K["categories"], placeholder="alle")
        how_far, around = st.columns([1, 1.4])
        radius = how_far.selectbox("Umkreis", [NO_RADIUS, *RADII, OWN_RADIUS], key=K["radius"],
                                   format_func=lambda r: fmt.distance(r) if isinstance(r, int) else r)
        radius_m, where = None, None
        if radius != NO_RADIUS:
            where = _centre_widget(store, around)
            if radius == OWN_RADIUS:
                radius_m = float(st.number_input("Umkreis in Metern", min_value=SHORTEST_RADIUS_M,
                                                 max_value=LONGEST_RADIUS_M, step=50, key=K_OWN_RADIUS))
            else:
                radius_m = float(radius)
        areas = controls.areas(store, key=K["areas"], label="Gebiete (aus Karte und Vergleich)")
        chosen_groups = st.multiselect("Zielgruppe", groups, key=K["target_groups"], placeholder="alle")
        age = st.number_input("Alter einer Person (Jahre)", min_value=0, max_value=120, step=1, key=K["age"],
                              placeholder="jedes Alter")
        chosen_languages = st.multiselect("Sprache", languages, key=K["languages"], placeholder="alle")
        chosen_organisations = st.multiselect("Träger", organisations, key=K["organisations"], placeholder="alle")
        barrier_free = st.checkbox("Nur barrierefreie", key=K["barrier_free"])
        backdrop = _backdrop(store)
    filters = finder.Filters(
        categories=tuple(chosen_categories), target_groups=tuple(chosen_groups),
        age=None if age is None else int(age), areas=tuple(areas), organisations=tuple(chosen_organisations),
        languages=tuple(chosen_languages), barrier_free=barrier_free, text=text.strip(),
        centre=(where.lon, where.lat) if where else None, radius_m=radius_m if where else None)
    return NavigatorChoice(filters, where, radius_m, backdrop)


def _backdrop(store: Store) -> pd.Series | None:
    """An indicator under the points (Familienzentren over Kinderarmut), coloured as on the Karte."""
    cat = controls.catalogue(store)
    options = [NO_BACKDROP, *cat.index]
    if K_BACKDROP not in st.session_state:
        st.session_state[K_BACKDROP] = state.pick(options, state.url_value(state.P_BACKDROP), NO_BACKDROP,
                                                  "Indikator unter der Karte", lambda i: cat["name"].get(i, i))
    chosen = st.selectbox("Unter der Karte", options, key=K_BACKDROP,
                          format_func=lambda i: "kein Indikator" if i == NO_BACKDROP else cat.at[i, "name"])
    return None if chosen == NO_BACKDROP else cat.loc[chosen]


_CLEARED = {"text": "", "categories": [], "target_groups": [], "age": None, "organisations": [], "languages": [],
            "barrier_free": False, "radius": NO_RADIUS}


def reset(name: str) -> None:
    """A button's callback: the filter ``name`` back to "any" (the areas also in the session's choice)."""
    if name == "areas":
        state.remember_areas([])
        del st.session_state[K[name]]  # controls.areas seeds itself from the session's choice again
    else:
        st.session_state[K[name]] = _CLEARED[name]


def loosen(found: finder.Found) -> None:
    """An empty result says which single filter stands in the way and offers to drop it."""
    helpful = {name: count for name, count in found.without.items() if count}
    st.warning("Keine Einrichtung passt zu allen Filtern."
               + (" Ohne einen dieser Filter gäbe es Treffer:" if helpful else
                  " Auch ohne einen einzelnen Filter gäbe es keine; bitte mehrere lockern."),
               icon=":material/filter_alt_off:")
    columns = st.columns(max(len(helpful), 1))
    for column, (name, count) in zip(columns, sorted(helpful.items(), key=lambda item: -item[1])):
        column.button(f"{finder.FILTER_WORDS[name]} zurücksetzen ({fmt.number(count)} Treffer)",
                      key=f"nav_reset_{name}",
                      on_click=reset, args=(name,), icon=":material/restart_alt:")


def pages(total: int) -> int:
    return max(1, -(-total // PAGE_ROWS))


def page(total: int) -> int:
    """The result table's page: a widget seeded from the URL, shown only when there is more than one page, and
    kept within what there is (a filter change may leave fewer pages)."""
    count = pages(total)
    if K_PAGE not in st.session_state:
        wanted = state.url_value(state.P_PAGE)
        st.session_state[K_PAGE] = int(wanted) if wanted and wanted.isdigit() and int(wanted) >= 1 else 1
    st.session_state[K_PAGE] = min(st.session_state[K_PAGE], count)
    if count == 1:
        return 1
    return int(st.number_input(f"Seite (von {fmt.number(count)}, je {fmt.number(PAGE_ROWS)} Einrichtungen)",
                               min_value=1, max_value=count, step=1, key=K_PAGE))


def chosen_institution(store: Store, table_pick: str | None) -> str | None:
    """The institution shown in detail: the one just picked in the table or clicked on the map, else the one the
    session or the URL had, if it still exists. A table row stays selected across runs, so only a new pick
    counts."""
    known = directory(store).ids
    if K_CHOSEN not in st.session_state:
        wanted = state.url_value(state.P_INSTITUTION)
        if wanted and wanted not in known:
            state.not_found("Einrichtung", wanted)
        st.session_state[K_CHOSEN] = wanted if wanted in known else None
    if table_pick != st.session_state.get(K_TABLE_PICK):
        st.session_state[K_TABLE_PICK] = table_pick
        if table_pick in known:
            st.session_state[K_CHOSEN] = table_pick
    return st.session_state[K_CHOSEN]


def clicked(store: Store, point: str | None, chosen: str | None) -> bool:
    """Take a point clicked on the map as the chosen institution; True when the page must run again to show it."""
    if point is None or point == chosen or point not in directory(store).ids:
        return False
    st.session_state[K_CHOSEN] = point
    return True


def card(store: Store, institution_id: str, metres: float | None) -> None:
    """Every detail of one institution, each data string as plain text."""
    frame = directory(store).frame
    row = views.display(views.rows(frame[frame["institution_id"] == institution_id], area_names(store),
                                   None if metres is None else np.array([metres]))).iloc[0]
    with st.container(border=True):
        st.markdown(f"**{md(row['Name'])}**  \n{md(row['Kategorie'])} · Träger: {md(row['Träger'])}")
        st.markdown("  \n".join(f"{label}: {md(row[label] or fmt.MISSING)}" for label in row.index
                                 if label not in CARD_HEAD))
def summary(choice: NavigatorChoice, found: finder.Found) -> str:
    """'37 Einrichtungen im Umkreis von 1 km um Kita Sonnenschein': the count, always in view."""
    count = len(found.rows)
    text = f"**{fmt.counted(count, 'Einrichtung', 'Einrichtungen')}**"
    if choice.centre is not None:
        text += f" im Umkreis von {fmt.distance(choice.radius_m)} um {md(choice.centre.label)}"
    elif choice.radius_m is not None:
        text += " · für den Umkreis bitte einen Mittelpunkt wählen"
    return text


def notes(store: Store, choice: NavigatorChoice) -> list[str]:
    """What an export holds: the dataset and every active filter, for its "Hinweise" sheet."""
    f = choice.filters
    lines = [f"Datensatz: {store.meta['name']}, Stand {store.meta['reference_year']}",
             f"Quelle: {store.meta['source']}"]
    for name, value in [("Suche", f.text), ("Kategorie", ", ".join(f.categories)),
                        ("Zielgruppe", ", ".join(f.target_groups)), ("Alter", f.age),
                        ("Gebiete", ", ".join(area_labels(store).reindex(list(f.areas)).fillna("").astype(str))),
                        ("Sprache", ", ".join(f.languages)), ("Träger", ", ".join(f.organisations)),
                        ("Nur barrierefreie", "ja" if f.barrier_free else "")]:
        if value not in (None, ""):
            lines.append(f"{name}: {value}")
    if choice.filters.centre is not None:
        lines.append(f"Umkreis: {fmt.distance(choice.radius_m)} um {choice.centre.label}")
    return lines


def result_rows(store: Store, found: finder.Found, rows: slice | None = None) -> pd.DataFrame:
    """The found institutions (or the ``rows`` positions of them) in the German columns of views.institutions."""
    d = directory(store)
    picked = found.rows if rows is None else found.rows[rows]
    metres = None if found.metres is None else (found.metres if rows is None else found.metres[rows])
    return views.rows(d.frame.iloc[picked], area_names(store), metres)


@st.cache_resource(show_spinner=False, max_entries=64)
def _plain_view(_store: Store, build_id: str, level: int, chosen: tuple[str, ...]) -> tuple[dict, dict[str, bytes]]:
    key, payload, ids = karte.shapes(_store, build_id, level)
    names = area_names(_store)
    return maps.view_data(key, ids, maps.plain_areas(ids, names.reindex(ids)), chosen=chosen, labels=True), \
        {key: payload}


def plain_view(store: Store, level: int, chosen: tuple[str, ...]) -> tuple[dict, dict[str, bytes]]:
    """A level's areas in one light fill with the chosen ones outlined, made once per build and choice for every
    session (10,000 areas' fills and tooltips cost a run tens of milliseconds); read-only."""
    return _plain_view(store, store.build_id, level, tuple(chosen))


def map_level(store: Store, areas: tuple[str, ...]) -> int:
    """The level the map's areas are drawn on: that of the chosen areas when they share one (so their outline
    shows), else the finest."""
    levels = query(store, "areas").set_index("area_id")["level"]
    chosen = {int(levels[a]) for a in areas if a in levels.index}
    return chosen.pop() if len(chosen) == 1 and min(chosen) > 0 else int(levels.max())


def colour_order(store: Store, filters: finder.Filters) -> list[str]:
    """Main categories for the colours: the chosen ones first (each gets a colour of its own), then the others by
    how many institutions they have, so a category keeps its colour while the other filters change."""
    counted = directory(store).vocabulary["main"]
    return [*[c for c in counted if c in filters.categories], *[c for c in counted if c not in filters.categories]]


@dataclass(frozen=True)
class NavigatorMap:
    data: dict
    shapes: dict[str, bytes]
    legend: pd.DataFrame            # Farbe, Kategorie: the categories the map shows
    backdrop: karte.MapView | None  # the indicator underneath, if any
    backdrop_title: str | None
    aggregated: bool


def navigator_map(store: Store, choice: NavigatorChoice, found: finder.Found, chosen: str | None,
                  backdrop: pd.Series | None) -> NavigatorMap:
    """The found institutions over plain areas, or over the Karte's colouring of ``backdrop`` (its latest year),
    with the chosen areas outlined and the radius drawn."""
    level = map_level(store, choice.filters.areas)
    view, title = None, None
    if backdrop is None:
        base, shapes = plain_view(store, level, choice.filters.areas)
    else:
        year = int(query(store, "indicator_years", indicator=backdrop["indicator_id"])["year"].iloc[0])
        view = karte.shared_view(store, backdrop, year, level, "value", year, "quantiles", 5, True,
                                 highlight=choice.filters.areas)
        base, shapes = view.map, view.shapes
        title = f"{backdrop['short_name']} {year}"
    d = directory(store)
    rows = found.rows
    main = d.main[rows]

    def tips(positions: np.ndarray) -> list[str]:
        metres = None if found.metres is None else found.metres[positions]
        return views.tooltip(views.rows(d.frame.iloc[rows[positions]], area_names(store), metres))

    order = colour_order(store, choice.filters)
    points = maps.point_data(d.frame["institution_id"].to_numpy()[rows], d.frame["lon"].to_numpy()[rows],
                             d.frame["lat"].to_numpy()[rows], main, tips, chosen=chosen, order=order)
    circle = (maps.circle_data(*choice.filters.centre, choice.radius_m) if choice.filters.centre is not None
              else None)
    present = set(main)
    pooled = any(colors.category_colours(order).get(c) == colors.OTHER_CATEGORIES for c in present)
    legend = [(label, colour) for label, colour in colors.category_legend(order)
              if label in present or (label == colors.OTHER_CATEGORIES_LABEL and pooled)]
    if points["aggregated"]:
        legend = [(CELLS_LABEL, colors.CELL)]
    return NavigatorMap(maps.with_points(base, points, circle), shapes,
                        pd.DataFrame(legend, columns=["Kategorie", "Farbe"])[["Farbe", "Kategorie"]], view, title,
                        bool(points["aggregated"]))
