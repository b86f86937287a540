-- Every headline indicator with the whole city's value in a year (NULL when there is none), its suppression, and
-- the latest earlier year with a value. Parameters: $year (integer).
WITH city AS (SELECT area_id FROM areas WHERE level = 0),
known AS (
    SELECT v.indicator_id, v.year, v.value
    FROM published_values AS v JOIN city USING (area_id)
    WHERE v.value IS NOT NULL
),
previous AS (
    SELECT indicator_id, max(year) AS year
    FROM known
    WHERE year < $year
    GROUP BY indicator_id
)
SELECT i.indicator_id, i.short_name, i.unit, i.decimals, i.value_type, i.polarity, i.aggregation,
       cur.value AS value, cur.suppression, prev.value AS previous_value, prev.year AS previous_year
FROM indicators AS i
LEFT JOIN published_values AS cur
  ON cur.indicator_id = i.indicator_id AND cur.area_id = (SELECT area_id FROM city) AND cur.year = $year
LEFT JOIN previous AS p ON p.indicator_id = i.indicator_id
LEFT JOIN known AS prev ON prev.indicator_id = i.indicator_id AND prev.year = p.year
WHERE i.headline
ORDER BY i.sort
