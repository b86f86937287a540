"""Every page on datasets shaped like real cities (tests/shaped.py): five levels with zero-padded ids and gaps of
every kind, and Flensburg's real published shares. What a planner reads must name each gap with its one word
(".", "keine Daten" with its reason, "nicht vergleichbar"), never "nan", "None" or a dash."""

from __future__ import annotations

import dataclasses
import re

import pandas as pd
import pytest
from streamlit.testing.v1.element_tree import Block

from sozialdash import fmt
from sozialdash.build import build_store
from sozialdash.store import Store
from sozialdash.ui.karte import map_view
from sozialdash.ui.overview import NO_HEADLINES
from sozialdash.views import colors
from sozialdash.views.tables import csv_bytes
from tests.excel import excel_rows

from .conftest import shown
from .test_every_page import PAGE_FILES

KARTE = "pages/1_Karte.py"
STORES = ["berlin_like_db", "flensburg_db"]
NOT_SHOWN = re.compile(r"\b(nan|NaN|None|NaT|<NA>)\b")
SECRET_RULES = ("kleine Fallzahl", "Rückrechnung")  # the old per-cell reasons
PUBLISHED = "keine Daten (veröffentlichter Wert, nicht aus Teilgebieten berechenbar)"
CHILDREN = "keine Daten (Teilgebiete ohne Wert)"


def texts(at) -> list[str]:
    """Everything the page shows as text: headings, captions, Markdown, alerts, metrics and table cells."""
    found = [shown(e.value) for kind in ("title", "header", "subheader", "caption", "markdown", "info", "warning",
                                         "error") for e in getattr(at, kind)]
    for m in at.metric:
        found += [shown(m.label), m.value, m.proto.delta]
    for frame in at.dataframe:
        value = frame.value
        if isinstance(value, pd.DataFrame):
            if frame.proto.HasField("placeholder"):   # a number column's missing cells are shown as this text
                value = value.astype(object).where(value.notna(), frame.proto.placeholder)
            found += [str(v) for v in value.astype(str).to_numpy().ravel()]
    return found


def assert_honest(at) -> None:
    assert not at.exception, [e.value for e in at.exception]
    shown_texts = texts(at)
    assert not [t for t in shown_texts if NOT_SHOWN.search(t)], [t for t in shown_texts if NOT_SHOWN.search(t)][:5]
    assert not [t for t in shown_texts if t.strip() in ("–", "-", "—")], "a dash stands for missing data"
    assert not [t for t in shown_texts if any(rule in t for rule in SECRET_RULES)]
    for m in at.metric:
        assert m.value not in ("–", "-", "")


def cards(at) -> dict[str, tuple[str, str]]:
    """Übersicht cards: label -> (value, what the card says below it: the change or why there is no value)."""
    found = {}
    for column in at.main.columns:
        for card in column.children.values():
            if not isinstance(card, Block):  # the page links below the cards
                continue
            for metric in card.get("metric"):
                notes = [c.value for c in card.get("caption")]
                found[shown(metric.label)] = (metric.value, notes[0] if notes else metric.proto.delta)
    return found


def table_of(at, key="karte_table") -> pd.DataFrame:
    return at.dataframe(key=key).value


def tooltips(drawn, at) -> dict[str, str]:
    return {row["area_id"]: row["tooltip"] for row in drawn(at).polygons}


def fills(drawn, at) -> dict[str, tuple]:
    return {row["area_id"]: row["fill"] for row in drawn(at).polygons}


def rgb(colour: str) -> tuple:
    return tuple(colors.hex_to_rgba(colour)[:3])


@pytest.fixture(scope="module")
def berlin(berlin_like_db) -> Store:
    return Store(berlin_like_db)


@pytest.fixture(scope="module")
def flensburg(flensburg_db) -> Store:
    return Store(flensburg_db)


# --- every page, both cities -------------------------------------------------------------------------------------

@pytest.mark.parametrize("db", STORES)
@pytest.mark.parametrize("script", PAGE_FILES)
def test_every_page_opens_and_names_gaps_honestly(request, open_on, db, script):
    at = open_on(request.getfixturevalue(db), script)
    assert_honest(at)
    assert len(at.title) + len(at.subheader) >= 1  # the Karte's heading is its map's title


# --- Übersicht -----------------------------------------------------------------------------------------------------

