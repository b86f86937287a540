-- Every indicator's series for one area, its parent and the city, with numerators, denominators and judgements.
-- Parameters: $area (area_id).
WITH target AS (SELECT area_id, parent_id FROM areas WHERE area_id = $area),
city AS (SELECT area_id FROM areas WHERE level = 0)
SELECT v.indicator_id, v.year, v.value, v.numerator, v.denominator, v.suppression, v.judgement_city,
       v.judgement_parent,
       CASE WHEN v.area_id = (SELECT area_id FROM target) THEN 'area'
            WHEN v.area_id = (SELECT area_id FROM city) THEN 'city'
            ELSE 'parent' END AS role
FROM published_values AS v
WHERE v.area_id IN (SELECT area_id FROM target UNION SELECT parent_id FROM target UNION SELECT area_id FROM city)
ORDER BY v.indicator_id, role, v.year
