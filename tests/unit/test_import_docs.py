"""docs/import.md cannot drift from the code: every example marked ``<!-- prüfen: SECTION, … -->`` is parsed by
the section's own reader into an empty report without errors, every excerpt marked ``<!-- aus: FILE -->`` is
word for word in that file, and every key the readers accept is named in the docs.

The examples name files that do not exist; the parsers check the mapping without opening them. Institutions
have no parser apart from their reader, so their examples are read from a one-row file made for them, with every
column the example names, inside one square area."""

from __future__ import annotations

import re
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pyproj
import pytest
import shapely

from sozialdash.ingest import areas, catalogue, institutions, mapping, tables, values
from sozialdash.ingest.report import Report

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs" / "import.md"
_BLOCK = re.compile(r"<!-- (prüfen|aus): ([^>]+?) -->\n```yaml\n(.*?)```", re.DOTALL)
SECTIONS = {"kopf", "levels", "areas", "catalogue", "values", "institutions"}
LON, LAT = 9.43, 54.78      # the made-up institution, inside the made-up area


def _blocks(kind: str) -> list[tuple[str, str]]:
    return [(said.strip(), body) for found, said, body in _BLOCK.findall(DOCS.read_text(encoding="utf-8"))
            if found == kind]


def _examples() -> list:
    return [pytest.param([s.strip() for s in said.split(",")], body, id=f"{said}-{n}")
            for n, (said, body) in enumerate(_blocks("prüfen"), start=1)]


def _errors(report: Report) -> list[str]:
    return [finding.text() for finding in report.errors]


def test_the_docs_have_checked_examples_of_every_section():
    named = {section for said, _ in _blocks("prüfen") for section in said.split(", ")}
    assert named == SECTIONS
    assert _blocks("aus")


@pytest.mark.parametrize(("sections", "body"), _examples())
def test_example_parses_without_errors(sections, body, tmp_path):
    assert set(sections) <= SECTIONS, sections
    data = mapping.load_yaml(body)
    report = Report()
    if sections == ["kopf"]:
        _check_head(data, tmp_path, report)
    else:
        assert sorted(data) == sorted(sections), "the block holds exactly the sections its marker names"
        if "areas" in data:
            assert areas.parse_areas(data["areas"], data["levels"], report, city="Musterstadt") is not None
        if "catalogue" in data:
            _, indicators, _, _ = catalogue.parse_catalogue(data["catalogue"], tmp_path, report)
            assert len(indicators) == len(data["catalogue"]["indicators"])
        for number, entry in enumerate(data.get("values") or [], start=1):
            assert values.parse_values(entry, report, f"values Nr. {number}") is not None
        if "institutions" in data:
            assert len(_read_institutions(data["institutions"], tmp_path, report)) == 1
    assert _errors(report) == []


def _check_head(data: dict, folder: Path, report: Report) -> None:
    """The head with the other required sections added, loaded from a file as the import loads it."""
    (folder / str(data.get("folder", "."))).mkdir(exist_ok=True)
    rest = "levels: []\nareas: {}\ncatalogue: {}\n"
    path = folder / "zuordnung.yaml"
    path.write_text("\n".join(f"{key}: {value!r}" if isinstance(value, str) else f"{key}: {value}"
                              for key, value in data.items()) + "\n" + rest, encoding="utf-8")
    assert not set(data) & {"levels", "areas", "catalogue", "values", "institutions"}
    assert mapping.load(path, report) is not None


def _columns(section: dict) -> list[str]:
    """Every column the institutions example names, coordinates first."""
    named = [str(section[k]) for k in ("lon", "lat", "x", "y", "id", "area") if section.get(k)]
    named += [str(c) for c in (section.get("columns") or {}).values()]
    category = section.get("category")
    if isinstance(category, dict):
        named.append(str(category["column"]))
    named += [str(c) for c in section.get("age_groups") or {}]
    return list(dict.fromkeys(named))


def _cell(section: dict, column: str, field: str | None) -> str:
    crs = pyproj.Transformer.from_crs("EPSG:4326", section.get("crs") or "EPSG:4326", always_xy=True)
    x, y = crs.transform(LON, LAT)
    coordinates = {"lon": LON, "lat": LAT, "x": x, "y": y}
    for key, value in coordinates.items():
        if section.get(key) == column:
            return f"{value:.6f}"
    category = section.get("category")
    if isinstance(category, dict) and category["column"] == column:
        return next(iter(category.get("map") or {"Kita": ""}))
    if column in (section.get("age_groups") or {}):
        return "ja"
    return {"capacity": "12", "barrier_free": "ja", "age": "3-6 Jahre", "last_checked": "15.01.2025",
            "age_min": "3", "age_max": "6"}.get(field, "Musterstadt Nord" if column == section.get("area") else "x1")


def _read_institutions(section: dict, folder: Path, report: Report) -> pd.DataFrame:
    fields = {str(c): f for f, c in (section.get("columns") or {}).items()}
    columns = _columns(section)
    row = [_cell(section, column, fields.get(column)) for column in columns]
    path = folder / section["file"]
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.suffix == ".xlsx":
        pd.DataFrame([row], columns=columns).to_excel(path, sheet_name="Liste", index=False)
    else:
        separator = section.get("delimiter", ",")
        path.write_text(separator.join(columns) + "\n" + separator.join(row) + "\n", encoding="utf-8")
    square = shapely.box(LON - 0.05, LAT - 0.05, LON + 0.05, LAT + 0.05)
    polygons = gpd.GeoSeries([square], index=["01"], crs="EPSG:4326")
    tree = pd.DataFrame({"area_id": ["0", "01"], "parent_id": [None, "0"], "level": [0, 1],
                         "name": ["Musterstadt", "Musterstadt Nord"]})
    return institutions.read_institutions(section, folder, polygons, tree, report)


@pytest.mark.parametrize(("file", "body"), [pytest.param(f, b, id=f"{f}-{n}")
                                            for n, (f, b) in enumerate(_blocks("aus"), start=1)])
def test_excerpt_is_word_for_word_in_its_file(file, body):
    lines = {line.strip() for line in (ROOT / file).read_text(encoding="utf-8").splitlines()}
    assert [line for line in body.splitlines() if line.strip() and line.strip() not in lines] == []


@pytest.mark.parametrize("keys", [
    pytest.param(mapping.TOP_KEYS, id="kopf"),
    pytest.param((*areas.SECTION_KEYS, *areas.CITY_KEYS, *areas.LEVEL_KEYS, *areas.FILE_KEYS, *areas.PARENT_KEYS),
                 id="areas"),
    pytest.param((*values.VALUES_KEYS, *values.AREA_KEYS, *values.COLUMN_KEYS, *values.LONG_KEYS, *values.FORMATS,
                  *values.JOINS), id="values"),
    pytest.param(tables.TABLE_KEYS, id="tables"),
    pytest.param(institutions.FIELDS, id="institution fields"),
    pytest.param([aliases[0] for aliases in catalogue.FIELDS.values()], id="catalogue fields"),
])
def test_every_key_is_documented(keys):
    text = DOCS.read_text(encoding="utf-8")
    assert sorted(k for k in keys if f"`{k}`" not in text) == []