def test_berlin_overview_shows_every_headline_card_with_its_gap(open_on, berlin_like_db, berlin):
    at = open_on(berlin_like_db)
    assert_honest(at)
    shown_cards = cards(at)
    headlines = berlin.run("indicator_catalogue").query("headline")
    assert set(shown_cards) == set(headlines["short_name"])
    assert shown_cards["Wohndauer"] == (fmt.MISSING, "veröffentlichter Wert, nicht aus Teilgebieten berechenbar")
    assert shown_cards["SGB-II-Quote"][0] == fmt.MISSING
    assert shown_cards["SGB-II-Quote"][1].startswith("Teilgebiete ohne Wert · zuletzt 2024: ")
    assert shown_cards["Altersarmut"] == (fmt.MISSING, "veröffentlichter Wert, nicht aus Teilgebieten berechenbar"
                                                       " · zuletzt 2023: 7,9\u00a0%")
    published = berlin.run("city_value", indicator="kinderarmut_veroeff", year=2025)["value"].iloc[0]
    areas_mean = berlin.run("level_values", indicator="kinderarmut_veroeff", year=2025, level=1)["value"].mean()
    assert abs(published - areas_mean) > 1  # the city's own total, not a mean of its areas
    assert shown_cards["Kinderarmut"][0] == fmt.with_unit(published, 1, "%")
    assert shown_cards["Kinderarmut"][1].endswith(" zu 2024")


def test_flensburg_overview_keeps_the_cards_without_a_city_value(open_on, flensburg_db):
    at = open_on(flensburg_db)
    assert_honest(at)
    shown_cards = cards(at)
    assert shown_cards["Einwohner*innen"] == ("97.882", "+1,2\u00a0% zu 2020")
    published = (fmt.MISSING, "veröffentlichter Wert, nicht aus Teilgebieten berechenbar")
    assert shown_cards["SGB-II-Anteil"] == shown_cards["SGB-II-Berechtigte"] == published
    assert not any("Fiktive Demodaten" in c.value for c in at.main.caption)  # real data get no demo notice
    assert "Stadtteile und Einwohner*innen" in [shown(s.value) for s in at.subheader]


def test_berlin_demo_notice_names_this_dataset(open_on, berlin_like_db, berlin):
    at = open_on(berlin_like_db, "pages/6_Daten_und_Methodik.py")
    notice = [c.value for c in at.main.caption if "Fiktive Demodaten" in c.value]
    assert len(notice) == 1
    assert berlin.meta["city"] in shown(notice[0]) and "Musterstadt" not in notice[0]


# --- Karte ---------------------------------------------------------------------------------------------------------

def test_parent_without_values_of_its_children_says_why(open_on, drawn, berlin_like_db, berlin):
    at = open_on(berlin_like_db, KARTE, indikator="sgb2_quote", jahr="2025", ebene="3")
    assert_honest(at)
    values = berlin.run("level_values", indicator="sgb2_quote", year=2025, level=3).set_index("area_id")
    empty = values[values["value"].isna() & values["suppression"].isna()]
    assert len(empty) >= 1
    table = table_of(at).set_index("Gebiet")
    tips = tooltips(drawn, at)
    for area_id, row in empty.iterrows():
        assert table.at[row["name"], "Wert"] == CHILDREN
        assert tips[area_id].split("\n")[1] == f"SGB-II-Quote: {CHILDREN}"
        assert fills(drawn, at)[area_id] == rgb(colors.NO_DATA)


def test_secret_and_missing_areas_are_told_apart_on_the_finest_level(open_on, drawn, berlin_like_db, berlin):
    at = open_on(berlin_like_db, KARTE, indikator="sgb2_quote", jahr="2025", ebene="4")
    assert_honest(at)
    values = berlin.run("level_values", indicator="sgb2_quote", year=2025, level=4).set_index("area_id")
    secret = values[values["suppression"].notna()]
    empty = values[values["value"].isna() & values["suppression"].isna()]
    assert len(secret) and len(empty)
    legend = at.dataframe[0].value.set_index("Klasse")
    assert legend.at["geheim (.)", "Gebiete"] == fmt.number(len(secret))
    assert legend.at["keine Daten", "Gebiete"] == fmt.number(len(empty))
    assert legend.at["geheim (.)", "Farbe"] != legend.at["keine Daten", "Farbe"]
    tips, colour, table = tooltips(drawn, at), fills(drawn, at), table_of(at).set_index("Gebiet")
    for area_id, row in secret.iterrows():
        assert tips[area_id].split("\n")[1] == "SGB-II-Quote: . (geheim)"
        assert colour[area_id] == rgb(colors.SECRET_FILL)
        assert table.at[row["name"], "Wert"] == fmt.SUPPRESSED
    for area_id, row in empty.iterrows():
        assert tips[area_id].split("\n")[1] == "SGB-II-Quote: keine Daten (von der Quelle nicht geliefert)"
        assert colour[area_id] == rgb(colors.NO_DATA)


