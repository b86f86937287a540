"""A city's indicator catalogue: what each indicator is, how it is shown and judged, which counts it shares.

A Statistikstelle writes its catalogue in its own words, so fields and vocabulary are read in German as well
("Polarität: höher ist schlechter", "Werttyp: Anteil"). A catalogue is a YAML file, a CSV/XLSX table (one row per
indicator) or written into the mapping itself; relations and supply targets may sit next to a table in the
mapping. A missing field gets the default a Sozialbericht would use, with one warning per field naming the
indicators; what cannot be guessed (a value type, a polarity word nobody knows, a doubled id) is an error.

Mapping keys (section ``catalogue``):

``file``            a YAML file with the keys below, or a CSV/XLSX table with one indicator per row, read by
                    ``ingest.tables`` (``sheet``, ``encoding``, ``delimiter`` and the other ``tables.TABLE_KEYS``).
``indicators``      a list of entries, or a mapping {id: entry}; an entry's fields are in ``FIELDS`` (German or
                    English names), its words in ``POLARITY_WORDS``, ``VALUE_TYPE_WORDS``, ``AGGREGATION_WORDS``.
``topics``          {id: label} or a list of {id, label} or of labels; without it the indicators' topics are used.
``defaults``        fields every indicator has unless it says otherwise (Quelle, Stichtag).
``relations``       {id: "einwohner = u18 + 18_64 + ue65"} ("total >= part + part" for at most), or entries
                    {id, total, parts, kind: gleich|höchstens}, over numerator and denominator quantities.
``supply_targets``  {category: {indicator, label}} or a list of {category, indicator, label}: the people a
                    category of institution serves are the numerator of that indicator.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path

import pandas as pd
import yaml

from sozialdash import fmt, glossary
from sozialdash.analysis.quantities import check_relations
from sozialdash.catalogue import NOT_STATED
from sozialdash.culprits import culprits
from sozialdash.dataset import INDICATOR_COLUMNS, RELATION_COLUMNS, SUPPLY_TARGET_COLUMNS, TOPIC_COLUMNS
from sozialdash.errors import DatasetError
from sozialdash.ingest.mapping import load_yaml
from sozialdash.ingest.report import MAPPING, Report, inside, unknown_keys
from sozialdash.ingest.tables import RENAMED, TABLE_KEYS, read_table, table_source
from sozialdash.ingest.words import NotABoolean, boolean, normalised, slug, text
from sozialdash.numbers import NotANumber, german_number

SECTION_KEYS = (*TABLE_KEYS, "indicators", "topics", "defaults", "relations", "supply_targets")
OTHER_TOPIC = ("sonstiges", "Sonstiges")
SHORT_NAME_CHARS = 30

FIELDS = {  # our field -> the names a catalogue may give it (compared normalised: case, umlauts, "_" ignored)
    "indicator_id": ("indicator_id", "id", "kennung", "indikator", "kuerzel", "code"),
    "name": ("name", "bezeichnung", "indikatorname", "titel"),
    "short_name": ("short_name", "kurzname", "kurzbezeichnung"),
    "topic": ("topic", "topic_id", "thema", "themenfeld", "bereich"),
    "unit": ("unit", "einheit"),
    "polarity": ("polarity", "polarität", "wertung", "richtung"),
    "value_type": ("value_type", "werttyp", "typ", "art"),
    "definition": ("definition", "beschreibung"),
    "numerator_definition": ("numerator_definition", "zähler"),
    "denominator_definition": ("denominator_definition", "nenner"),
    "numerator_quantity": ("numerator_quantity", "zählgröße"),
    "denominator_quantity": ("denominator_quantity", "nennergröße"),
    "source": ("source", "quelle"),
    "reference_date": ("reference_date", "stichtag"),
    "decimals": ("decimals", "nachkommastellen", "dezimalstellen"),
    "multiplier": ("multiplier", "multiplikator", "faktor"),
    "aggregation": ("aggregation", "aggregierung"),
    "headline": ("headline", "leitindikator", "kernindikator", "übersicht"),
    "sort": ("sort", "reihenfolge", "sortierung"),
    "protect_complement": ("protect_complement", "komplement_schützen"),
}
FIELD_WORDS = {  # how the report names a field
    "indicator_id": "ID", "name": "Name", "short_name": "Kurzname", "topic": "Thema", "unit": "Einheit",
    "polarity": "Polarität", "value_type": "Werttyp", "definition": "Definition", "source": "Quelle",
    "reference_date": "Stichtag", "decimals": "Nachkommastellen", "multiplier": "Multiplikator",
    "aggregation": "Aggregation", "headline": "Leitindikator", "sort": "Reihenfolge",
    "protect_complement": "Komplement schützen",
}

POLARITY_WORDS = {
    "higher_is_worse": ("höher ist schlechter", "negativ", "schlechter"),
    "higher_is_better": ("höher ist besser", "positiv", "besser"),
    "neutral": ("neutral", "keine", "ohne Wertung"),
}
VALUE_TYPE_WORDS = {
    "proportion": ("Anteil", "Quote", "Prozent"),
    "rate": ("Rate", "Ziffer"),
    "count": ("Anzahl", "Zahl", "Absolutzahl", "Summe"),
    "ratio": ("Verhältnis", "Verhältniszahl", "Quotient"),
    "mean": ("Mittelwert", "Durchschnitt"),
}
AGGREGATION_WORDS = {
    "sum": ("Summe",),
    "ratio_of_sums": ("Zähler/Nenner", "Quotient der Summen"),
    "none": ("keine", "veröffentlicht", "wie geliefert", "nicht aggregierbar"),
}
RELATION_WORDS = {"equal": ("equal", "gleich", "="), "at_most": ("at_most", "höchstens", ">=", "≥")}
RELATION_KINDS = {normalised(word) or word: kind for kind, words in RELATION_WORDS.items() for word in words}

DEFAULT_MULTIPLIER = {"proportion": 100.0, "rate": 1000.0, "ratio": 100.0, "mean": 1.0, "count": 1.0}
DEFAULT_DECIMALS = {"proportion": 1, "rate": 1, "ratio": 1, "mean": 1, "count": 0}
_PER = re.compile(r"(?:je|pro|per|auf)\s+([\d.\s]+)", re.IGNORECASE)
_RELATION = re.compile(r"^\s*(?P<total>[^=<>≤≥]+?)\s*(?P<sign>=|>=|≥)\s*(?P<parts>.+)$")


def _vocabulary(words: dict[str, tuple[str, ...]], german: dict[str, str] | None = None) -> dict[str, str]:
    """Every accepted word (normalised) -> its code: the code itself, the glossary's German word, the extras."""
    known = {}
    for code, extras in words.items():
        for word in (code, *((german or {}).get(code, ""),), *extras):
            if normalised(word):
                known[normalised(word)] = code
    return known


