-- The whole city's published value and interval of one indicator in one year (no row if there is none).
-- Parameters: $indicator (indicator_id), $year (integer).
SELECT v.value, v.ci_low, v.ci_high, v.numerator, v.denominator, v.suppression
FROM published_values AS v
JOIN areas AS a ON a.area_id = v.area_id AND a.level = 0
WHERE v.indicator_id = $indicator AND v.year = $year
