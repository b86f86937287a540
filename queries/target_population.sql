-- Every area's target population: the published numerator of one indicator in one year, NULL where the cell
-- is secret or missing. Parameters: $indicator (indicator_id, from supply_targets), $year (integer).
SELECT a.area_id, v.numerator AS population, v.suppression
FROM areas AS a
LEFT JOIN published_values AS v
  ON v.area_id = a.area_id AND v.indicator_id = $indicator AND v.year = $year
ORDER BY a.level, a.area_id