POLARITIES = _vocabulary(POLARITY_WORDS, glossary.POLARITY)
VALUE_TYPES = _vocabulary(VALUE_TYPE_WORDS, glossary.VALUE_TYPE)
AGGREGATIONS = _vocabulary(AGGREGATION_WORDS, glossary.AGGREGATION)
_ALIASES = {normalised(alias): field for field, aliases in FIELDS.items() for alias in aliases}


def _allowed(words: dict[str, tuple[str, ...]], german: dict[str, str]) -> str:
    """'„Anteil“/„Quote“/„Prozent“, „Rate“/„Ziffer“, …': every German word accepted, the glossary's first."""
    return ", ".join("/".join(f"„{w}“" for w in dict.fromkeys([german.get(code, extras[0]), *extras]))
                     for code, extras in words.items())


class _Source:
    """Where catalogue entries come from, so findings name the file and, for tables, the row."""

    def __init__(self, name: str, rows: list[int | None], sections: str = MAPPING):
        self.name = name          # where the indicators are
        self.rows = rows          # their rows in a table (None for YAML)
        self.sections = sections  # where topics, relations and supply targets are


def _load(section: dict, base_dir: Path, report: Report) -> tuple[dict, _Source]:
    """The catalogue's parts (indicators, topics, relations, supply_targets) from the file and the mapping."""
    parts: dict = {"indicators": [], "topics": [], "relations": [], "supply_targets": []}
    source = _Source(MAPPING, [])
    file = section.get("file")
    path = inside(base_dir, str(file), report) if file else None
    if path is not None:
        if path.suffix.lower() in (".yaml", ".yml"):
            try:
                loaded = load_yaml(path.read_text(encoding="utf-8-sig"))   # YAML 1.2, as the mapping
            except FileNotFoundError:
                report.error(str(file), "Datei nicht gefunden", fix="Pfad in der Zuordnungsdatei prüfen.")
                loaded = None
            except yaml.YAMLError as problem:
                report.error(str(file), f"Kein gültiges YAML: {problem}")
                loaded = None
            if isinstance(loaded, list):
                loaded = {"indicators": loaded}
            if loaded is not None and not isinstance(loaded, dict):
                report.error(str(file), "Die Katalogdatei enthält weder eine Liste von Indikatoren noch Abschnitte "
                             "(topics, indicators, relations, supply_targets)")
                loaded = None
            for key in parts:
                parts[key] = _entries((loaded or {}).get(key))
            source = _Source(str(file), [None] * len(parts["indicators"]), str(file))
        else:
            table_file = table_source(section, report, MAPPING)
            table = None if table_file is None else read_table(path, table_file, report)
            if table is not None:
                parts["indicators"] = table.to_dict("records")
                source = _Source(str(file), [int(row) for row in table.index])
    for key in parts:
        inline = _entries(section.get(key))
        if key == "indicators" and inline:
            source = _Source(source.name if parts[key] else MAPPING, source.rows + [None] * len(inline),
                             source.sections)
        parts[key] = parts[key] + inline
    return parts, source


