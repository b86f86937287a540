-- Published values of one indicator in one year for every area of one level (suppressed cells are NULL), and
-- whether each area has areas below it (the reason a missing value gets). Parameters: $indicator, $year, $level.
SELECT a.area_id, a.name, p.name AS parent_name, v.value, v.numerator, v.denominator, v.ci_low, v.ci_high,
       v.suppression, coalesce(v.judgement_city, 'missing') AS judgement_city,
       coalesce(v.judgement_parent, 'missing') AS judgement_parent,
       EXISTS (SELECT 1 FROM areas AS c WHERE c.parent_id = a.area_id) AS has_children
FROM areas AS a
LEFT JOIN areas AS p ON p.area_id = a.parent_id
LEFT JOIN published_values AS v
  ON v.area_id = a.area_id AND v.indicator_id = $indicator AND v.year = $year
WHERE a.level = $level
ORDER BY a.area_id
