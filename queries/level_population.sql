-- Areas of one level with their parent and population (the dataset's population indicator) in a year.
-- Parameters: $level (integer), $year (integer).
SELECT a.area_id, a.name, p.name AS parent_name, a.area_km2, v.value AS population, v.suppression
FROM areas AS a
LEFT JOIN areas AS p ON p.area_id = a.parent_id
CROSS JOIN dataset AS d
LEFT JOIN published_values AS v
  ON v.area_id = a.area_id AND v.indicator_id = d.population_indicator AND v.year = $year
WHERE a.level = $level
ORDER BY a.area_id
