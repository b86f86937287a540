-- Time series of several indicators for several areas plus the whole city (suppressed cells are NULL).
-- Parameters: $indicators (list of indicator_id), $areas (list of area_id).
SELECT v.indicator_id, v.area_id, a.name, a.level, v.year, v.value, v.ci_low, v.ci_high, v.suppression,
       v.judgement_city
FROM published_values AS v
JOIN areas AS a ON a.area_id = v.area_id
WHERE list_contains($indicators, v.indicator_id)
  AND (list_contains($areas, v.area_id) OR a.level = 0)
ORDER BY v.indicator_id, a.level, v.area_id, v.year
