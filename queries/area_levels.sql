-- The area levels of this dataset, coarsest (the city) first, with German labels.
-- Parameters: none.
SELECT level, key, label, label_plural
FROM area_levels
ORDER BY level