def test_published_shares_have_no_interval_and_are_not_compared(open_on, berlin_like_db, berlin):
    at = open_on(berlin_like_db, KARTE, indikator="kinderarmut_veroeff", jahr="2025", ebene="2")
    assert_honest(at)
    values = berlin.run("level_values", indicator="kinderarmut_veroeff", year=2025, level=2).set_index("name")
    table = table_of(at).set_index("Gebiet")
    present = values["value"].notna()
    assert present.any() and (~present).any()
    assert set(table.loc[values.index[present], "KI 95 %"]) == {fmt.NO_INTERVAL}
    assert set(table.loc[values.index[present], "Bewertung"]) == {fmt.NOT_COMPARABLE}
    assert set(table.loc[values.index[~present], "Wert"]) == {PUBLISHED}


def test_area_ids_with_leading_zeros_survive_the_url(open_on, berlin_like_db):
    at = open_on(berlin_like_db, KARTE, indikator="einwohner", jahr="2025", ebene="1", gebiet=["01", "0102"])
    assert_honest(at)
    assert dict(at.query_params)["gebiet"] == ["01", "0102"]
    assert at.multiselect(key="karte_areas").value == ["01", "0102"]


def test_flensburg_stadtteile_show_published_shares_and_districts_say_not_delivered(open_on, flensburg_db):
    stadtteile = open_on(flensburg_db, KARTE, indikator="sgb2_anteil", jahr="2021", ebene="1")
    assert_honest(stadtteile)
    table = table_of(stadtteile).set_index("Gebiet")
    assert table.at["13 Tarup", "Wert"] == "3,1\u00a0%"
    assert set(table["KI 95 %"]) == {fmt.NO_INTERVAL}
    districts = open_on(flensburg_db, KARTE, indikator="sgb2_anteil", jahr="2021", ebene="2")
    assert_honest(districts)
    assert set(table_of(districts)["Wert"]) == {"keine Daten (von der Quelle nicht geliefert)"}


# --- downloads -----------------------------------------------------------------------------------------------------

def test_karte_csv_keeps_zero_padded_ids_in_excel(berlin):
    ind = berlin.run("indicator_catalogue").set_index("indicator_id", drop=False).loc["sgb2_quote"]
    view = map_view(berlin, ind, 2025, 4, "change", 2021, "quantiles", 5, False)
    rows = excel_rows(csv_bytes(view.table, ind, 2025, change_since=2021))
    ids = [row["Gebiets-ID"] for row in rows]
    assert all(isinstance(i, str) for i in ids)
    assert sorted(i.strip() for i in ids) == sorted(view.table["area_id"])
    assert all(re.fullmatch(r"\d{8}", i.strip()) for i in ids)
    assert sum(i.strip().startswith("0") for i in ids) > len(ids) / 2  # Bezirke 01 to 09
    change = "Veränderung seit 2021 (%-Punkte)"
    by_id = {row["Gebiets-ID"].strip(): row for row in rows}
    for row in view.table.itertuples():
        cell = by_id[row.area_id]
        if pd.notna(row.suppression):
            assert (cell["Wert"], cell["Hinweis"]) == (fmt.SUPPRESSED, "geheim")
        elif pd.isna(row.value):
            assert (cell["Wert"], cell["Hinweis"]) == (fmt.MISSING, "von der Quelle nicht geliefert")
        else:
            assert isinstance(cell["Wert"], float)
            assert cell[change] == (fmt.SUPPRESSED if pd.notna(row.first_suppression) else
                                    round(row.trend, 1) if pd.notna(row.trend) else fmt.MISSING)


# --- Daten & Methodik ----------------------------------------------------------------------------------------------

