-- Full, unsimplified geometry (WKB in EPSG:4326) of all areas on one level, for exports and benchmarks.
-- Parameters: $level (integer).
SELECT area_id, name, label_lon, label_lat, full_wkb
FROM areas
WHERE level = $level
ORDER BY area_id
