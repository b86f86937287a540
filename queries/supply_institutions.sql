-- Every institution as supply: its main category, places (NULL where unknown), finest area and position.
-- Parameters: none.
SELECT institution_id, categories[1] AS category, capacity, area_id, lon, lat
FROM institutions
ORDER BY institution_id