def _entries(given: object) -> list:
    """A list of entries, also when written as a mapping keyed by id ({sgb2_quote: {...}})."""
    if given is None:
        return []
    if isinstance(given, dict):
        return [{"id": key, **value} if isinstance(value, dict) else (key, value) for key, value in given.items()]
    return list(given)


def _fields(entry: dict, unknown: set[str]) -> dict[str, object]:
    """The entry's values under our field names; keys no field knows are collected for one warning."""
    found = {}
    for key, value in entry.items():
        field = _ALIASES.get(normalised(key))
        if field is None:
            if text(value):
                unknown.add(str(key))
        else:
            found[field] = value
    return found


def _code(value: str, known: dict[str, str]) -> str | None:
    return known.get(normalised(value))


class _Missing:
    """Indicators lacking a field, per field: one finding per field, not one per indicator."""

    def __init__(self):
        self.by_field: dict[str, list[str]] = {}

    def add(self, indicator_id: str, fields: list[str]) -> None:
        for field in fields:
            self.by_field.setdefault(field, []).append(indicator_id)

    def report(self, report: Report, file: str) -> None:
        for field, ids in self.by_field.items():
            if field == "numerator":
                report.note(file, f"Kein Zähler angegeben, die Werte gelten als veröffentlicht (nicht aus "
                            f"Teilgebieten berechnet, ohne Konfidenzintervall): {culprits(ids)}",
                            fix="Wo Zähler und Nenner geliefert werden: „Aggregation: Zähler/Nenner“ angeben.")
                continue
            report.warning(file, f"Feld „{FIELD_WORDS[field]}“ fehlt bei {len(ids)} Indikator(en): {culprits(ids)}; "
                           f"verwendet: {MISSING_DEFAULTS[field]}", fix=f"„{FIELD_WORDS[field]}“ im Katalog ergänzen.")


MISSING_DEFAULTS = {
    "short_name": f"der Name, gekürzt auf {SHORT_NAME_CHARS} Zeichen",
    "topic": f"Thema „{OTHER_TOPIC[1]}“",
    "unit": "die übliche Einheit des Werttyps (%, je 1.000, je 100)",
    "polarity": "neutral (keine Bewertung besser/schlechter)",
    "definition": "der Name",
    "source": f"„{NOT_STATED}“",
    "reference_date": f"„{NOT_STATED}“",
    "decimals": "1 für Anteile, Raten, Verhältnisse und Mittelwerte, 0 für Anzahlen",
    "value_type": "Anteil (die Einheit ist %)",
}


