"""The Sozialnavigator's Versorgung tab: supply per 1,000 of the target population as the store's numbers give it,
no figure from a secret population, and the areas where need is high and supply low named."""

from __future__ import annotations

import pytest

from sozialdash import fmt
from sozialdash.build import build_store
from sozialdash.store import current_store

PAGE = "pages/4_Sozialnavigator.py"
STRICT = 50   # a threshold that makes the smallest Stadtteile' children under 6 secret


@pytest.fixture(scope="module")
def strict_db(demo_dataset, tmp_path_factory):
    path = tmp_path_factory.mktemp("strict") / "strict.duckdb"
    build_store(demo_dataset, out=path, threshold=STRICT)
    return path


def table(at):
    frames = [d.value for d in at.dataframe if "Einordnung" in d.value.columns and "Gebiet" in d.value.columns]
    assert len(frames) == 1
    return frames[0].set_index("Gebiet")


def test_places_per_1000_are_the_stores_places_over_the_published_children(open_page, store):
    at = open_page(PAGE, ansicht="versorgung", angebot="Kita", indikator="kinderarmut", jahr=2025, ebene=2)
    assert not at.exception
    shown = table(at)
    institutions = store.run("supply_institutions")
    kitas = institutions[institutions["category"] == "Kita"]
    population = store.run("target_population", indicator="anteil_u6", year=2025).set_index("area_id")
    areas = store.run("areas").set_index("area_id")
    for area_id, places in kitas.groupby("area_id")["capacity"].sum().items():
        children = population.at[area_id, "population"]
        row = shown.loc[areas.at[area_id, "name"]]
        assert row["Plätze"] == fmt.number(places)
        assert row["Plätze je 1.000"] == fmt.number(places / children * 1000, 1)
        assert row["Kinder unter 6 Jahren"] == fmt.number(children)


def test_a_secret_population_gives_no_per_capita_figure(open_on, strict_db):
    store = current_store(strict_db)
    population = store.run("target_population", indicator="anteil_u6", year=2025)
    areas = store.run("areas").set_index("area_id")
    stadtteile = areas.index[areas["level"] == 2]
    secret = population[population["suppression"].notna() & population["area_id"].isin(stadtteile)]
    assert len(secret), "the strict threshold should hide some children counts"
    at = open_on(strict_db, PAGE, ansicht="versorgung", angebot="Kita", indikator="kinderarmut", jahr=2025, ebene=2)
    assert not at.exception
    shown = table(at)
    for area_id in secret["area_id"]:
        row = shown.loc[areas.at[area_id, "name"]]
        assert row["Kinder unter 6 Jahren"] == fmt.SUPPRESSED
        assert row["Plätze je 1.000"] == fmt.SUPPRESSED
        assert row["in 500\u00a0m erreichbar"] == fmt.SUPPRESSED
        assert row["Einordnung"] == fmt.SUPPRESSED


def test_the_areas_to_act_on_first_are_named_beside_the_map(open_page):
    at = open_page(PAGE, ansicht="versorgung", angebot="Kita", indikator="kinderarmut", jahr=2025, ebene=2)
    shown = table(at)
    first = list(shown.index[shown["Einordnung"] == "hoher Bedarf, geringe Versorgung"])
    assert first
    said = [m.value for m in at.markdown if m.value.startswith("**Hoher Bedarf, geringe Versorgung**")]
    assert len(said) == 1
    assert all(name in said[0] for name in first) and f"({len(first)} Stadtteile)" in said[0]


def test_offers_for_different_people_are_refused_in_german(open_page):
    at = open_page(PAGE, ansicht="versorgung", angebot=["Kita", "Seniorentreff"])
    assert not at.exception
    assert any("dieselbe Zielgruppe" in w.value for w in at.warning)


def test_the_view_lives_in_the_url(open_page):
    at = open_page(PAGE, ansicht="versorgung", angebot="Jugendzentrum", entfernung=1000, mass="institutions")
    params = {k: at.query_params[k] for k in at.query_params}
    assert params["ansicht"] == "versorgung" and params["angebot"] == "Jugendzentrum"
    assert params["entfernung"] == "1000" and params["mass"] == "institutions"
    assert "in 1\u00a0km erreichbar" in table(at).columns
