"""The demo's social institutions: placed inside their Stadtteil, spread unevenly on purpose.

Supply follows the people a service is for (Kitas the children under 6, Jugendzentren the 10- to
under-21-year-olds: the groups whose indicators catalogue.SUPPLY_TARGETS names), but not perfectly: some of the
neediest Stadtteile get markedly less than their share (the Versorgungslücken the Sozialnavigator has to reveal),
and counselling services cluster in the centre as they do in real cities.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely


@dataclass(frozen=True)
class Category:
    label: str
    prefix: str
    target_group: str          # population group that drives demand
    per_person: float          # institutions per person of that group
    target_groups: tuple[str, ...]
    age: tuple[int | None, int | None]
    organisations: tuple[str, ...]
    hours: str
    capacity: tuple[int, int] | None = None
    central: bool = False      # clusters in the inner city


CATEGORIES = [
    Category("Kita", "Kita", "p0_5", 1 / 80, ("Kinder", "Familien"), (0, 6),
             ("Stadt Musterstadt", "AWO", "Caritas", "Diakonie", "Elterninitiative", "Ev. Kirchengemeinde",
              "Kath. Kirchengemeinde", "DRK"), "Mo–Fr 7:00–16:30", (20, 100)),
    Category("Familienzentrum", "Familienzentrum", "p0_5", 1 / 333, ("Familien", "Kinder", "Alleinerziehende"),
             (0, 10), ("Stadt Musterstadt", "AWO", "Caritas", "Diakonie"), "Mo–Fr 8:00–16:00"),
    Category("Jugendzentrum", "Jugendzentrum", "p10_20", 1 / 760, ("Jugendliche",), (10, 21),
             ("Stadt Musterstadt", "Ev. Jugend", "Falken", "CVJM"), "Mo–Fr 14:00–21:00"),
    Category("Seniorentreff", "Seniorentreff", "p65plus", 1 / 650, ("Seniorinnen und Senioren",), (60, None),
             ("AWO", "Caritas", "Diakonie", "DRK", "Stadt Musterstadt"), "Mo–Fr 10:00–17:00", (20, 80)),
    Category("Grundschule", "Grundschule", "p6_9", 1 / 178, ("Kinder",), (6, 10), ("Stadt Musterstadt",),
             "Mo–Fr 7:45–13:30", (150, 420)),
    Category("Offener Ganztag", "OGS", "p6_9", 1 / 222, ("Kinder", "Familien"), (6, 10),
             ("AWO", "Caritas", "Diakonie", "Kinderschutzbund"), "Mo–Fr 11:30–16:30", (40, 160)),
    Category("Erziehungsberatung", "Erziehungsberatung", "pop", 1 / 18_000, ("Familien", "Eltern", "Jugendliche"),
             (0, 27), ("Caritas", "Diakonie", "Stadt Musterstadt"), "Mo–Do 9:00–17:00, Fr 9:00–13:00",
             central=True),
    Category("Schuldnerberatung", "Schuldnerberatung", "pop", 1 / 16_000, ("Erwachsene", "Familien"), (18, None),
             ("Verbraucherzentrale", "Diakonie", "Caritas", "AWO"), "Di und Do 9:00–15:00", central=True),
    Category("Migrationsberatung", "Migrationsberatung", "pop", 1 / 20_000,
             ("Zugewanderte", "Geflüchtete", "Familien"), (0, None), ("Caritas", "Diakonie", "AWO", "DRK"),
             "Mo–Fr 9:00–15:00", central=True),
    Category("Suchtberatung", "Suchtberatung", "pop", 1 / 30_000, ("Erwachsene", "Jugendliche", "Angehörige"),
             (14, None), ("Caritas", "Diakonie", "Paritätischer"), "Mo–Fr 9:00–17:00", central=True),
    Category("Stadtteilbibliothek", "Stadtteilbibliothek", "pop", 1 / 15_000, ("Alle",), (None, None),
             ("Stadt Musterstadt",), "Di–Fr 10:00–18:00, Sa 10:00–13:00"),
    Category("Sportverein", "SV", "pop", 1 / 1_500, ("Kinder", "Jugendliche", "Erwachsene"), (4, None),
             ("eingetragener Verein",), "nach Trainingsplan", (80, 900)),
    Category("Mehrgenerationenhaus", "Mehrgenerationenhaus", "pop", 1 / 35_000, ("Alle", "Familien", "Senioren"),
             (None, None), ("Paritätischer", "Diakonie"), "Mo–Fr 9:00–18:00"),
    Category("Lebensmittelausgabe", "Tafel-Ausgabestelle", "pop", 1 / 20_000, ("Menschen mit geringem Einkommen",),
             (None, None), ("Tafel e. V.",), "Di und Fr 10:00–13:00", central=True),
    Category("Pflegeberatung", "Pflegestützpunkt", "p65plus", 1 / 8_000, ("Pflegebedürftige", "Angehörige"),
             (None, None), ("Stadt Musterstadt", "Pflegekassen"), "Mo–Fr 9:00–15:00", central=True),
    Category("Quartiersbüro", "Quartiersbüro", "pop", 1 / 16_000, ("Alle",), (None, None),
             ("Stadt Musterstadt", "Paritätischer"), "Mo, Mi 10:00–16:00"),
]

NAMES = ["Sonnenschein", "Regenbogen", "Pusteblume", "Kunterbunt", "Löwenzahn", "Sternschnuppe", "Wirbelwind",
         "Arche", "Bärenhöhle", "Spatzennest", "Lindenbaum", "Am Park", "Im Grünen", "Schatzkiste", "Wichtelhaus",
         "Zauberwald", "Brücke", "Treffpunkt", "Leuchtturm", "Mühlrad", "Kompass", "Eule", "Kleeblatt", "Seepferdchen"]
STREETS = ["Hauptstraße", "Lindenallee", "Kirchweg", "Schulstraße", "Am Markt", "Bahnhofstraße", "Gartenstraße",
           "Mühlenweg", "Rosenstraße", "Wiesenweg", "Ringstraße", "Parkstraße", "Birkenweg", "Am Bach", "Feldstraße",
           "Bergstraße", "Goethestraße", "Schillerplatz", "Ahornweg", "Kastanienallee", "Heideweg", "Talstraße"]
LANGUAGES = ["Englisch", "Türkisch", "Arabisch", "Russisch", "Polnisch", "Ukrainisch", "Rumänisch", "Kurdisch"]


def _points_in(polygon, count: int, rng: np.random.Generator) -> np.ndarray:
    """Uniform points inside a polygon, kept 40 m off its border so a marker never sits on a boundary."""
    inner = polygon.buffer(-40)
    minx, miny, maxx, maxy = inner.bounds
    points = np.empty((0, 2))
    while len(points) < count:
        candidates = rng.uniform((minx, miny), (maxx, maxy), size=(max(4 * count, 16), 2))
        points = np.vstack([points, candidates[shapely.contains_xy(inner, candidates[:, 0], candidates[:, 1])]])
    return points[:count]


def generate_institutions(
    polygons: gpd.GeoSeries, names: pd.Series, d: np.ndarray, groups: dict[str, np.ndarray],
    rng: np.random.Generator, postal_codes: dict[str, str],
) -> pd.DataFrame:
    """Institutions with HSDS-style fields; ``polygons`` in a metric CRS, coordinates returned in EPSG:4326."""
    centres = np.column_stack([polygons.centroid.x, polygons.centroid.y])
    centrality = np.exp(-np.hypot(*(centres - centres.mean(axis=0)).T) / 2_000)
    needy = np.argsort(-d)[:5]
    under_served = needy[[1, 2, 4]]  # not the very neediest: that one got a Quartiersbüro programme
    supply = np.ones(len(d))
    supply[under_served] = 0.35
    rows = []
    for category in CATEGORIES:
        demand = groups[category.target_group][:, -1]
        expected = demand * category.per_person * supply
        if category.central:
            expected = expected * (0.3 + 3.0 * centrality)
        counts = rng.poisson(expected)
        for area_ix in np.flatnonzero(counts):
            area_id = polygons.index[area_ix]
            for x, y in _points_in(polygons.iloc[area_ix], int(counts[area_ix]), rng):
                rows.append(_institution(category, area_id, names[area_id], x, y, d[area_ix], rng,
                                         postal_codes[area_id]))
    frame = pd.DataFrame(rows)
    lonlat = gpd.GeoSeries(gpd.points_from_xy(frame["x"], frame["y"]), crs=polygons.crs).to_crs("EPSG:4326")
    frame["lon"], frame["lat"] = np.round(lonlat.x.values, 6), np.round(lonlat.y.values, 6)
    frame.insert(0, "institution_id", [f"E{i:05d}" for i in range(1, len(frame) + 1)])
    return frame.drop(columns=["x", "y"])


def _institution(category: Category, area_id: str, area_name: str, x: float, y: float, d: float,
                 rng: np.random.Generator, postal_code: str) -> dict:
    label = str(rng.choice(NAMES))
    name = f"{category.prefix} {label}" if category.prefix != "SV" else f"SV {area_name} {rng.integers(1, 99):02d}"
    organisation = str(rng.choice(category.organisations))
    slug = "".join(ch for ch in name.lower().replace("ä", "ae").replace("ö", "oe").replace("ü", "ue")
                   .replace("ß", "ss") if ch.isalnum())
    extra_languages = rng.choice(LANGUAGES, size=min(int(rng.poisson(0.6 + 0.8 * max(d, 0))), len(LANGUAGES)),
                                 replace=False)
    capacity = int(rng.integers(*category.capacity)) if category.capacity else None
    return {
        "name": name,
        "organisation": organisation,
        "categories": [category.label],
        "target_groups": list(category.target_groups),
        "age_min": category.age[0],
        "age_max": category.age[1],
        "languages": ["Deutsch", *sorted(str(lang) for lang in extra_languages)],
        "barrier_free": bool(rng.random() < 0.6),
        "street": f"{rng.choice(STREETS)} {rng.integers(1, 120)}",
        "postal_code": postal_code,
        "city": "Musterstadt",
        "phone": f"09999 {rng.integers(100, 999)}-{rng.integers(10, 99)}",
        "email": f"kontakt@{slug}.example",
        "website": f"https://{slug}.example",
        "opening_hours": category.hours,
        "capacity": capacity,
        "description": f"{category.label} in {area_name} ({organisation}). Fiktiver Demo-Eintrag.",
        "last_checked": date(2025, 1, 15) + timedelta(days=int(rng.integers(0, 300))),
        "x": x,
        "y": y,
    }