def _multiplier(value_type: str, unit: str) -> float:
    """What the unit says ("je 100.000", "‰"), else the value type's usual base."""
    if unit.strip() == "‰":
        return 1000.0
    per = _PER.search(unit)
    if per:
        try:
            return german_number(per.group(1).strip()) or DEFAULT_MULTIPLIER[value_type]
        except NotANumber:
            pass
    return DEFAULT_MULTIPLIER[value_type]


def _default_unit(value_type: str, multiplier: float) -> str:
    if value_type == "proportion":
        return "%" if multiplier == 100 else "‰" if multiplier == 1000 else f"je {fmt.number(multiplier)}"
    return f"je {fmt.number(multiplier)}" if value_type in ("rate", "ratio") else ""


def _indicator(fields: dict, position: int, file: str, row: int | None, report: Report, topics: _Topics
               ) -> tuple[dict, list[str]] | None:
    """One catalogue row and the fields it lacks, or None after reporting why it cannot be one."""
    missing: list[str] = []
    indicator_id = text(fields.get("indicator_id"))
    where = {"row": row} if row is not None else {}
    if not indicator_id:
        report.error(file, "Indikator ohne ID", fix="Jedem Indikator eine eindeutige ID geben (z. B. sgb2_quote).",
                     **where)
        return None
    said = f"Indikator „{indicator_id}“"
    name = text(fields.get("name"))
    if not name:
        report.error(file, f"{said}: Name fehlt", column=FIELD_WORDS["name"], fix="Namen ergänzen.", **where)
        return None
    unit = text(fields.get("unit"))
    value_type = _code(text(fields.get("value_type")), VALUE_TYPES) if text(fields.get("value_type")) else None
    if value_type is None:
        if text(fields.get("value_type")):
            report.error(file, f"{said}: unbekannter Werttyp", column=FIELD_WORDS["value_type"],
                         value=text(fields.get("value_type")),
                         fix=f"Erlaubt: {_allowed(VALUE_TYPE_WORDS, glossary.VALUE_TYPE)}.", **where)
            return None
        if unit != "%":
            report.error(file, f"{said}: Werttyp fehlt", column=FIELD_WORDS["value_type"],
                         fix=f"Erlaubt: {_allowed(VALUE_TYPE_WORDS, glossary.VALUE_TYPE)}.", **where)
            return None
        value_type = "proportion"
        missing.append("value_type")
    polarity = "neutral"
    if text(fields.get("polarity")):
        polarity = _code(text(fields["polarity"]), POLARITIES)
        if polarity is None:
            report.error(file, f"{said}: unbekannte Polarität", column=FIELD_WORDS["polarity"],
                         value=text(fields["polarity"]),
                         fix=f"Erlaubt: {_allowed(POLARITY_WORDS, glossary.POLARITY)}.", **where)
            return None
    else:
        missing.append("polarity")
    try:
        multiplier = german_number(fields.get("multiplier"))
        decimals = german_number(fields.get("decimals"))
    except NotANumber as problem:
        report.error(file, f"{said}: Multiplikator und Nachkommastellen müssen Zahlen sein", value=str(problem),
                     **where)
        return None
    multiplier = multiplier if multiplier is not None else _multiplier(value_type, unit)
    if multiplier <= 0:
        report.error(file, f"{said}: Multiplikator muss größer als 0 sein", column=FIELD_WORDS["multiplier"],
                     value=text(fields.get("multiplier")), **where)
        return None
    if decimals is None:
        decimals = DEFAULT_DECIMALS[value_type]
        missing.append("decimals")
    elif decimals not in (0, 1, 2, 3):
        report.error(file, f"{said}: Nachkommastellen müssen 0, 1, 2 oder 3 sein", column=FIELD_WORDS["decimals"],
                     value=text(fields.get("decimals")), **where)
        return None
    if not unit:
        unit = _default_unit(value_type, multiplier)
        if value_type != "count":
            missing.append("unit")
    aggregation = _aggregation(fields, value_type, indicator_id, file, where, report)
    if aggregation is None:
        return None
    if aggregation == "none" and not text(fields.get("aggregation")):
        missing.append("numerator")
    flags = {}
    for field, default in [("headline", False), ("protect_complement", value_type == "proportion")]:
        try:
            flags[field] = boolean(fields.get(field))
        except NotABoolean as problem:
            report.error(file, f"{said}: ja oder nein erwartet", column=FIELD_WORDS[field], value=str(problem),
                         **where)
            return None
        flags[field] = default if flags[field] is None else flags[field]
    texts = {}
    for field, default in [("short_name", fmt.shorten(name, SHORT_NAME_CHARS)), ("definition", name),
                           ("source", NOT_STATED), ("reference_date", NOT_STATED)]:
        texts[field] = text(fields.get(field)) or default
        if not text(fields.get(field)):
            missing.append(field)
    if not text(fields.get("topic")):
        missing.append("topic")
    topic_id = topics.resolve(text(fields.get("topic")), indicator_id, file, where, report)
    if topic_id is None:
        return None
    try:
        sort = int(german_number(fields["sort"])) if text(fields.get("sort")) else position
    except NotANumber:
        report.error(file, f"{said}: Reihenfolge muss eine ganze Zahl sein", column=FIELD_WORDS["sort"],
                     value=text(fields["sort"]), **where)
        return None
    return {
        "indicator_id": indicator_id, "name": name, **texts, "topic_id": topic_id, "unit": unit,
        "numerator_definition": text(fields.get("numerator_definition")) or None,
        "denominator_definition": text(fields.get("denominator_definition")) or None,
        "numerator_quantity": text(fields.get("numerator_quantity")) or None,
        "denominator_quantity": text(fields.get("denominator_quantity")) or None,
        "polarity": polarity, "decimals": int(decimals), "value_type": value_type, "multiplier": float(multiplier),
        "aggregation": aggregation, "sort": sort, **flags,
    }, missing


