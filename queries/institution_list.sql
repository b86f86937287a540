-- Every institution with all its fields, for the Sozialnavigator's directory (filtered in memory).
-- Parameters: none.
SELECT institution_id, name, organisation, categories, target_groups, age_min, age_max, languages, barrier_free,
       street, postal_code, city, phone, email, website, opening_hours, capacity, description, last_checked,
       lon, lat, area_id
FROM institutions
ORDER BY institution_id
