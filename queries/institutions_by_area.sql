-- Number of institutions per finest-level area and main category.
-- Parameters: none.
SELECT area_id, categories[1] AS category, count(*) AS institutions
FROM institutions
GROUP BY ALL
ORDER BY area_id, category
