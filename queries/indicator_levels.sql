-- The area levels on which an indicator has at least one published or secret value, coarsest first.
-- Parameters: $indicator (indicator_id).
SELECT DISTINCT a.level
FROM published_values AS v
JOIN areas AS a ON a.area_id = v.area_id
WHERE v.indicator_id = $indicator AND (v.value IS NOT NULL OR v.suppression IS NOT NULL)
ORDER BY a.level
