-- The analytics store: one file per build, written once and then only read by the app.
-- Statistics (intervals, judgements, suppression) are computed before the rows are written.

CREATE TABLE dataset (
    schema_version        INTEGER NOT NULL,  -- store.SCHEMA_VERSION of the code that built the file
    name                  TEXT NOT NULL,
    city                  TEXT NOT NULL,
    build_id              TEXT NOT NULL,
    built_at              TIMESTAMP NOT NULL,
    source                TEXT NOT NULL,
    is_demo               BOOLEAN NOT NULL,
    reference_year        INTEGER NOT NULL,
    suppression_threshold INTEGER NOT NULL,
    population_indicator  TEXT NOT NULL,     -- the count indicator that says how many people live in an area
    geometry_note         TEXT NOT NULL,     -- how the display geometry was simplified (or why it fell back)
    licence               TEXT
);

CREATE TABLE area_levels (
    level        INTEGER PRIMARY KEY,      -- 0 = whole city, growing finer
    key          TEXT NOT NULL UNIQUE,
    label        TEXT NOT NULL,            -- German, singular: "Sozialraum"
    label_plural TEXT NOT NULL             -- German, plural: "Sozialräume"
);

CREATE TABLE areas (
    area_id     TEXT PRIMARY KEY,
    name        TEXT NOT NULL,
    level       INTEGER NOT NULL,          -- checked against area_levels by the build; a foreign key here made
                                           -- DuckDB fetch compressed geometry row by row (bench: 3 s for 500 areas)
    parent_id   TEXT REFERENCES areas (area_id),
    area_km2    DOUBLE NOT NULL CHECK (area_km2 > 0),
    label_lon   DOUBLE NOT NULL,           -- a point inside the polygon, for map labels
    label_lat   DOUBLE NOT NULL,
    display_wkb BLOB NOT NULL,             -- simplified once at build time, EPSG:4326
    full_wkb    BLOB NOT NULL,             -- full geometry, EPSG:4326, for exports and point-in-polygon
    CHECK ((level = 0) = (parent_id IS NULL))
);

CREATE TABLE topics (
    topic_id TEXT PRIMARY KEY,
    label    TEXT NOT NULL,
    sort     INTEGER NOT NULL
);

CREATE TABLE indicators (
    indicator_id           TEXT PRIMARY KEY,
    name                   TEXT NOT NULL,
    short_name             TEXT NOT NULL,
    topic_id               TEXT NOT NULL REFERENCES topics (topic_id),
    unit                   TEXT NOT NULL,     -- shown after the value: "%", "je 1.000", "EUR"
    definition             TEXT NOT NULL,
    numerator_definition   TEXT,
    denominator_definition TEXT,
    numerator_quantity     TEXT NOT NULL,     -- the count (or amount) in the numerator; indicators that share
    denominator_quantity   TEXT,              -- one share its suppression (NULL for counts)
    source                 TEXT NOT NULL,
    polarity               TEXT NOT NULL CHECK (polarity IN ('higher_is_better', 'higher_is_worse', 'neutral')),
    decimals               INTEGER NOT NULL CHECK (decimals BETWEEN 0 AND 3),
    reference_date         TEXT NOT NULL,     -- "31.12." or "Schuljahr"
    value_type             TEXT NOT NULL CHECK (value_type IN ('proportion', 'rate', 'ratio', 'mean', 'count')),
    multiplier             DOUBLE NOT NULL,   -- value = numerator / denominator * multiplier
    aggregation            TEXT NOT NULL CHECK (aggregation IN ('sum', 'ratio_of_sums', 'none')),
    headline               BOOLEAN NOT NULL,  -- shown on the Übersicht
    sort                   INTEGER NOT NULL,
    protect_complement     BOOLEAN NOT NULL   -- a share of persons: a small complement ("65 von 66") is secret too
);

-- Quantities that add up (equal: total = sum of parts) or stay within a total (at_most), one row per part:
-- what an attacker knows, so the suppression audit solves with it.
CREATE TABLE quantity_relations (
    relation_id TEXT NOT NULL,
    total       TEXT NOT NULL,
    part        TEXT NOT NULL,
    kind        TEXT NOT NULL CHECK (kind IN ('equal', 'at_most')),
    PRIMARY KEY (relation_id, part)
);

-- How the suppression went: secret cells per internal reason and the audit's figures, for the build report.
CREATE TABLE suppression_report (
    item  TEXT PRIMARY KEY,
    value DOUBLE NOT NULL
);

-- One row per indicator, area and year on every level. Suppressed cells keep their flag but not their
-- numbers: value, numerator, denominator and interval are NULL, so no query can hand them out.
CREATE TABLE indicator_values (
    indicator_id     TEXT NOT NULL REFERENCES indicators (indicator_id),
    area_id          TEXT NOT NULL REFERENCES areas (area_id),
    year             INTEGER NOT NULL,
    value            DOUBLE,
    numerator        DOUBLE,
    denominator      DOUBLE,
    ci_low           DOUBLE,
    ci_high          DOUBLE,
    suppression      TEXT CHECK (suppression IN ('primary', 'complement', 'secondary', 'source', 'audit')),  -- internal
    judgement_city   TEXT NOT NULL CHECK (judgement_city IN
                         ('better', 'similar', 'worse', 'higher', 'lower', 'not_comparable', 'suppressed')),
    judgement_parent TEXT NOT NULL CHECK (judgement_parent IN
                         ('better', 'similar', 'worse', 'higher', 'lower', 'not_comparable', 'suppressed')),
    PRIMARY KEY (indicator_id, area_id, year),
    CHECK (suppression IS NULL OR (value IS NULL AND numerator IS NULL AND denominator IS NULL
                                   AND ci_low IS NULL AND ci_high IS NULL))
);

-- Open Referral (HSDS) reduced to what a German Sozialnavigator needs.
CREATE TABLE institutions (
    institution_id TEXT PRIMARY KEY,
    name           TEXT NOT NULL,
    organisation   TEXT NOT NULL,             -- Träger
    categories     TEXT[] NOT NULL,           -- first entry is the main category
    target_groups  TEXT[] NOT NULL,
    age_min        INTEGER,
    age_max        INTEGER,
    languages      TEXT[] NOT NULL,
    barrier_free   BOOLEAN,
    street         TEXT,
    postal_code    TEXT,
    city           TEXT,
    phone          TEXT,
    email          TEXT,
    website        TEXT,
    opening_hours  TEXT,
    capacity       INTEGER,
    description    TEXT,
    last_checked   DATE,
    lon            DOUBLE NOT NULL,
    lat            DOUBLE NOT NULL,
    area_id        TEXT NOT NULL REFERENCES areas (area_id)   -- finest level containing the point
);

-- Which people an institution category serves: the target population of an area is the published numerator of
-- population_indicator there (secret where that cell is secret), the denominator of supply per 1,000.
CREATE TABLE supply_targets (
    category             TEXT PRIMARY KEY,  -- a main category (institutions.categories[1])
    population_indicator TEXT NOT NULL REFERENCES indicators (indicator_id),
    label                TEXT NOT NULL      -- German, plural: "Kinder unter 6 Jahren"
);

-- What the app reads: every secret cell carries the one marker 'secret', never the internal reason, so no page,
-- tooltip or download can tell which rule hid it (the reason would narrow the hidden count down).
CREATE VIEW published_values AS
SELECT indicator_id, area_id, year, value, numerator, denominator, ci_low, ci_high,
       CASE WHEN suppression IS NOT NULL THEN 'secret' END AS suppression, judgement_city, judgement_parent
FROM indicator_values;
