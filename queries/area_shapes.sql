-- Display geometry (simplified at build time, WKB in EPSG:4326) of all areas on one level.
-- Parameters: $level (integer).
SELECT area_id, name, label_lon, label_lat, display_wkb
FROM areas
WHERE level = $level
ORDER BY area_id