def _aggregation(fields: dict, value_type: str, indicator_id: str, file: str, where: dict, report: Report
                 ) -> str | None:
    """As the catalogue says; otherwise a count sums, a share with a numerator named is summed as numerators
    over denominators, and a share without one is a published value (most Sozialberichte give no numerators)."""
    given = text(fields.get("aggregation"))
    if given:
        code = _code(given, AGGREGATIONS)
        if code is None:
            report.error(file, f"Indikator „{indicator_id}“: unbekannte Aggregation", column="Aggregation",
                         value=given, fix=f"Erlaubt: {_allowed(AGGREGATION_WORDS, glossary.AGGREGATION)}.", **where)
        elif code == "sum" and value_type != "count":
            report.error(file, f"Indikator „{indicator_id}“: nur Anzahlen lassen sich summieren", column="Aggregation",
                         value=given, fix="„Zähler/Nenner“ oder „keine“ angeben.", **where)
            return None
        return code
    if value_type == "count":
        return "sum"
    return "ratio_of_sums" if any(text(fields.get(f)) for f in ("numerator_definition", "numerator_quantity")) \
        else "none"


class _Topics:
    """Topics the catalogue declares, or, where it declares none, those its indicators name (in their order)."""

    def __init__(self, entries: list, file: str, report: Report):
        self.declared = bool(entries)
        self.rows: list[dict] = []
        self.file = file
        for position, entry in enumerate(entries):
            if isinstance(entry, tuple):
                topic_id, label = entry
            elif isinstance(entry, dict):
                fields = {normalised(k): v for k, v in entry.items()}
                topic_id = text(fields.get("id") or fields.get("topicid"))
                label = text(fields.get("label") or fields.get("name") or fields.get("bezeichnung"))
            else:
                topic_id, label = "", text(entry)
            label = label or text(topic_id)
            topic_id = text(topic_id) or slug(label)
            if not label:
                report.error(file, f"Thema Nr. {position + 1} ohne Bezeichnung")
                continue
            if any(t["topic_id"] == topic_id for t in self.rows):
                report.error(file, f"Themen-ID doppelt: {topic_id}", fix="Jedem Thema eine eigene ID geben.")
                continue
            self.rows.append({"topic_id": topic_id, "label": label, "sort": position})

    def _find(self, said: str) -> str | None:
        for topic in self.rows:
            if said == topic["topic_id"] or normalised(said) in (normalised(topic["label"]),
                                                                   normalised(topic["topic_id"])):
                return topic["topic_id"]
        return None

    def _add(self, topic_id: str, label: str) -> str:
        self.rows.append({"topic_id": topic_id, "label": label, "sort": len(self.rows)})
        return topic_id

    def resolve(self, said: str, indicator_id: str, file: str, where: dict, report: Report) -> str | None:
        if not said:
            return self._find(OTHER_TOPIC[0]) or self._add(*OTHER_TOPIC)
        found = self._find(said)
        if found is not None:
            return found
        if self.declared:
            labels = [t["label"] for t in self.rows]
            report.error(file, f"Indikator „{indicator_id}“: unbekanntes Thema", column="Thema", value=said,
                         fix=f"Eines der Themen angeben ({culprits(labels, limit=12)}) oder es unter topics "
                         "ergänzen.", **where)
            return None
        return self._add(slug(said) or OTHER_TOPIC[0], said)

    def frame(self) -> pd.DataFrame:
        return pd.DataFrame(self.rows, columns=TOPIC_COLUMNS)


