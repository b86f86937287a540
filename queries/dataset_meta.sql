-- The dataset's description and build id (one row).
-- Parameters: none.
SELECT name, city, build_id, built_at, source, is_demo, reference_year, suppression_threshold, population_indicator, geometry_note, licence
FROM dataset
