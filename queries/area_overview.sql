-- Every indicator for one area in one year, against the range of all areas on its level and the city value.
-- Parameters: $area (area_id), $year (integer).
WITH target AS (SELECT area_id, level FROM areas WHERE area_id = $area),
spread AS (
    SELECT v.indicator_id, min(v.value) AS level_min, quantile_cont(v.value, 0.25) AS level_p25,
           quantile_cont(v.value, 0.75) AS level_p75, max(v.value) AS level_max
    FROM published_values AS v
    JOIN areas AS a ON a.area_id = v.area_id
    WHERE v.year = $year AND a.level = (SELECT level FROM target)
    GROUP BY v.indicator_id
)
SELECT i.indicator_id, i.short_name, i.name, t.label AS topic, i.unit, i.decimals, i.polarity, i.value_type,
       v.value, v.ci_low, v.ci_high, v.suppression, coalesce(v.judgement_city, 'missing') AS judgement_city,
       c.value AS city_value, s.level_min, s.level_p25, s.level_p75, s.level_max
FROM indicators AS i
JOIN topics AS t USING (topic_id)
LEFT JOIN published_values AS v ON v.indicator_id = i.indicator_id AND v.area_id = $area AND v.year = $year
LEFT JOIN published_values AS c
  ON c.indicator_id = i.indicator_id AND c.year = $year
 AND c.area_id = (SELECT area_id FROM areas WHERE level = 0)
LEFT JOIN spread AS s ON s.indicator_id = i.indicator_id
ORDER BY t.sort, i.sort