def parse_catalogue(section: dict, base_dir: Path, report: Report
                    ) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Topics, indicators, relations and supply targets (``TOPIC_COLUMNS``, ``INDICATOR_COLUMNS``,
    ``RELATION_COLUMNS``, ``SUPPLY_TARGET_COLUMNS``) from the mapping's ``catalogue`` section; entries with
    errors are left out and reported, so the frames are what the rest of the catalogue can be."""
    if isinstance(section, dict):
        unknown_keys({k: v for k, v in section.items() if k not in RENAMED}, SECTION_KEYS, "im Abschnitt catalogue",
                     report, MAPPING)
    parts, source = _load(section, Path(base_dir), report)
    topics = _Topics(parts["topics"], source.sections, report)
    defaults = _fields(section.get("defaults") or {}, set())
    missing, unknown, rows, seen = _Missing(), set(), [], {}
    for position, entry in enumerate(parts["indicators"]):
        row = source.rows[position] if position < len(source.rows) else None
        if not isinstance(entry, dict):
            report.error(source.name, f"Indikator Nr. {position + 1} ist kein Eintrag mit Feldern", value=str(entry))
            continue
        fields = {**defaults, **_fields(entry, unknown)}
        indicator_id = text(fields.get("indicator_id"))
        if indicator_id in seen:
            report.error(source.name, f"Indikator-ID doppelt: {indicator_id} (schon in {_place(seen[indicator_id])})",
                         fix="Jedem Indikator eine eigene ID geben.", **({"row": row} if row is not None else {}))
            continue
        parsed = _indicator(fields, position, source.name, row, report, topics)
        if parsed is None:
            continue
        indicator, lacks = parsed
        seen[indicator_id] = (row, position)
        missing.add(indicator_id, lacks)
        rows.append(indicator)
    if unknown:
        report.warning(source.name, f"Unbekannte Felder im Katalog, nicht gelesen: {culprits(sorted(unknown))}",
                       fix=f"Bekannt sind: {', '.join(FIELD_WORDS.values())} (auch englisch, z. B. short_name).")
    missing.report(report, source.name)
    if not rows and report.ok:
        report.error(source.name, "Der Katalog enthält keine Indikatoren",
                     fix="Unter indicators (oder in der Katalogdatei) mindestens einen Indikator beschreiben.")
    indicators = pd.DataFrame(rows, columns=INDICATOR_COLUMNS)
    relations = _relations(parts["relations"], indicators, source.sections, report)
    targets = _supply_targets(parts["supply_targets"], indicators, source.sections, report)
    return topics.frame(), indicators, relations, targets


def _place(seen: tuple[int | None, int]) -> str:
    row, position = seen
    return f"Zeile {row}" if row is not None else f"Eintrag Nr. {position + 1}"


def _relation_rows(entry: object) -> tuple[str, str, list[str], str] | str:
    """(id, total, parts, kind) from {id, total, parts, kind} or "total = a + b" / "total >= a + b"; a German
    reason where it is neither."""
    relation_id, given = (entry if isinstance(entry, tuple) else (None, entry))
    if isinstance(given, dict):
        fields = {normalised(k): v for k, v in given.items()}
        relation_id = text(fields.get("id", relation_id))
        total = text(fields.get("total") or fields.get("summe"))
        listed = fields.get("parts") or fields.get("teile") or []
        parts = [p.strip() for p in listed.split("+")] if isinstance(listed, str) else [text(p) for p in listed]
        kind_word = text(fields.get("kind") or fields.get("art") or "equal")
        kind = RELATION_KINDS.get(normalised(kind_word) or kind_word)
        if kind is None:
            return f"unbekannte Art „{kind_word}“ (erlaubt: gleich, höchstens)"
    else:
        match = _RELATION.match(text(given))
        if not match:
            return "weder „Summe = Teil + Teil“ noch „Summe >= Teil + Teil“"
        total, parts = match["total"].strip(), [p.strip() for p in match["parts"].split("+")]
        kind = "equal" if match["sign"] == "=" else "at_most"
    if not relation_id or not total or not any(parts):
        return "ID, Summe und Teile werden gebraucht"
    return relation_id, total, [p for p in parts if p], kind


def _relations(entries: list, indicators: pd.DataFrame, file: str, report: Report) -> pd.DataFrame:
    """Which quantities add up, as the catalogue declares them; checked by the build's own rule."""
    rows = []
    for position, entry in enumerate(entries):
        parsed = _relation_rows(entry if isinstance(entry, tuple) else (f"beziehung_{position + 1}", entry))
        if isinstance(parsed, str):
            report.error(file, f"Beziehung Nr. {position + 1}: {parsed}", value=str(entry)[:80],
                         fix="Schreibweise z. B. „einwohner = unter_18 + 18_bis_64 + ab_65“.")
            continue
        relation_id, total, parts, kind = parsed
        rows += [(relation_id, total, part, kind) for part in parts]
    relations = pd.DataFrame(rows, columns=RELATION_COLUMNS)
    if len(relations) and len(indicators):
        try:
            check_relations(relations, indicators)
        except DatasetError as problem:
            report.error(file, str(problem), fix="Zählgrößen so schreiben, wie sie als numerator_quantity oder "
                         "denominator_quantity im Katalog stehen.")
    return relations


