-- Headline indicators for the whole city in a year and in the latest earlier year with a value.
-- Parameters: $year (integer).
WITH city AS (SELECT area_id FROM areas WHERE level = 0),
previous AS (
    SELECT v.indicator_id, max(v.year) AS year
    FROM indicator_values AS v JOIN city USING (area_id)
    WHERE v.year < $year AND v.value IS NOT NULL
    GROUP BY v.indicator_id
)
SELECT i.indicator_id, i.short_name, i.unit, i.decimals, i.value_type, i.polarity,
       cur.value AS value, prev.value AS previous_value, prev.year AS previous_year
FROM indicators AS i
JOIN indicator_values AS cur
  ON cur.indicator_id = i.indicator_id AND cur.area_id = (SELECT area_id FROM city) AND cur.year = $year
LEFT JOIN previous AS p ON p.indicator_id = i.indicator_id
LEFT JOIN indicator_values AS prev
  ON prev.indicator_id = i.indicator_id AND prev.area_id = (SELECT area_id FROM city) AND prev.year = p.year
WHERE i.headline
ORDER BY i.sort
