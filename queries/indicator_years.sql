-- The years for which an indicator has values, newest first.
-- Parameters: $indicator (indicator_id).
SELECT DISTINCT year
FROM published_values
WHERE indicator_id = $indicator
ORDER BY year DESC