def _supply_targets(entries: list, indicators: pd.DataFrame, file: str, report: Report) -> pd.DataFrame:
    """Which people each institution category serves: (category, indicator whose numerator counts them, label)."""
    rows = []
    for position, entry in enumerate(entries):
        if isinstance(entry, tuple):
            category, given = entry
            given = given if isinstance(given, dict) else {"indicator": given}
        else:
            given = entry if isinstance(entry, dict) else {}
            category = None
        fields = {normalised(k): v for k, v in given.items()}
        category = text(category or _first(fields, ("category", "kategorie", "id")))
        indicator = text(_first(fields, ("populationindicator", "indicator", "indikator")))
        label = text(_first(fields, ("label", "bezeichnung", "zielgruppe")))
        if not category or not indicator or not label:
            report.error(file, f"Versorgungsziel Nr. {position + 1}: Kategorie, Indikator und Bezeichnung der "
                         "Zielgruppe werden gebraucht", value=str(entry)[:80],
                         fix="z. B. {category: Kita, indicator: anteil_u6, label: Kinder unter 6 Jahren}.")
            continue
        rows.append((category, indicator, label))
    targets = pd.DataFrame(rows, columns=SUPPLY_TARGET_COLUMNS)
    doubled = sorted(targets.loc[targets["category"].duplicated(), "category"].unique())
    if doubled:
        report.error(file, f"Versorgungsziele: Kategorien mehrfach genannt: {culprits(doubled)}")
    unknown = sorted(set(targets["population_indicator"]) - set(indicators["indicator_id"]))
    if unknown and len(indicators):
        report.error(file, f"Versorgungsziele nennen Indikatoren, die der Katalog nicht hat: {culprits(unknown)}",
                     fix="Die ID eines Anteils angeben, dessen Zähler die Zielgruppe zählt (z. B. Kinder unter 6).")
    return targets


def _first(fields: dict, keys: Iterable[str]) -> object:
    return next((fields[k] for k in keys if text(fields.get(k))), None)
