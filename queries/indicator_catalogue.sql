-- The indicator catalogue with topic labels, the years for which each indicator has values and whether any of
-- its values comes with a numerator (published values without one get no interval). Parameters: none.
SELECT i.indicator_id, i.name, i.short_name, i.topic_id, t.label AS topic, t.sort AS topic_sort, i.unit,
       i.definition, i.numerator_definition, i.denominator_definition, i.source, i.polarity, i.decimals,
       i.reference_date, i.value_type, i.multiplier, i.aggregation, i.headline, i.sort,
       y.first_year, y.last_year, y.year_count, coalesce(y.has_numerators, false) AS has_numerators
FROM indicators AS i
JOIN topics AS t USING (topic_id)
LEFT JOIN (
    SELECT indicator_id, min(year) AS first_year, max(year) AS last_year, count(DISTINCT year) AS year_count,
           count(numerator) > 0 AS has_numerators
    FROM published_values
    GROUP BY indicator_id
) AS y USING (indicator_id)
ORDER BY t.sort, i.sort
