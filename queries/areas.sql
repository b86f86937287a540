-- Every area without geometry: id, name, level, parent and its parent's name, size and label point.
-- Parameters: none.
SELECT a.area_id, a.name, a.level, a.parent_id, p.name AS parent_name, a.area_km2, a.label_lon, a.label_lat
FROM areas AS a
LEFT JOIN areas AS p ON p.area_id = a.parent_id
ORDER BY a.level, a.area_id