def test_berlin_method_notes_come_from_the_data(open_on, berlin_like_db):
    at = open_on(berlin_like_db, "pages/6_Daten_und_Methodik.py")
    assert_honest(at)
    notes = " ".join(shown(m.value) for m in at.markdown)
    assert "Werte für Bezirke, Prognoseräume, Bezirksregionen und die Gesamtstadt" in notes
    assert "feinste Ebene (Planungsräume)" in notes
    assert "3 Indikatoren sind von der Quelle veröffentlichte Werte" in notes
    assert "Sozialr" not in notes
    facts = at.dataframe[1].value.set_index("Merkmal")["Wert"]
    assert facts["Lizenz"] == fmt.MISSING
    assert facts["Gebietsebenen"].startswith("Stadt (1) > Bezirk (12) > Prognoseraum")


def test_flensburg_method_notes_claim_no_intervals(open_on, flensburg_db):
    at = open_on(flensburg_db, "pages/6_Daten_und_Methodik.py")
    notes = " ".join(shown(m.value) for m in at.markdown)
    assert "Wilson" not in notes and "Summe der Zähler" not in notes
    assert "Kein Anteil und keine Rate dieses Datensatzes hat Zähler und Nenner" in notes
    catalogue = at.dataframe[0].value
    assert set(catalogue["Intervall"]) == {fmt.NO_INTERVAL}


def test_a_dataset_without_headline_indicators_says_so(open_on, flensburg_dataset, tmp_path):
    indicators = flensburg_dataset.indicators.assign(headline=False)
    path = tmp_path / "no_headlines.duckdb"
    build_store(dataclasses.replace(flensburg_dataset, indicators=indicators), out=path)
    at = open_on(path)
    assert_honest(at)
    assert len(at.metric) == 0
    assert [i.value for i in at.info] == [NO_HEADLINES]


def test_profile_deep_link_with_a_zero_padded_id(open_on, berlin_like_db, berlin):
    area = berlin.run("areas").set_index("area_id").loc["01010101"]
    at = open_on(berlin_like_db, "pages/3_Profil.py", profil="01010101")
    assert_honest(at)
    assert shown(at.title[0].value) == area["name"]
    assert any(f"Teil von {area['parent_name']}" in shown(c.value) for c in at.main.caption)


@pytest.mark.parametrize("db, areas", [("berlin_like_db", ["01", "0102", "01010101"]),
                                       ("flensburg_db", ["STGT01", "STGT13"])])
def test_vergleich_with_chosen_areas_names_gaps_honestly(request, open_on, db, areas):
    at = open_on(request.getfixturevalue(db), "pages/2_Vergleich.py", gebiet=areas, thema="existenz")
    assert_honest(at)
    table = at.dataframe[0].value
    store = Store(request.getfixturevalue(db))
    level_of = store.run("area_levels").set_index("level")["label"]
    chosen = store.run("areas").set_index("area_id").loc[areas]
    assert len(table) and set(table["Gebiet"]) == {f"{row.name} ({level_of[row.level]})" for row in chosen.itertuples()}
    assert dict(at.query_params)["gebiet"] == areas


# --- Karte: the level the indicator has values on ----------------------------------------------------------------

def test_karte_opens_on_the_finest_level_with_values(open_on, flensburg_db, flensburg):
    """Flensburg publishes its shares per Stadtteil only: the Karte opens there, not on an all-grey map of the
    statistical districts; a link that names the districts still gets them."""
    at = open_on(flensburg_db, KARTE, indikator="sgb2_anteil")
    assert_honest(at)
    levels = flensburg.run("area_levels").set_index("level")["label_plural"]
    assert at.selectbox(key="karte_level").value == 1
    assert any(shown(c.value).startswith(f"{levels[1]} · Gesamtstadt") for c in at.caption)
    linked = open_on(flensburg_db, KARTE, indikator="sgb2_anteil", ebene=2)
    assert linked.selectbox(key="karte_level").value == 2


def test_overview_table_says_why_an_area_has_no_population(open_on, berlin_like_dataset, tmp_path):
    """One Planungsraum without its count leaves its Bezirk without one: the Übersicht's table says why."""
    values = berlin_like_dataset.values
    year = berlin_like_dataset.meta.reference_year
    gone = values[(values["indicator_id"] == "einwohner") & (values["year"] == year)].index[0]
    build_store(dataclasses.replace(berlin_like_dataset, values=values.drop(index=gone)), out=tmp_path / "gap.duckdb")
    at = open_on(tmp_path / "gap.duckdb")
    table = at.dataframe[0].value
    assert list(table["Einwohner*innen"]).count(f"{fmt.MISSING} (Teilgebiete ohne Wert)") == 1
